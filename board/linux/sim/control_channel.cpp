#include "control_channel.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/log.hpp"
#include "linux/linux_clock.hpp"
#include "names.hpp"
#include "net/http/json_writer.hpp"
#include "scenario.hpp"
#include "world.hpp"

namespace weft::sim {
namespace {
constexpr std::size_t kMaxLine = 4096;
constexpr std::size_t kMaxQueued = 1 << 20;
constexpr const char* kOps =
    "pin, drive, press, release, adc, wifi, wifi_ap, wifi_drop, wifi_up, reset, state, time, subscribe, "
    "unsubscribe, hold, advance, run";

const char* mode_name(const Pads::View& v) {
  if (v.duty >= 0) return "pwm";
  if (!v.configured) return "unconfigured";
  switch (v.mode) {
    case machine::PinMode::in:
      return "in";
    case machine::PinMode::out:
      return "out";
    case machine::PinMode::open_drain:
      return "open_drain";
  }
  return "?";
}

const char* pull_name(machine::Pull p) {
  return p == machine::Pull::up ? "up" : p == machine::Pull::down ? "down" : "none";
}

net::JsonWriter& write_pin(net::JsonWriter& j, const World& w, int gpio) {
  Pads::View v = w.pads().view(gpio);
  j.begin_object().member("pin", gpio);
  if (const char* label = machine::nodemcu_label(gpio)) j.member("label", label);
  return j.member("level", v.level)
      .member("mode", mode_name(v))
      .member("pull", pull_name(v.pull))
      .member("drive", to_string(v.drive))
      .member("pwm_duty", v.duty)
      .member("irq", v.irq)
      .end_object();
}

net::JsonWriter& write_wifi(net::JsonWriter& j, const World& w) {
  j.begin_object()
      .member("status", name_of(w.radio().status(), kWifiStatusNames))
      .member("ssid", w.radio().connected_ssid())
      .key("aps")
      .begin_array();
  for (const AccessPoint& ap : w.radio().access_points()) {
    j.begin_object()
        .member("ssid", ap.ssid)
        .member("up", ap.up)
        .member("rssi", ap.rssi)
        .member("channel", ap.channel)
        .member("fail", ap.fail)
        .end_object();
  }
  return j.end_array().end_object();
}

// A request's value echoed back (the "id"): numbers as numbers, in JSON's form whatever the request wrote.
net::JsonWriter& write_value(net::JsonWriter& j, const JsonValue& v) {
  switch (v.type) {
    case JsonValue::Type::string:
      return j.value(v.text);
    case JsonValue::Type::number:
      return j.value(v.number);
    case JsonValue::Type::boolean:
      return j.value(v.boolean);
    case JsonValue::Type::null:
      break;
  }
  return j.null();
}

// Closes the reply object (opened by the caller) and returns its line.
std::string line_of(net::JsonWriter& j) {
  j.end_object();
  return std::string(j.text());
}

std::string error_line(std::string_view message) {
  net::JsonText j;
  return line_of(j.begin_object().member("ok", false).member("error", message));
}

bool parse_pin(const JsonValue* v, int& gpio, std::string& error) {
  if (v == nullptr) {
    error = "missing \"pin\" (a GPIO number or a label like \"D5\")";
    return false;
  }
  std::string text = v->text;
  Result<int> g = machine::parse_gpio(text);
  if (v->type == JsonValue::Type::null || v->type == JsonValue::Type::boolean || !g) {
    error = "bad pin \"" + text +
            "\": use a GPIO number 0..5 or 12..16, \"GPIOn\" or a NodeMCU label \"D0\"..\"D8\"";
    return false;
  }
  gpio = *g;
  return true;
}

bool parse_int(const JsonValue* v, const char* name, long long lo, long long hi, long long& out,
               std::string& error) {
  if (v == nullptr || v->type != JsonValue::Type::number ||
      v->number != static_cast<double>(static_cast<long long>(v->number)) ||
      v->number < static_cast<double>(lo) || v->number > static_cast<double>(hi)) {
    error = std::string("\"") + name + "\" must be a whole number in " + std::to_string(lo) + ".." +
            std::to_string(hi);
    return false;
  }
  out = static_cast<long long>(v->number);
  return true;
}

bool parse_ssid(const JsonValue* v, std::string& out, std::string& error) {
  if (v == nullptr || v->type != JsonValue::Type::string || v->text.empty() || v->text.size() > 32) {
    error = "\"ssid\" must be a string of 1..32 bytes";
    return false;
  }
  out = v->text;
  return true;
}
}  // namespace

ControlChannel::ControlChannel(World& world) : world_(world) {
  watch_.events = EPOLLIN;
  watch_.context = this;
  watch_.on_ready = [](linux_board::FdWatch& w, std::uint32_t) {
    static_cast<ControlChannel*>(w.context)->poll();
  };
}

ControlChannel::~ControlChannel() {
  if (observer_ != 0) world_.unobserve(observer_);
  if (watch_.registered) linux_board::linux_clock().unwatch(watch_);  // (the clock may be gone at exit)
  for (auto& c : clients_)
    close(c->fd);
  if (listen_fd_ >= 0) close(listen_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
  if (!unix_path_.empty()) unlink(unix_path_.c_str());
}

Status ControlChannel::open(const std::string& address) {
  auto failed = [&](const char* what) {
    log_message(LogLevel::error, "control channel %s: %s failed: %s", address.c_str(), what,
                std::strerror(errno));
    return Status{Errc::io_error};
  };
  if (address.rfind("tcp:", 0) == 0) {
    char* end = nullptr;
    long port = std::strtol(address.c_str() + 4, &end, 10);
    if (end == address.c_str() + 4 || *end != '\0' || port < 0 || port > 65535) {
      log_message(LogLevel::error, "control channel %s: the port must be 0..65535 (0 picks a free one)",
                  address.c_str());
      return Errc::invalid_argument;
    }
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) return failed("socket");
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return failed("bind");
    socklen_t len = sizeof a;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  } else {
    std::string path = address.rfind("unix:", 0) == 0 ? address.substr(5) : address;
    sockaddr_un a{};
    if (path.empty() || (path[0] != '/' && path[0] != '.') || path.size() >= sizeof a.sun_path) {
      log_message(LogLevel::error,
                  "control channel '%s': use unix:/path/to.sock, /path/to.sock (under 108 bytes) or tcp:PORT",
                  address.c_str());
      return Errc::invalid_argument;
    }
    struct stat st {};
    if (stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode))
      unlink(path.c_str());  // a stale socket of an earlier run
    listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) return failed("socket");
    a.sun_family = AF_UNIX;
    std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return failed("bind");
    unix_path_ = path;
    world_.at_exit([path] { unlink(path.c_str()); });
  }
  if (listen(listen_fd_, 8) != 0) return failed("listen");
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return failed("epoll_create1");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 0;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev) != 0) return failed("epoll_ctl");
  watch_.fd = epoll_fd_;
  observer_ = world_.observe([this](const Change& c) { on_change(c); });
  return {};
}

bool ControlChannel::poll() {
  ran_ = false;
  if (epoll_fd_ < 0) return false;
  epoll_event events[16];
  // Until nothing is ready (a new client's first request is read in the same poll), bounded against a flood.
  for (int round = 0; round < 64; ++round) {
    int n = epoll_wait(epoll_fd_, events, 16, 0);
    if (n <= 0) break;
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 == 0) {
        accept_clients();
        continue;
      }
      Client* c = find(static_cast<int>(events[i].data.u64));
      if (c == nullptr || c->closed) continue;
      if ((events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) read_client(*c);
      if (!c->closed && (events[i].events & EPOLLOUT) != 0) flush(*c);
    }
    reap();
  }
  return ran_;
}

void ControlChannel::accept_clients() {
  for (;;) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    auto c = std::make_unique<Client>();
    c->id = next_client_++;
    c->fd = fd;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = static_cast<std::uint64_t>(c->id);
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      close(fd);
      continue;
    }
    clients_.push_back(std::move(c));
    ran_ = true;
  }
}

ControlChannel::Client* ControlChannel::find(int id) {
  for (auto& c : clients_) {
    if (c->id == id) return c.get();
  }
  return nullptr;
}

void ControlChannel::read_client(Client& c) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(c.fd, buf, sizeof buf);
    if (n > 0) {
      c.in.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) c.closed = true;
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  std::size_t nl;
  while (!c.closed && (nl = c.in.find('\n')) != std::string::npos) {
    std::string line = c.in.substr(0, nl);
    c.in.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (c.discarding) {
      c.discarding = false;
      continue;
    }
    if (line.size() > kMaxLine) {
      send(c, error_line("line longer than 4096 bytes: discarded"));
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    ran_ = true;
    std::string reply = handle(line, c.id);
    if (!reply.empty()) send(c, std::move(reply));
  }
  if (c.in.size() > kMaxLine) {
    c.in.clear();
    c.discarding = true;
    send(c, error_line("line longer than 4096 bytes: discarded"));
  }
  if (c.closed) ran_ = true;
}

void ControlChannel::send(Client& c, std::string line) {
  if (c.closed) return;
  c.out += line;
  c.out += '\n';
  if (c.out.size() > kMaxQueued) {
    log_message(LogLevel::warning,
                "control channel: client %d does not read its replies (1 MiB queued): dropped", c.id);
    c.closed = true;
    return;
  }
  flush(c);
}

void ControlChannel::flush(Client& c) {
  while (!c.out.empty()) {
    ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c.out.erase(0, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) c.closed = true;
    break;
  }
  epoll_event ev{};
  ev.events = EPOLLIN | (c.out.empty() ? 0u : static_cast<std::uint32_t>(EPOLLOUT));
  ev.data.u64 = static_cast<std::uint64_t>(c.id);
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
}

void ControlChannel::reap() {
  for (auto it = clients_.begin(); it != clients_.end();) {
    if (!(*it)->closed) {
      ++it;
      continue;
    }
    int id = (*it)->id;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, (*it)->fd, nullptr);
    close((*it)->fd);
    std::erase_if(advances_, [id](const PendingAdvance& a) { return a.client_id == id; });
    it = clients_.erase(it);
  }
}

void ControlChannel::after_wait() {
  for (auto it = advances_.begin(); it != advances_.end();) {
    if (world_.now() < it->at) {
      ++it;
      continue;
    }
    if (Client* c = find(it->client_id)) {
      net::JsonText w;
      w.begin_object();
      if (it->has_id) write_value(w.key("id"), it->id);
      send(*c, line_of(w.member("ok", true).member("t_us", world_.now())));
    }
    it = advances_.erase(it);
  }
}

void ControlChannel::on_change(const Change& change) {
  net::JsonText w;
  w.begin_object();
  switch (change.kind) {
    case Change::Kind::pin:
      w.member("event", "pin").member("pin", change.gpio).member("level", change.level);
      break;
    case Change::Kind::pwm:
      w.member("event", "pwm")
          .member("pin", change.gpio)
          .member("duty", change.duty)
          .member("freq", change.freq);
      break;
    case Change::Kind::wifi:
      w.member("event", "wifi").member("status", name_of(change.wifi, kWifiStatusNames));
      break;
    case Change::Kind::power:
      w.member("event", "power");
      break;
  }
  std::string line = line_of(w.member("text", describe(change)).member("t_us", change.at));
  for (auto& c : clients_) {
    if (c->subscribed) send(*c, line);
  }
}

std::string ControlChannel::handle(std::string_view line, int client_id) {
  JsonObject req;
  std::string error;
  net::JsonText reply;
  reply.begin_object();
  bool parsed = JsonObject::parse(line, req, error);
  const JsonValue* id = parsed ? req.get("id") : nullptr;
  if (id != nullptr) write_value(reply.key("id"), *id);
  auto fail = [&](const std::string& message) {
    return line_of(reply.member("ok", false).member("error", message));
  };
  if (!parsed) return fail("malformed request: " + error);
  const JsonValue* op_value = req.get("op");
  if (op_value == nullptr || op_value->type != JsonValue::Type::string) {
    return fail(std::string("missing \"op\": one of ") + kOps);
  }
  const std::string& op = op_value->text;
  Pads& pads = world_.pads();
  int gpio = -1;
  long long n = 0;
  std::string ssid;

  if (op == "pin") {
    if (!parse_pin(req.get("pin"), gpio, error)) return fail(error);
    return line_of(write_pin(reply.member("ok", true).key("state"), world_, gpio));
  }
  if (op == "drive" || op == "press" || op == "release") {
    if (!parse_pin(req.get("pin"), gpio, error)) return fail(error);
    Drive d = op == "press" ? Drive::low : Drive::none;
    if (op == "drive") {
      const JsonValue* level = req.get("level");
      std::string l = level != nullptr ? level->text : "";
      if (l == "0" || l == "1")
        d = l == "1" ? Drive::high : Drive::low;
      else if (!value_named(l, kDriveNames, d))
        return fail("\"level\" must be \"low\", \"high\" or \"float\"");
    }
    pads.drive(gpio, d);
    return line_of(write_pin(reply.member("ok", true).key("state"), world_, gpio));
  }
  if (op == "adc") {
    if (req.get("value") != nullptr) {
      if (!parse_int(req.get("value"), "value", 0, 1023, n, error)) return fail(error);
      pads.set_adc(static_cast<int>(n));
    }
    return line_of(reply.member("ok", true).member("value", pads.adc()));
  }
  if (op == "wifi") return line_of(write_wifi(reply.member("ok", true).key("wifi"), world_));
  if (op == "wifi_drop" || op == "wifi_up") {
    if (!parse_ssid(req.get("ssid"), ssid, error)) return fail(error);
    if (!world_.radio().set_up(ssid, op == "wifi_up")) return fail("no access point \"" + ssid + "\"");
    return line_of(write_wifi(reply.member("ok", true).key("wifi"), world_));
  }
  if (op == "wifi_ap") {
    AccessPoint ap;
    if (!parse_ssid(req.get("ssid"), ap.ssid, error)) return fail(error);
    if (const JsonValue* p = req.get("password")) ap.password = p->text;
    if (req.get("rssi") != nullptr) {
      if (!parse_int(req.get("rssi"), "rssi", -100, 0, n, error)) return fail(error);
      ap.rssi = static_cast<int>(n);
    }
    if (req.get("channel") != nullptr) {
      if (!parse_int(req.get("channel"), "channel", 1, 14, n, error)) return fail(error);
      ap.channel = static_cast<int>(n);
    }
    if (req.get("delay_ms") != nullptr) {
      if (!parse_int(req.get("delay_ms"), "delay_ms", 0, 3600000, n, error)) return fail(error);
      ap.connect_delay = n * 1000;
    }
    if (!world_.radio().add(ap, &error)) return fail(error);
    return line_of(write_wifi(reply.member("ok", true).key("wifi"), world_));
  }
  if (op == "reset") {
    std::string text = line_of(reply.member("ok", true));
    if (Client* c = find(client_id)) {
      send(*c, text);  // before the reset: in its own process the program ends with it
      world_.press_reset();
      return "";
    }
    world_.press_reset();
    return text;
  }
  if (op == "time") {
    return line_of(reply.member("ok", true)
                       .member("t_us", world_.now())
                       .member("uptime_us", world_.now() - world_.boot_time()));
  }
  if (op == "state") {
    reply.member("ok", true)
        .member("t_us", world_.now())
        .member("boots", world_.boots())
        .member("running", world_.running())
        .member("asleep", world_.asleep())
        .member("reset_cause", machine::to_string(world_.reset_cause()))
        .member("adc", pads.adc())
        .member("pwm_freq", pads.pwm_freq())
        .key("pins")
        .begin_array();
    for (int g = 0; g < machine::kGpioCount; ++g) {
      if (machine::is_usable_gpio(g)) write_pin(reply, world_, g);
    }
    return line_of(write_wifi(reply.end_array().key("wifi"), world_));
  }
  if (op == "subscribe" || op == "unsubscribe") {
    if (Client* c = find(client_id)) c->subscribed = op == "subscribe";
    return line_of(reply.member("ok", true));
  }
  if (op == "hold" || op == "advance" || op == "run") {
    if (world_.clock() != ClockMode::virtual_time)
      return fail("\"" + op + "\" needs the virtual clock (WEFT_SIM_CLOCK=virtual)");
    if (op == "run") {
      world_.set_horizon(kForever);
      return line_of(reply.member("ok", true).member("t_us", world_.now()));
    }
    if (op == "hold") {
      world_.set_horizon(world_.now());
      return line_of(reply.member("ok", true).member("t_us", world_.now()));
    }
    Micros step = 0;
    if (req.get("ms") != nullptr) {
      if (!parse_int(req.get("ms"), "ms", 1, 86400000, n, error)) return fail(error);
      step = n * 1000;
    } else if (req.get("us") != nullptr) {
      if (!parse_int(req.get("us"), "us", 1, 86400000000LL, n, error)) return fail(error);
      step = n;
    } else {
      return fail("\"advance\" needs \"ms\" or \"us\" (how far to run)");
    }
    Micros from = world_.horizon() == kForever ? world_.now() : std::max(world_.horizon(), world_.now());
    world_.set_horizon(from + step);
    advances_.push_back(
        PendingAdvance{client_id, id != nullptr, id != nullptr ? *id : JsonValue{}, from + step});
    return "";  // replied by after_wait() once time gets there
  }
  return fail("unknown op \"" + op + "\": use one of " + kOps);
}

}  // namespace weft::sim
