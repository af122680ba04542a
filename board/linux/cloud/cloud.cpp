#include "cloud.hpp"

#include <algorithm>
#include <chrono>

#include "blynk_connection.hpp"
#include "core/log.hpp"
#include "core/sleep.hpp"
#include "core/wait_for.hpp"
#include "http_access.hpp"
#include "http_server.hpp"

namespace weft::cloud {
namespace {

std::string format_endpoint(const Result<Endpoint>& e) {
  if (!e) return "?";
  char text[Endpoint::kMaxText];
  (void)e->format(text);
  return text;
}

// A connection whose first byte is an upper-case letter speaks HTTP ("GET /..."); Blynk frames start with a
// command byte (29 HW_LOGIN, 2 LOGIN).
bool looks_like_http(char first) {
  return first >= 'A' && first <= 'Z';
}

}  // namespace

Cloud::Cloud(Store& store, CloudOptions options, SocketPort& sockets)
    : store_(store),
      options_(std::move(options)),
      sockets_(sockets),
      login_throttle_(options_.failed_login_burst, options_.failed_logins_per_second) {
  store_.set_clock([this] { return unix_ms(); });
  store_.set_change_hook([this] { pulse_changed(); });
}

Cloud::~Cloud() {
  stop();
  store_.set_change_hook({});
  store_.set_clock({});
}

void Cloud::pulse_changed() {
  changed_.set();  // wakes every waiting stream now; later waits wait for the next change
  changed_.clear();
}

std::int64_t Cloud::unix_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {
// "127.0.0.1:5000" -> "127.0.0.1", "[::1]:5000" -> "[::1]".
std::string_view address_of(std::string_view peer) {
  return peer.substr(0, peer.rfind(':'));
}
}  // namespace

bool Cloud::login_allowed(std::string_view peer) {
  const Micros now = Loop::current().now();
  if (login_throttle_.allowed(address_of(peer), now)) return true;
  ++logins_refused_;
  if (login_notice_at_ < 0 || now - login_notice_at_ >= sec(10)) {
    login_notice_at_ = now;
    WEFT_LOG_WARN(
        "cloud: too many failed logins from %.*s (over %g, then %g a second): its logins are closed "
        "unchecked "
        "until it slows down (%llu so far)",
        static_cast<int>(address_of(peer).size()), address_of(peer).data(), options_.failed_login_burst,
        options_.failed_logins_per_second, static_cast<unsigned long long>(logins_refused_));
  }
  return false;
}

void Cloud::login_failed(std::string_view peer) {
  login_throttle_.failed(address_of(peer), Loop::current().now());
}

Status Cloud::listen(TcpListener& listener, std::uint16_t port, Endpoint& at) {
  Result<TcpListener> l = TcpListener::listen(Endpoint{options_.address, port}, options_.backlog, sockets_);
  if (!l) return l.error();
  listener = std::move(*l);
  at = *listener.local_endpoint();
  return {};
}

Status Cloud::start() {
  if (options_.admin_key.empty()) options_.admin_key = make_admin_key();
  if (options_.tls_port && (options_.tls_identity == nullptr || !options_.tls_identity->ready())) {
    WEFT_LOG_ERROR("cloud: a TLS port needs a server certificate and key (CloudOptions::tls_identity)");
    return Errc::invalid_argument;
  }
  Status s = listen(blynk_listener_, options_.port, blynk_at_);
  http_at_ = blynk_at_;
  if (s && options_.http && options_.http_port) s = listen(http_listener_, *options_.http_port, http_at_);
  if (s && options_.tls_port) s = listen(tls_listener_, *options_.tls_port, tls_at_);
  if (!s) {
    blynk_listener_.close();
    http_listener_.close();
    tls_listener_.close();
  }
  return s;
}

Task<> Cloud::run() {
  const bool shared = options_.http && !http_listener_.is_open();
  if (!spawn_counted(accept_loop(blynk_listener_, {shared, false, false}), "cloud-accept") ||
      !spawn_counted(saver(), "cloud-saver") ||
      (http_listener_.is_open() &&
       !spawn_counted(accept_loop(http_listener_, {false, true, false}), "cloud-http-accept")) ||
      (tls_listener_.is_open() &&
       !spawn_counted(accept_loop(tls_listener_, {options_.http, false, true}), "cloud-tls-accept"))) {
    WEFT_LOG_ERROR("cloud: cannot start its tasks (the loop's arena is full): stopping");
    stop();
  }
  co_await stopping_.wait();
  while (tasks_ > 0) {
    idle_.clear();
    co_await idle_.wait();
  }
  save();
}

void Cloud::stop() {
  if (stopped_) return;
  stopped_ = true;
  blynk_listener_.close();
  http_listener_.close();
  tls_listener_.close();
  for (BlynkConnection* c : std::vector<BlynkConnection*>(connections_.begin(), connections_.end()))
    c->close("the cloud is stopping");
  for (PeerStream* s : streams_)
    s->close();
  stopping_.set();
  pulse_changed();  // the dashboard's streams see stopping() and end
}

Task<> Cloud::accept_loop(TcpListener& listener, Serving how) {
  while (!stopped_) {
    Result<TcpStream> c = co_await listener.accept();
    if (!c) {
      if (c.error() == Errc::closed || c.error() == Errc::cancelled || stopped_) break;
      WEFT_LOG_ERROR("cloud: accept failed (%s): too many open files? retrying in 100 ms",
                     to_string(c.error()));
      co_await sleep_ms(100);
      continue;
    }
    if (open_ >= options_.max_connections) {
      refused_ += 1;
      const Micros now = Loop::current().now();
      if (refused_notice_at_ < 0 || now - refused_notice_at_ >= sec(10)) {
        refused_notice_at_ = now;
        WEFT_LOG_WARN(
            "cloud: %zu connections open, the --max-connections limit: refusing new ones (%llu refused so "
            "far)",
            open_, static_cast<unsigned long long>(refused_));
      }
      c->close();
      continue;
    }
    ++open_;  // counted at accept: serve() starts only in the next pass
    if (!spawn_counted(serve(std::move(*c), how), "cloud-conn")) {
      --open_;
      co_await sleep_ms(100);
    }
  }
  task_ended();
}

// Counts a task only once it is spawned: a spawn that fails (arena full, loop stopping) must not leave
// tasks_ above zero, or run() would wait for it forever.
bool Cloud::spawn_counted(Task<> task, const char* name) {
  if (!Loop::current().spawn(std::move(task), name)) return false;
  ++tasks_;
  return true;
}

void Cloud::task_ended() {
  if (--tasks_ == 0) idle_.set();
}

Task<> Cloud::serve(TcpStream tcp, Serving how) {
  PeerStream stream(std::move(tcp));
  streams_.insert(&stream);
  const std::string peer = format_endpoint(stream.peer_endpoint());
  std::string initial;
  bool http = how.http_only;
  // The handshake and the first byte share one deadline: a TLS peer that drips its handshake gets no more
  // time to say something than a plain one.
  const Micros started = Loop::current().now();
  if (how.tls) {
    Status secured = co_await stream.secure(*options_.tls_identity, options_.login_timeout);
    if (!secured) stream.close();  // logged by the TLS stream
  }
  if (how.sniff && stream.is_open()) {
    char buf[1024];
    const Micros left = std::max<Micros>(0, started + options_.login_timeout - Loop::current().now());
    Result<IoResult> read = co_await stream.read_some(buf, left);
    const IoResult r = net::flatten(read);
    if (r.ok()) {
      initial.assign(buf, r.count);
      http = looks_like_http(buf[0]);
    }
    if (!r.ok()) stream.close();
  }
  if (stream.is_open() && !stopped_) {
    if (http) {
      co_await serve_http(*this, stream, std::move(initial));
    } else {
      BlynkConnection conn(*this, stream, peer);
      connections_.insert(&conn);
      co_await conn.serve(std::move(initial));
      connections_.erase(&conn);
    }
  }
  streams_.erase(&stream);
  --open_;
  task_ended();
}

Task<> Cloud::saver() {
  while (!stopped_) {
    Status s = co_await wait_for(stopping_.wait(), options_.save_interval);
    if (s.ok() || s.error() != Errc::timed_out) break;
    if (store_.dirty()) save();
  }
  task_ended();
}

void Cloud::save() {
  if (options_.state_file.empty() || !store_.dirty()) return;
  std::string error;
  if (!store_.save(options_.state_file, error)) WEFT_LOG_ERROR("cloud: %s", error.c_str());
}

void Cloud::attach(Device& d, BlynkConnection& c) {
  if (d.connection != nullptr && d.connection != &c)
    d.connection->close("replaced by a new login of the device");
  d.connection = &c;
  d.address = c.peer();
  d.online_since_ms = unix_ms();
  ++d.stats.logins;
  store_.note_online(d, true);
}

void Cloud::detach(Device& d, BlynkConnection& c) {
  if (d.connection != &c) return;
  d.connection = nullptr;
  d.info.clear();
  WEFT_LOG_INFO("cloud: device '%s' offline", d.name().c_str());
  store_.note_online(d, false);
}

Status Cloud::deliver(Device& d, blynk::HardwareOp op, std::uint8_t pin, std::string_view raw_fields,
                      blynk::Command command, std::uint16_t id) {
  if (d.connection == nullptr) {
    ++d.stats.not_forwarded;
    return Errc::closed;
  }
  Result<std::string> made = blynk_body({blynk::to_string(op), pin}, raw_fields);
  const std::string& body = *made;  // stored fields after an op and a number: always a valid body
  if (!d.connection->fits_buff_in(body.size())) {
    ++d.stats.not_forwarded;
    WEFT_LOG_WARN(
        "cloud: a %zu-byte write to device '%s' not forwarded: with its header, over the buff-in of %zu "
        "bytes "
        "it announced",
        body.size(), d.name().c_str(), d.connection->buff_in());
    return Errc::too_large;
  }
  ++d.stats.messages_out;
  d.connection->send(command, id != 0 ? id : d.connection->next_id(), body);
  return {};
}

Status Cloud::app_write(Device& d, PinRef pin, std::string_view raw_fields, std::string& why) {
  store_.set_value(d, pin, raw_fields);
  if (!d.online()) return {};
  Status s = deliver(d, pin.write_op(), pin.number, raw_fields);
  if (!s && s.error() == Errc::too_large) {
    why = "the value is stored but was not sent: the write is larger than the " +
          std::to_string(d.connection->buff_in()) + "-byte buff-in the device announced";
  }
  return s;
}

Status Cloud::redirect(Device& d, std::string_view host, std::uint16_t port) {
  if (d.connection == nullptr) return Errc::closed;
  Result<std::string> body = blynk_body({host, port});
  if (!body) return body.error();  // a host with a NUL
  WEFT_LOG_INFO("cloud: device '%s' redirected to %.*s:%u", d.name().c_str(), static_cast<int>(host.size()),
                host.data(), static_cast<unsigned>(port));
  d.connection->send(blynk::Command::redirect, d.connection->next_id(), *body);
  d.connection->close_after_flush();
  return {};
}

Status Cloud::disconnect(Device& d) {
  if (d.connection == nullptr) return Errc::closed;
  d.connection->close("disconnected through the REST API");
  return {};
}

}  // namespace weft::cloud
