#include "session.hpp"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "bridge.hpp"
#include "core/join_handle.hpp"
#include "core/log.hpp"
#include "core/loop.hpp"
#include "core/wait_for.hpp"
#include "redirect.hpp"

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
  while (bridges_ != nullptr) {  // bridges that outlive the session become inert
    Bridge* b = bridges_;
    unlink(*b);
    b->session_ = nullptr;
  }
}

// ============================================ The task =====================================================

Task<Status> Session::run() {
  if (running_) {
    WEFT_LOG_ERROR("Blynk: run() is already running: spawn it once");
    co_return Errc::busy;
  }
  if (Status s = check_config(config_); !s) {
    state_ = State::bad_config;
    co_return s;
  }
  tx_.clear();
  if (Status s = tx_.info(1, device_info()); !s) {
    WEFT_LOG_ERROR(
        "Blynk: the info message (template id, firmware, ...) does not fit the %u-byte send buffer",
        static_cast<unsigned>(tx_.capacity()));
    state_ = State::bad_config;
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
      if (s.state_ != State::bad_config) s.state_ = State::idle;
    }
  } guard{*this};
  Loop& loop = Loop::current();

  for (;;) {
    if (!want_online_ || state_ == State::auth_failed) {
      if (state_ != State::auth_failed) state_ = State::idle;
      Status s = co_await pause(kForever);
      if (s.error() == Errc::cancelled) co_return Errc::cancelled;
      continue;
    }

    state_ = State::connecting;
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
        Result<IoResult> got = co_await transport_.read_some(rx_);
        if (got && got->ok()) {
          last_rx_ = loop.now();
          in = std::string_view(rx_.data(), got->count);
          continue;
        }
        const Errc e = got ? got->error : got.error();
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
      state_ = State::auth_failed;
      WEFT_LOG_ERROR(
          "Blynk: the server rejected the auth token (INVALID_TOKEN): check this device's token in the Blynk "
          "app "
          "or console; not retrying until connect()");
      continue;
    }
    const Micros delay = backoff_.next_delay();
    state_ = State::waiting;
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
  state_ = State::logging_in;
  login_deadline_ = deadline_after(now, config_.login_timeout);
  last_rx_ = last_tx_ = last_ping_ = now;
  wake_.clear();
  tx_space_.clear();
}

DisconnectReason Session::end_connection(DisconnectReason reason) {
  const bool was_connected = state_ == State::connected;
  connected_event_.clear();
  app_connected_ = false;
  state_ = State::waiting;  // run() refines it
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
      Result<IoResult> w = co_await wait_for(transport_.write_all(std::string_view(tx_storage_.data(), n)),
                                             config_.write_timeout);
      if (!w) {
        if (w.error() == Errc::cancelled) co_return DisconnectReason::user;
        if (w.error() == Errc::timed_out) {
          WEFT_LOG_WARN("Blynk: a write made no progress for %lld ms", ms_of(config_.write_timeout));
        }
        co_return end_writer(reason_of(w.error()));
      }
      tx_.consume(w->count);
      tx_space_.set();
      if (!w->ok()) {
        if (w->error == Errc::cancelled) co_return DisconnectReason::user;
        co_return end_writer(w->error == Errc::timed_out ? DisconnectReason::network_error
                                                         : reason_of(w->error));
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

// ============================================ The dispatcher ===============================================

std::size_t Session::reply_room(const Frame& f) const {
  // `vr`/`dr`/`ar` (any "?r" op, conservatively): the answer's size is the handler's; wait for an empty
  // buffer.
  const std::string_view b = f.body;
  if (f.command == Command::hardware && b.size() >= 2 && b[1] == 'r' && (b.size() == 2 || b[2] == '\0')) {
    return tx_.capacity();
  }
  return header_size;  // at most a RESPONSE
}

DisconnectReason Session::process(std::string_view& input) {
  if (has_pending_) {
    if (tx_.remaining() < reply_room(pending_)) return DisconnectReason::none;
    has_pending_ = blocked_ = false;
    if (const DisconnectReason r = dispatch(pending_); r != DisconnectReason::none) return r;
  }
  while (want_online_) {
    Result<Frame> f = parser_.next(input);
    if (!f) {
      if (f.error() == Errc::would_block) return DisconnectReason::none;
      const FrameHeader h = parser_.header();
      if (f.error() == Errc::too_large) {
        WEFT_LOG_ERROR(
            "Blynk: the server sent %s id %u with a %u-byte body, more than buff-in %u: reconnecting",
            to_string(h.command), static_cast<unsigned>(h.id), static_cast<unsigned>(h.length),
            static_cast<unsigned>(parser_.buff_in()));
        return DisconnectReason::frame_too_large;
      }
      WEFT_LOG_ERROR("Blynk: the server sent %s with message id 0 (invalid): reconnecting",
                     to_string(h.command));
      return DisconnectReason::protocol_error;
    }
    ++stats_.frames_in;
    if (tx_.remaining() < reply_room(*f)) {
      pending_ = *f;
      has_pending_ = blocked_ = true;
      return DisconnectReason::none;
    }
    if (const DisconnectReason r = dispatch(*f); r != DisconnectReason::none) return r;
  }
  return DisconnectReason::user;
}

DisconnectReason Session::dispatch(const Frame& f) {
  switch (f.command) {
    case Command::hardware:
      on_hardware(f);
      return DisconnectReason::none;
    case Command::response:
      return on_response(f);
    case Command::ping:
      answer(f.id, StatusCode::ok);
      return DisconnectReason::none;
    case Command::internal:
      on_internal_frame(f);
      return DisconnectReason::none;
    case Command::redirect:
      return on_redirect(f);
    case Command::debug_print:
      WEFT_LOG_INFO("Blynk server: %.*s", len(f.body), f.body.data());
      return DisconnectReason::none;
    default:
      WEFT_LOG_WARN(
          "Blynk: the server sent %s (command %u), which a device does not take: answered ILLEGAL_COMMAND",
          to_string(f.command), static_cast<unsigned>(f.command));
      answer(f.id, StatusCode::illegal_command);
      return DisconnectReason::none;
  }
}

void Session::answer(std::uint16_t id, StatusCode status) {
  (void)tx_.response(id, status);  // room was checked before dispatch (reply_room)
  wake_writer();
}

DisconnectReason Session::on_response(const Frame& f) {
  const StatusCode status = f.status();
  if (state_ == State::logging_in && f.id == 1) {
    if (status == StatusCode::ok || status == StatusCode::already_registered) {
      logged_in();
      return DisconnectReason::none;
    }
    if (status == StatusCode::invalid_token) return DisconnectReason::invalid_token;
    WEFT_LOG_WARN("Blynk: the server answered the login with %s (%u): retrying", to_string(status),
                  static_cast<unsigned>(status));
    return DisconnectReason::login_rejected;
  }
  if (status != StatusCode::ok) {
    WEFT_LOG_WARN("Blynk: the server answered message %u with %s (%u)", static_cast<unsigned>(f.id),
                  to_string(status), static_cast<unsigned>(status));
  }
  return DisconnectReason::none;
}

DisconnectReason Session::on_redirect(const Frame& f) {
  Result<Redirect> r = parse_redirect(f.body);
  if (!r || r->host.size() >= sizeof redirect_host_) {
    WEFT_LOG_WARN("Blynk: malformed REDIRECT ignored (host empty or over %u characters, or a bad port)",
                  static_cast<unsigned>(sizeof redirect_host_ - 1));
    answer(f.id, StatusCode::illegal_command_body);
    return DisconnectReason::none;
  }
  std::memcpy(redirect_host_, r->host.data(), r->host.size());
  redirect_host_[r->host.size()] = '\0';
  redirect_port_ = r->port.value_or(80);
  WEFT_LOG_INFO("Blynk: redirected to %s:%u", redirect_host_, static_cast<unsigned>(redirect_port_));
  return DisconnectReason::redirected;
}

void Session::on_hardware(const Frame& f) {
  Result<HardwareMessage> m = parse_hardware(f.body);
  if (!m) {
    WEFT_LOG_WARN("Blynk: malformed HARDWARE message id %u: answered ILLEGAL_COMMAND_BODY",
                  static_cast<unsigned>(f.id));
    answer(f.id, StatusCode::illegal_command_body);
    return;
  }
  const HardwareOp op = m->op;
  const std::uint8_t pin = m->pin;
  switch (op) {
    case HardwareOp::virtual_write:
    case HardwareOp::digital_write:
    case HardwareOp::analog_write: {
      if (PinSlot* s = pins_.find(op, pin)) {
        s->write(pin, Values(m->values));
        return;
      }
      if (op == HardwareOp::virtual_write || physical_ == nullptr) return;
      const Result<int> v = Values(m->values).as_int();
      if (!v) {
        WEFT_LOG_WARN("Blynk: %s on pin %u without a number: ignored", to_string(op),
                      static_cast<unsigned>(pin));
        return;
      }
      (void)(op == HardwareOp::digital_write ? physical_->digital_write(pin, *v)
                                             : physical_->analog_write(pin, *v));
      return;
    }
    case HardwareOp::virtual_read:
    case HardwareOp::digital_read:
    case HardwareOp::analog_read: {
      const HardwareOp answer_op = op == HardwareOp::virtual_read   ? HardwareOp::virtual_write
                                   : op == HardwareOp::digital_read ? HardwareOp::digital_write
                                                                    : HardwareOp::analog_write;
      Reply reply(tx_, f.id, answer_op, pin);
      if (PinSlot* s = pins_.find(op, pin)) {
        s->read(pin, reply);
      } else if (op != HardwareOp::virtual_read && physical_ != nullptr) {
        const Result<int> v =
            op == HardwareOp::digital_read ? physical_->digital_read(pin) : physical_->analog_read(pin);
        if (v) (void)reply.write(*v);
      }
      if (reply.sent()) wake_writer();
      return;
    }
    case HardwareOp::pin_mode: {
      if (physical_ == nullptr) return;
      PinModeReader modes(m->values);
      while (std::optional<PinModeEntry> e = modes.next())
        (void)physical_->pin_mode(e->pin, e->mode);
      return;
    }
    case HardwareOp::unknown:
      WEFT_LOG_WARN("Blynk: unknown HARDWARE op \"%.*s\" (id %u): answered ILLEGAL_COMMAND", len(m->op_name),
                    m->op_name.data(), static_cast<unsigned>(f.id));
      answer(f.id, StatusCode::illegal_command);
      return;
  }
}

void Session::on_internal_frame(const Frame& f) {
  Result<InternalMessage> m = parse_internal(f.body);
  if (!m) return;  // an empty INTERNAL: nothing to act on
  switch (m->op) {
    case InternalOp::app_connected:
      app_connected_ = true;
      on_app_connected_();
      return;
    case InternalOp::app_disconnected:
      app_connected_ = false;
      on_app_disconnected_();
      return;
    case InternalOp::rtc:
      if (Result<std::int64_t> t = parse_rtc(f.body)) {
        rtc_epoch_ = *t;
        rtc_at_ = Loop::current().now();
      }
      break;
    default:
      break;
  }
  on_internal_(m->op_name, Values(m->args));
}

void Session::logged_in() {
  state_ = State::connected;
  ++stats_.connects;
  backoff_.reset();
  last_rx_ = last_ping_ = Loop::current().now();
  if (Status s = tx_.info(ids_.next(), device_info()); !s) {
    WEFT_LOG_ERROR("Blynk: the info message did not fit the send buffer");  // checked by run(): tx was busy
  }
  for (Bridge* b = bridges_; b != nullptr; b = b->next_) {
    if (b->has_token()) (void)queue_bridge_token(*b, Outbox::Place::front);
  }
  const std::string_view host = server_host();
  WEFT_LOG_INFO("Blynk: connected to %.*s:%u", len(host), host.data(), static_cast<unsigned>(server_port()));
  connected_event_.set();
  wake_writer();
  on_connected_();
}

// ============================================ Control ======================================================

void Session::connect() {
  want_online_ = true;
  if (state_ == State::auth_failed) state_ = State::idle;
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

// ============================================ Handlers =====================================================

Status Session::check_pin(const char* what, int pin) const {
  if (is_valid_virtual_pin(pin)) return {};
  WEFT_LOG_ERROR("Blynk: %s(V%d): virtual pins are 0..%d", what, pin, max_virtual_pin);
  return Errc::invalid_argument;
}

namespace {
Status table_status(const char* what, int pin, const PinTable& table, Status s) {
  if (!s) {
    WEFT_LOG_ERROR("Blynk: %s(%d): the handler table is full (%u slots): raise Limits::handlers", what, pin,
                   static_cast<unsigned>(table.capacity()));
  }
  return s;
}
}  // namespace

Status Session::on_write(int pin, WriteHandler h) {
  if (Status s = check_pin("on_write", pin); !s) return s;
  return table_status("on_write", pin, pins_, pins_.set_write(HardwareOp::virtual_write, pin, false, h));
}

Status Session::on_read(int pin, ReadHandler h) {
  if (Status s = check_pin("on_read", pin); !s) return s;
  return table_status("on_read", pin, pins_, pins_.set_read(HardwareOp::virtual_read, pin, false, h));
}

Status Session::on_write_any(WriteHandler h) {
  return table_status("on_write_any", -1, pins_, pins_.set_write(HardwareOp::virtual_write, 0, true, h));
}

Status Session::on_read_any(ReadHandler h) {
  return table_status("on_read_any", -1, pins_, pins_.set_read(HardwareOp::virtual_read, 0, true, h));
}

Status Session::add_digital_hw_pin(int pin, ReadHandler read, WriteHandler write) {
  if (!is_valid_physical_pin(pin)) {
    WEFT_LOG_ERROR("Blynk: add_digital_hw_pin(%d): physical pins are 0..%d", pin, max_physical_pin);
    return Errc::invalid_argument;
  }
  if (read) {
    Status s = pins_.set_read(HardwareOp::digital_read, pin, false, read);
    if (!s) return table_status("add_digital_hw_pin", pin, pins_, s);
  }
  if (write) {
    Status s = pins_.set_write(HardwareOp::digital_write, pin, false, write);
    if (!s) return table_status("add_digital_hw_pin", pin, pins_, s);
  }
  return {};
}

// ============================================ Device -> server =============================================

Status Session::refuse(const char* what, Status s) {
  ++stats_.refused;
  switch (s.error()) {
    case Errc::too_large:
      WEFT_LOG_ERROR(
          "Blynk: %s refused: the message is larger than the %u-byte send buffer (Limits::tx_buffer) "
          "or over its text limit (notify 255, tweet 140 characters)",
          what, static_cast<unsigned>(tx_.capacity()));
      break;
    case Errc::busy:
      if (!outbox_full_logged_) {  // once per episode: a full outbox is usually full for a while
        WEFT_LOG_WARN(
            "Blynk: %s refused: the outbox is full (%u messages, %u bytes waiting%s); write less often "
            "or raise Limits::outbox",
            what, static_cast<unsigned>(outbox_.count()), static_cast<unsigned>(outbox_.bytes()),
            connected() ? "" : ", offline");
        outbox_full_logged_ = true;
      }
      break;
    default:
      WEFT_LOG_ERROR(
          "Blynk: %s refused: invalid argument (a pin out of range, NaN or infinity, a number beyond "
          "1e18, a NUL inside a text, an empty text, or a bad token)",
          what);
      break;
  }
  return s;
}

template <typename Build>
Status Session::queue(const char* what, Command command, std::span<const Value> key, std::size_t size,
                      Build&& build, Outbox::Place place) {
  Status s = outbox_.put(command, key, size, build, place);
  if (!s) return refuse(what, s);
  outbox_full_logged_ = false;
  wake_writer();
  return s;
}

Status Session::virtual_write(int pin, std::span<const Value> values) {
  if (Status s = check_pin("virtual_write", pin); !s) return s;
  const Value key[] = {Value("vw"), Value(pin)};
  return queue("virtual_write", Command::hardware, in_group_ ? std::span<const Value>() : key,
               frame_size_of({key, values}),
               [&](FrameWriter& w, std::uint16_t id) { return w.virtual_write(id, pin, values); });
}

Status Session::sync_all() {
  return queue("sync_all", Command::hardware_sync, {}, header_size,
               [](FrameWriter& w, std::uint16_t id) { return w.sync_all(id); });
}

Status Session::sync_virtual(std::span<const int> pins) {
  std::size_t size = header_size + 2;  // "vr"
  for (int pin : pins) {
    if (Status s = check_pin("sync_virtual", pin); !s) return s;
    size += 1 + Value(pin).size();
  }
  return queue("sync_virtual", Command::hardware_sync, {}, size,
               [pins](FrameWriter& w, std::uint16_t id) { return w.sync_virtual(id, pins); });
}

Status Session::set_property(int pin, std::string_view name, std::span<const Value> values) {
  if (Status s = check_pin("set_property", pin); !s) return s;
  const Value key[] = {Value(pin), Value(name)};
  return queue("set_property", Command::property, key, frame_size_of({key, values}),
               [&](FrameWriter& w, std::uint16_t id) { return w.property(id, pin, name, values); });
}

Status Session::notify(std::string_view text) {
  const Value f[] = {Value(text)};
  return queue("notify", Command::notify, {}, frame_size_of({f}),
               [text](FrameWriter& w, std::uint16_t id) { return w.notify(id, text); });
}

Status Session::tweet(std::string_view text) {
  const Value f[] = {Value(text)};
  return queue("tweet", Command::tweet, {}, frame_size_of({f}),
               [text](FrameWriter& w, std::uint16_t id) { return w.tweet(id, text); });
}

Status Session::sms(std::string_view text) {
  const Value f[] = {Value(text)};
  return queue("sms", Command::sms, {}, frame_size_of({f}),
               [text](FrameWriter& w, std::uint16_t id) { return w.sms(id, text); });
}

Status Session::email(std::string_view to, std::string_view subject, std::string_view body) {
  const Value f[] = {Value(to), Value(subject), Value(body)};
  return queue("email", Command::email, {}, frame_size_of({f}),
               [&](FrameWriter& w, std::uint16_t id) { return w.email(id, to, subject, body); });
}

Status Session::email(std::string_view subject, std::string_view body) {
  const Value f[] = {Value(subject), Value(body)};
  return queue("email", Command::email, {}, frame_size_of({f}),
               [&](FrameWriter& w, std::uint16_t id) { return w.email(id, subject, body); });
}

Status Session::log_event(std::string_view code) {
  const Value f[] = {Value(code)};
  return queue("log_event", Command::event_log, {}, frame_size_of({f}),
               [code](FrameWriter& w, std::uint16_t id) { return w.event_log(id, code); });
}

Status Session::log_event(std::string_view code, std::string_view description) {
  const Value f[] = {Value(code), Value(description)};
  return queue("log_event", Command::event_log, {}, frame_size_of({f}),
               [&](FrameWriter& w, std::uint16_t id) { return w.event_log(id, code, description); });
}

Status Session::event_clear(std::string_view code) {
  const Value f[] = {Value(code)};
  return queue("event_clear", Command::event_clear, {}, frame_size_of({f}),
               [code](FrameWriter& w, std::uint16_t id) { return w.event_clear(id, code); });
}

Status Session::event_clear_all(std::string_view code) {
  const Value f[] = {Value(code), Value("all")};
  return queue("event_clear_all", Command::event_clear, {}, frame_size_of({f}),
               [code](FrameWriter& w, std::uint16_t id) { return w.event_clear_all(id, code); });
}

Status Session::begin_group() {
  const Value f[] = {Value("b")};
  Status s = queue("begin_group", Command::group, {}, frame_size_of({f}),
                   [&f](FrameWriter& w, std::uint16_t id) { return w.append(Command::group, id, f); });
  if (s) in_group_ = true;
  return s;
}

Status Session::begin_group(std::int64_t timestamp_ms) {
  const Value f[] = {Value("b"), Value("t"), Value(timestamp_ms)};
  Status s = queue("begin_group", Command::group, {}, frame_size_of({f}),
                   [&f](FrameWriter& w, std::uint16_t id) { return w.append(Command::group, id, f); });
  if (s) in_group_ = true;
  return s;
}

Status Session::end_group() {
  const Value f[] = {Value("e")};
  Status s = queue("end_group", Command::group, {}, frame_size_of({f}),
                   [&f](FrameWriter& w, std::uint16_t id) { return w.append(Command::group, id, f); });
  if (s) in_group_ = false;
  return s;
}

Status Session::sync_rtc() {
  const Value f[] = {Value("rtc"), Value("sync")};
  return queue("sync_rtc", Command::internal, f, frame_size_of({f}),
               [](FrameWriter& w, std::uint16_t id) { return w.rtc_sync(id); });
}

Status Session::request_utc(std::string_view what) {
  const Value f[] = {Value("utc"), Value(what)};
  return queue("request_utc", Command::internal, f, frame_size_of({f}),
               [&f](FrameWriter& w, std::uint16_t id) { return w.append(Command::internal, id, f); });
}

Status Session::internal(std::span<const Value> fields) {
  return queue(
      "internal", Command::internal, {}, frame_size_of({fields}),
      [fields](FrameWriter& w, std::uint16_t id) { return w.append(Command::internal, id, fields); });
}

Status Session::lcd_print(int pin, int x, int y, std::string_view text) {
  if (Status s = check_pin("lcd_print", pin); !s) return s;
  const Value f[] = {Value("vw"), Value(pin), Value("p"), Value(x), Value(y), Value(text)};
  return queue("lcd_print", Command::hardware, {}, frame_size_of({f}),
               [&](FrameWriter& w, std::uint16_t id) { return w.lcd_print(id, pin, x, y, text); });
}

Status Session::lcd_clear(int pin) {
  if (Status s = check_pin("lcd_clear", pin); !s) return s;
  const Value f[] = {Value("vw"), Value(pin), Value("clr")};
  return queue("lcd_clear", Command::hardware, {}, frame_size_of({f}),
               [pin](FrameWriter& w, std::uint16_t id) { return w.lcd_clear(id, pin); });
}

Status Session::terminal_write(int pin, std::string_view text) {
  if (Status s = check_pin("terminal", pin); !s) return s;
  const Value f[] = {Value("vw"), Value(pin), Value(text)};
  return queue("terminal", Command::hardware, {}, frame_size_of({f}),
               [&](FrameWriter& w, std::uint16_t id) { return w.virtual_write(id, pin, text); });
}

Status Session::bridge_write(int bridge_pin, HardwareOp op, int pin, std::span<const Value> values) {
  if (Status s = check_pin("bridge", bridge_pin); !s) return s;
  const Value key[] = {Value(bridge_pin), Value(to_string(op)), Value(pin)};
  return queue("bridge write", Command::bridge, in_group_ ? std::span<const Value>() : key,
               frame_size_of({key, values}), [&](FrameWriter& w, std::uint16_t id) {
                 return w.bridge_write(id, bridge_pin, op, pin, values);
               });
}

Status Session::queue_bridge_token(Bridge& b, Outbox::Place place) {
  const std::string_view token = b.token();
  const Value key[] = {Value(b.pin()), Value("i")};
  const Value tail[] = {Value(token)};
  return queue(
      "bridge set_auth_token", Command::bridge, key, frame_size_of({key, tail}),
      [&](FrameWriter& w, std::uint16_t id) { return w.bridge_token(id, b.pin(), token); }, place);
}

void Session::link(Bridge& b) {
  b.next_ = bridges_;
  bridges_ = &b;
}

void Session::unlink(Bridge& b) {
  for (Bridge** p = &bridges_; *p != nullptr; p = &(*p)->next_) {
    if (*p == &b) {
      *p = b.next_;
      b.next_ = nullptr;
      return;
    }
  }
}

}  // namespace weft::blynk
