// The session's connection task: run(), its reader loop and writer child, the keep-alive and the control
// calls. The dispatcher (dispatcher.cpp), the handler registry (handlers.cpp) and the device API
// (device_api.cpp) are the other parts of the same class.
#include "session.hpp"

#include <algorithm>

#include "core/join_handle.hpp"
#include "core/log.hpp"
#include "core/loop.hpp"
#include "core/wait_for.hpp"

namespace weft::blynk {

namespace {

// FNV-1a of the token: devices of a fleet get different jitter without a clock or a random source.
std::uint32_t seed_of(const Config& c) {
  if (c.jitter_seed != 0) return c.jitter_seed;
  std::uint32_t h = 2166136261u;
  for (char ch : c.token)
    h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
  return h;
}

DisconnectReason reason_of(Errc e) {
  switch (e) {
    case Errc::closed:
      return DisconnectReason::closed_by_server;
    case Errc::cancelled:
      return DisconnectReason::user;
    case Errc::timed_out:
      return DisconnectReason::write_timeout;
    default:
      return DisconnectReason::network_error;
  }
}

long long ms_of(Micros t) {
  return static_cast<long long>(t / 1000);
}
int len(std::string_view s) {
  return static_cast<int>(s.size());
}

}  // namespace

Session::Session(const Config& config, Transport& transport, const SessionBuffers& b)
    : config_(config),
      transport_(transport),
      rx_(b.rx),
      tx_storage_(b.tx),
      parser_(b.body),
      tx_(b.tx),
      outbox_(b.outbox, b.tx.size()),
      pins_(b.pins),
      rate_(config.send_interval, std::max<std::uint8_t>(config.send_burst, 1)),
      backoff_(config.retry_min, config.retry_max, seed_of(config)) {}

Session::~Session() {
  transport_.close();
  while (hooks_ != nullptr) {  // hooks (bridges) that outlive the session become inert
    SessionHook* h = hooks_;
    remove_hook(*h);
    h->session_ended();
  }
}

// ============================================ The task =====================================================

Task<Status> Session::run() {
  if (running_) {
    WEFT_LOG_ERROR("Blynk: run() is already running: spawn it once");
    co_return Errc::busy;
  }
  if (Status s = check_config(config_); !s) {
    set_state(State::bad_config);
    co_return s;
  }
  tx_.clear();
  if (Status s = tx_.info(1, device_info()); !s) {
    WEFT_LOG_ERROR(
        "Blynk: the info message (template id, firmware, ...) does not fit the %u-byte send buffer",
        static_cast<unsigned>(tx_.capacity()));
    set_state(State::bad_config);
    co_return Errc::invalid_argument;
  }
  tx_.clear();

  running_ = true;
  struct Guard {  // whatever way run() ends (return, cancellation), the session is left offline and clean
    Session& s;
    ~Guard() {
      s.transport_.close();
      s.running_ = false;
      s.connected_event_.clear();
      if (s.state_ != State::bad_config) s.state_ = State::idle;  // no events: the app may be going away too
    }
  } guard{*this};
  Loop& loop = Loop::current();

  for (;;) {
    if (!want_online_ || state_ == State::auth_failed) {
      if (state_ != State::auth_failed) set_state(State::idle);
      Status s = co_await pause(kForever);
      if (s.error() == Errc::cancelled) co_return Errc::cancelled;
      continue;
    }

    set_state(State::connecting);
    ++stats_.attempts;
    WEFT_LOG_INFO("Blynk: connecting to %.*s:%u", len(server_host()), server_host().data(),
                  static_cast<unsigned>(server_port()));
    Status opened = co_await transport_.open(server_host(), server_port(), config_.connect_timeout);
    DisconnectReason reason = DisconnectReason::none;
    if (!opened) {
      if (opened.error() == Errc::cancelled) co_return Errc::cancelled;
      reason = opened.error() == Errc::name_not_found ? DisconnectReason::resolve_failed
                                                      : DisconnectReason::connect_failed;
      WEFT_LOG_WARN("Blynk: cannot connect to %.*s:%u: %s", len(server_host()), server_host().data(),
                    static_cast<unsigned>(server_port()), to_string(opened.error()));
      redirect_port_ = 0;  // a redirect target that fails: back to the configured server
    } else if (!want_online_) {
      reason = DisconnectReason::user;
    } else {
      // The connection: this task reads and dispatches; a child task writes (writer()). Whichever ends first
      // ends the connection: the writer closes the transport (the read below then fails), the reader cancels
      // the writer. The read loop is written out here rather than as a child: one coroutine frame less.
      begin_connection();
      JoinHandle<DisconnectReason> writer = loop.spawn(write_loop(), "blynk-tx");
      std::string_view in;
      bool cancelled = false;
      if (!writer)
        reason = DisconnectReason::network_error;  // the arena is full (spawn logged it): retry later
      while (writer) {
        reason = process(in);
        if (reason != DisconnectReason::none) break;
        if (blocked_) {  // an answer may not fit the send buffer: let the writer drain it first
          tx_space_.clear();
          wake_writer();
          Status s = co_await tx_space_.wait();
          if (s.error() == Errc::cancelled) {
            cancelled = true;
            break;
          }
          if (writer_reason_ != DisconnectReason::none) {  // the writer ended the connection meanwhile
            reason = writer_reason_;
            break;
          }
          continue;
        }
        IoResult got = co_await transport_.read_some(rx_);
        if (got.ok()) {
          last_rx_ = loop.now();
          in = std::string_view(rx_.data(), got.count);
          continue;
        }
        const Errc e = got.error;
        cancelled = e == Errc::cancelled;
        reason = writer_reason_ != DisconnectReason::none ? writer_reason_ : reason_of(e);
        break;
      }
      if (!cancelled) last_disconnect_ = reason;  // before the server sees the close
      transport_.close();
      writer.cancel();
      if (writer) (void)co_await writer.join();  // returns at once when this task is being cancelled
      if (cancelled) co_return Errc::cancelled;
      reason = end_connection(reason);
    }
    transport_.close();
    last_disconnect_ = reason;

    if (reason == DisconnectReason::user) continue;
    if (reason == DisconnectReason::redirected) {
      if (backoff_.follow_redirect_at_once()) continue;
      WEFT_LOG_WARN(
          "Blynk: redirected again without logging in (a redirect loop?): back to %.*s:%u, backing off",
          len(config_.host), config_.host.data(), static_cast<unsigned>(config_.port));
      redirect_port_ = 0;
    }
    if (reason == DisconnectReason::invalid_token) {
      set_state(State::auth_failed);
      WEFT_LOG_ERROR(
          "Blynk: the server rejected the auth token (INVALID_TOKEN): check this device's token in the Blynk "
          "app "
          "or console; not retrying until connect()");
      continue;
    }
    const Micros delay = backoff_.next_delay();
    set_state(State::waiting);
    WEFT_LOG_INFO("Blynk: %s; reconnecting in %lld ms", to_string(reason), ms_of(delay));
    Status waited = co_await pause(delay);
    if (waited.error() == Errc::cancelled) co_return Errc::cancelled;
  }
}

// The waits of run() between connections, in a frame of their own that exists only while they last (run()'s
// frame, alive for the whole session, stays smaller).
Task<Status> Session::pause(Micros delay) {
  control_.clear();
  if (delay == kForever) {
    Status s = co_await control_.wait();
    co_return s;
  }
  Status s = co_await wait_for(control_.wait(), delay);
  co_return s;
}

void Session::begin_connection() {
  const Micros now = Loop::current().refresh_now();
  parser_.reset();
  ids_.reset();
  tx_.clear();
  rate_.reset();
  has_pending_ = blocked_ = false;
  writer_reason_ = DisconnectReason::none;
  const std::uint16_t login_id = ids_.next();
  (void)(config_.login == Login::legacy ? tx_.login(login_id, config_.token)
                                        : tx_.hw_login(login_id, config_.token));  // checked by run()
  set_state(State::logging_in);
  login_deadline_ = deadline_after(now, config_.login_timeout);
  last_rx_ = last_tx_ = last_ping_ = now;
  wake_.clear();
  tx_space_.clear();
}

DisconnectReason Session::end_connection(DisconnectReason reason) {
  const bool was_connected = state_ == State::connected;
  connected_event_.clear();
  app_connected_ = false;
  state_ = State::waiting;  // run() refines it, and reports what it decides
  if (!want_online_) reason = DisconnectReason::user;
  if (was_connected) {
    WEFT_LOG_WARN("Blynk: disconnected: %s", to_string(reason));
    on_disconnected_(reason);
  }
  return reason;
}

DisconnectReason Session::end_writer(DisconnectReason reason) {
  if (writer_reason_ == DisconnectReason::none) writer_reason_ = last_disconnect_ = reason;
  transport_.close();  // ends the reader's read: it reports writer_reason_ ...
  tx_space_.set();     // ... or its wait for room to answer
  return reason;
}

Task<DisconnectReason> Session::write_loop() {
  Loop& loop = Loop::current();
  for (;;) {
    wake_.clear();
    const Micros now = loop.now();
    if (const DisconnectReason r = tick(now); r != DisconnectReason::none) co_return end_writer(r);
    if (!tx_.empty()) {
      const std::size_t n = tx_.size();
      IoResult w =
          co_await transport_.write_all(std::string_view(tx_storage_.data(), n), config_.write_timeout);
      tx_.consume(w.count);
      tx_space_.set();
      if (!w.ok()) {
        if (w.error == Errc::cancelled) co_return DisconnectReason::user;
        if (w.error == Errc::timed_out) {
          WEFT_LOG_WARN("Blynk: a write made no progress for %lld ms", ms_of(config_.write_timeout));
        }
        co_return end_writer(reason_of(w.error));
      }
      last_tx_ = loop.now();
      continue;
    }
    const Micros at = next_wake(now);
    Status s = co_await wait_for(wake_.wait(), at == kForever ? kMaxDuration : at - now);
    if (s.error() == Errc::cancelled) co_return DisconnectReason::user;
  }
}

DisconnectReason Session::tick(Micros now) {
  if (state_ == State::logging_in) {
    if (now < login_deadline_) return DisconnectReason::none;
    WEFT_LOG_WARN("Blynk: no answer to the login within %lld ms", ms_of(config_.login_timeout));
    return DisconnectReason::login_timeout;
  }
  if (state_ != State::connected) return DisconnectReason::none;
  const Micros silent = now - last_rx_;
  if (silent >= config_.heartbeat + 3 * config_.response_timeout) {
    WEFT_LOG_WARN("Blynk: nothing received for %lld ms: the link is dead", ms_of(silent));
    return DisconnectReason::heartbeat_timeout;
  }
  const bool idle = silent >= config_.heartbeat || now - last_tx_ >= config_.heartbeat;
  if (idle && now - last_ping_ >= config_.response_timeout && tx_.remaining() >= header_size) {
    (void)tx_.ping(ids_.next());
    last_ping_ = now;
    ++stats_.pings;
  }
  if (blocked_) return DisconnectReason::none;  // the reader's answer goes first
  while (!outbox_.empty() && rate_.allows(now) && outbox_.front().size() <= tx_.remaining()) {
    (void)outbox_.send_front(tx_, ids_.next());
    rate_.take(now);
    ++stats_.frames_out;
  }
  return DisconnectReason::none;
}

Micros Session::next_wake(Micros now) const {
  if (state_ == State::logging_in) return login_deadline_;
  if (state_ != State::connected) return kForever;
  Micros at = last_rx_ + config_.heartbeat + 3 * config_.response_timeout;
  const Micros ping_at =
      std::max(std::min(last_rx_, last_tx_) + config_.heartbeat, last_ping_ + config_.response_timeout);
  at = std::min(at, ping_at);
  if (!outbox_.empty() && !blocked_) at = std::min(at, rate_.next_allowed());
  return std::max(at, now);
}

std::string_view Session::server_host() const {
  return redirect_port_ != 0 ? std::string_view(redirect_host_) : config_.host;
}
std::uint16_t Session::server_port() const {
  return redirect_port_ != 0 ? redirect_port_ : config_.port;
}

DeviceInfo Session::device_info() const {
  DeviceInfo i;
  i.version = config_.version;
  i.heartbeat_s = static_cast<std::uint32_t>((config_.heartbeat + sec(1) - 1) / sec(1));
  i.buff_in = static_cast<std::uint32_t>(parser_.buff_in());
  i.device = config_.device;
  i.firmware_type = config_.firmware_type.empty() ? config_.template_id : config_.firmware_type;
  i.firmware = config_.firmware;
  i.build = config_.build;
  i.template_id = config_.template_id;
  return i;
}

// ============================================ Control ======================================================

void Session::connect() {
  want_online_ = true;
  if (state_ == State::auth_failed) set_state(State::idle);
  control_.set();
}

void Session::disconnect() {
  want_online_ = false;
  transport_.close();  // a read or write in progress ends now
  wake_writer();
  tx_space_.set();
  control_.set();
}

Status Session::set_token(std::string_view token) {
  if (TokenProblem p = check_token(token); p != TokenProblem::none) {
    WEFT_LOG_ERROR("Blynk: set_token: %s: got %u characters", to_string(p),
                   static_cast<unsigned>(token.size()));
    return Errc::invalid_argument;
  }
  config_.token = token;
  return {};
}

Status Session::set_server(std::string_view host, std::uint16_t port) {
  if (host.empty() || host.size() > 253 || port == 0) {
    WEFT_LOG_ERROR("Blynk: set_server: the host must be 1..253 characters and the port not 0");
    return Errc::invalid_argument;
  }
  config_.host = host;
  config_.port = port;
  redirect_port_ = 0;
  return {};
}

Result<std::int64_t> Session::rtc_now() const {
  if (rtc_epoch_ < 0) return Errc::would_block;
  const Loop* loop = Loop::current_or_null();
  return rtc_epoch_ + (loop != nullptr ? (loop->now() - rtc_at_) / sec(1) : 0);
}

void Session::add_hook(SessionHook& h) {
  h.next_ = hooks_;
  hooks_ = &h;
}

void Session::remove_hook(SessionHook& h) {
  for (SessionHook** p = &hooks_; *p != nullptr; p = &(*p)->next_) {
    if (*p == &h) {
      *p = h.next_;
      h.next_ = nullptr;
      return;
    }
  }
}

}  // namespace weft::blynk
