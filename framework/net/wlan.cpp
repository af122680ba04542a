#include "wlan.hpp"

#include <cstring>

#include "core/log.hpp"
#include "wifi_port.hpp"

namespace weft::net {
namespace {
Wlan* g_handles = nullptr;

const char* iface_name(Interface i) {
  return i == Interface::station ? "station" : "access point";
}

bool hex_digits(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

// The ESP8266 rules for a network name and a WPA password.
Status check_credentials(const char* what, std::string_view ssid, std::string_view password) {
  if (ssid.empty() || ssid.size() > Wlan::kMaxSsid) {
    log_message(LogLevel::error, "%s: SSID of %lu bytes; use 1..32", what,
                static_cast<unsigned long>(ssid.size()));
    return Errc::invalid_argument;
  }
  bool passphrase = password.size() >= Wlan::kMinPassword && password.size() < Wlan::kMaxPassword;
  bool raw_key = password.size() == Wlan::kMaxPassword && hex_digits(password);
  if (!password.empty() && !passphrase && !raw_key) {
    log_message(LogLevel::error,
                "%s: password of %lu characters; use \"\" (open), 8..63 characters or 64 hex digits", what,
                static_cast<unsigned long>(password.size()));
    return Errc::invalid_argument;
  }
  return {};
}

void copy_text(char* out, std::size_t capacity, std::string_view s) {
  std::size_t n = s.size() < capacity - 1 ? s.size() : capacity - 1;
  std::memcpy(out, s.data(), n);
  out[n] = '\0';
}
}  // namespace

const char* to_string(WlanStatus s) {
  switch (s) {
    case WlanStatus::idle:
      return "idle";
    case WlanStatus::connecting:
      return "connecting";
    case WlanStatus::wrong_password:
      return "wrong password";
    case WlanStatus::no_ap_found:
      return "no AP found";
    case WlanStatus::connect_fail:
      return "connect fail";
    case WlanStatus::got_ip:
      return "got IP";
  }
  return "unknown";
}

const char* to_string(AuthMode a) {
  switch (a) {
    case AuthMode::open:
      return "open";
    case AuthMode::wep:
      return "WEP";
    case AuthMode::wpa_psk:
      return "WPA-PSK";
    case AuthMode::wpa2_psk:
      return "WPA2-PSK";
    case AuthMode::wpa_wpa2_psk:
      return "WPA/WPA2-PSK";
  }
  return "unknown";
}

Wlan::Wlan(Interface iface, Loop& loop)
    : iface_(iface), retry_([this] { start_attempt_after_backoff(); }, loop) {
  next_ = g_handles;
  g_handles = this;
}

Wlan::~Wlan() {
  for (Wlan** p = &g_handles; *p != nullptr; p = &(*p)->next_) {
    if (*p == this) {
      *p = next_;
      break;
    }
  }
}

bool Wlan::active() const {
  return default_wifi_port().active(iface_);
}

void Wlan::active(bool on) {
  if (!on && iface_ == Interface::station) {
    want_connected_ = false;
    retry_.stop();
  }
  default_wifi_port().set_active(iface_, on);
}

bool Wlan::check_station(const char* what) const {
  if (iface_ != Interface::station) {
    log_message(LogLevel::error,
                "Wlan::%s: only the station interface can do that (this is the access point)", what);
    return false;
  }
  if (!default_wifi_port().active(iface_)) {
    log_message(LogLevel::error, "Wlan::%s: the station interface is not active; call active(true) first",
                what);
    return false;
  }
  return true;
}

Status Wlan::begin_connect(std::string_view ssid, std::string_view password) {
  if (!check_station("connect")) return Errc::invalid_argument;
  if (Status s = check_credentials("Wlan::connect", ssid, password); !s) return s;
  copy_text(ssid_, sizeof ssid_, ssid);
  copy_text(password_, sizeof password_, password);
  want_connected_ = true;
  next_delay_ = backoff_.first;
  retry_.stop();
  start_attempt();
  return {};
}

void Wlan::start_attempt() {
  attempt_open_ = true;
  attempt_done_.clear();
  connected_.clear();
  default_wifi_port().sta_connect(ssid_, password_);
}

void Wlan::start_attempt_after_backoff() {
  if (!want_connected_ || !auto_reconnect_) return;
  WlanStatus s = default_wifi_port().sta_status();
  if (s == WlanStatus::got_ip || s == WlanStatus::connecting) return;
  ++reconnects_;
  log_message(LogLevel::info, "wifi: reconnecting to \"%s\" (attempt %lu)", ssid_,
              static_cast<unsigned long>(reconnects_));
  start_attempt();
}

Wlan::ConnectAwaiter Wlan::connect(std::string_view ssid, std::string_view password, Micros timeout) {
  Status s = begin_connect(ssid, password);
  return ConnectAwaiter(*this, s.error(), timeout);
}

Status Wlan::ConnectAwaiter::await_resume() {
  if (early_ != Errc::ok) return early_;
  if (Status s = wait_.await_resume(); !s) return s;
  switch (w_->outcome_) {
    case WlanStatus::got_ip:
      return {};
    case WlanStatus::wrong_password:
      return Errc::refused;
    case WlanStatus::no_ap_found:
      return Errc::unreachable;
    case WlanStatus::connect_fail:
      return Errc::io_error;
    default:
      return Errc::closed;
  }
}

WaitFor<Event::Awaiter> Wlan::wait_connected(Micros timeout) {
  return {connected_.wait(), timeout};
}

WlanStatus Wlan::status() const {
  return iface_ == Interface::station ? default_wifi_port().sta_status() : WlanStatus::idle;
}

int Wlan::rssi() const {
  return isconnected() ? default_wifi_port().sta_rssi() : 0;
}

void Wlan::disconnect() {
  want_connected_ = false;
  retry_.stop();
  if (iface_ == Interface::station) default_wifi_port().sta_disconnect();
}

void Wlan::auto_reconnect(Backoff policy) {
  if (policy.first <= 0) policy.first = 1;
  if (policy.max < policy.first) policy.max = policy.first;
  if (policy.factor == 0) policy.factor = 1;
  backoff_ = policy;
  next_delay_ = policy.first;
  auto_reconnect_ = true;
  // A link that is already down (or an attempt that already failed) is retried from now on too.
  WlanStatus s = status();
  if (want_connected_ && s != WlanStatus::got_ip && s != WlanStatus::connecting && !retry_.active())
    schedule_retry();
}

void Wlan::auto_reconnect_off() {
  auto_reconnect_ = false;
  retry_.stop();
}

void Wlan::schedule_retry() {
  if (!auto_reconnect_ || !want_connected_) return;
  (void)retry_.start_once(next_delay_);
  Micros grown = next_delay_ > backoff_.max / static_cast<Micros>(backoff_.factor)
                     ? backoff_.max
                     : next_delay_ * static_cast<Micros>(backoff_.factor);
  next_delay_ = grown < backoff_.max ? grown : backoff_.max;
}

void Wlan::finish_attempt(WlanStatus s) {
  attempt_open_ = false;
  outcome_ = s;
  attempt_done_.set();
}

void Wlan::on_status(WlanStatus s) {
  switch (s) {
    case WlanStatus::connecting:
      return;
    case WlanStatus::got_ip:
      if (!connected_.is_set()) log_message(LogLevel::info, "wifi: connected to \"%s\"", ssid_);
      connected_.set();
      retry_.stop();
      next_delay_ = backoff_.first;
      if (attempt_open_) finish_attempt(s);
      return;
    case WlanStatus::idle:
      if (connected_.is_set()) {
        connected_.clear();
        log_message(LogLevel::warning, "wifi: lost the link to \"%s\"", ssid_);
        schedule_retry();
      }
      if (attempt_open_) finish_attempt(s);
      return;
    default:
      connected_.clear();
      if (!attempt_open_) return;
      log_message(LogLevel::warning, "wifi: connecting to \"%s\" failed: %s", ssid_, to_string(s));
      finish_attempt(s);
      schedule_retry();
      return;
  }
}

Wlan::ScanAwaiter Wlan::scan(std::span<ScanResult> out) {
  Errc early = Errc::ok;
  if (!check_station("scan")) {
    early = Errc::invalid_argument;
  } else if (scanning_) {
    log_message(LogLevel::error, "Wlan::scan: a scan is already running on this interface");
    early = Errc::busy;
  } else {
    scanning_ = true;
    scan_out_ = out;
    scan_count_ = 0;
    scan_done_.clear();
    default_wifi_port().scan_start();
  }
  return ScanAwaiter(*this, early, Micros{10} * 1000 * 1000);
}

Result<std::size_t> Wlan::ScanAwaiter::await_resume() {
  if (early_ != Errc::ok) return early_;
  Status s = wait_.await_resume();
  w_->scanning_ = false;  // a timed-out or cancelled scan's late results are dropped
  w_->scan_out_ = {};
  if (!s) return s.error();
  return w_->scan_count_;
}

IfConfig Wlan::ifconfig() const {
  return default_wifi_port().ifconfig(iface_);
}
Mac Wlan::mac() const {
  return default_wifi_port().mac(iface_);
}
const char* Wlan::essid() const {
  return default_wifi_port().essid(iface_);
}

Status Wlan::config(std::string_view essid, std::string_view password) {
  if (iface_ != Interface::access_point) {
    log_message(LogLevel::error,
                "Wlan::config: only the access point has a name and password to set; the %s "
                "takes them in connect()",
                iface_name(iface_));
    return Errc::invalid_argument;
  }
  if (Status s = check_credentials("Wlan::config", essid, password); !s) return s;
  default_wifi_port().ap_config(essid, password);
  return {};
}

void Wlan::station_changed() {
  WlanStatus s = default_wifi_port().sta_status();
  for (Wlan* w = g_handles; w != nullptr; w = w->next_) {
    if (w->iface_ == Interface::station) w->on_status(s);
  }
}

void Wlan::scan_done(std::span<const ScanResult> results) {
  for (Wlan* w = g_handles; w != nullptr; w = w->next_) {
    if (!w->scanning_ || w->scan_done_.is_set()) continue;
    std::size_t n = results.size() < w->scan_out_.size() ? results.size() : w->scan_out_.size();
    for (std::size_t i = 0; i < n; ++i)
      w->scan_out_[i] = results[i];
    w->scan_count_ = n;
    w->scan_done_.set();
  }
}

}  // namespace weft::net
