#include "radio.hpp"

#include <cstdio>

#include "world.hpp"

namespace weft::sim {
namespace {
// Espressif's OUI; the access point's MAC is the station's with the locally administered bit set (as the
// SDK).
constexpr net::Mac kStationMac = {0x5c, 0xcf, 0x7f, 0xa1, 0xb2, 0xc3};
constexpr net::Mac kApMac = {0x5e, 0xcf, 0x7f, 0xa1, 0xb2, 0xc3};
}  // namespace

Radio::Radio(World& world) : world_(world) {
  char name[32];
  std::snprintf(name, sizeof name, "MicroPython-%02x%02x%02x", kApMac[3], kApMac[4], kApMac[5]);
  ap_essid_ = name;
}

Status Radio::add(AccessPoint ap, std::string* why) {
  auto reject = [&](const char* reason) {
    if (why != nullptr) *why = reason;
    return Status{Errc::invalid_argument};
  };
  if (ap.ssid.empty() || ap.ssid.size() > net::Wlan::kMaxSsid) return reject("an SSID has 1..32 bytes");
  if (index_of(ap.ssid) != aps_.size()) return reject("an access point with that SSID exists already");
  if (!ap.password.empty() &&
      (ap.password.size() < net::Wlan::kMinPassword || ap.password.size() > net::Wlan::kMaxPassword)) {
    return reject("a WPA password has 8..64 characters (or use none: an open network)");
  }
  if (ap.password.empty()) ap.auth = net::AuthMode::open;
  std::size_t n = aps_.size();
  if (ap.bssid == net::Mac{}) ap.bssid = {0x02, 0x00, 0x5e, 0x10, 0x00, static_cast<std::uint8_t>(n + 1)};
  if (ap.address == IpAddress{}) ap.address = IpAddress::v4(192, 168, static_cast<std::uint8_t>(n + 1), 100);
  aps_.push_back(std::move(ap));
  return {};
}

std::size_t Radio::index_of(std::string_view ssid) const {
  for (std::size_t i = 0; i < aps_.size(); ++i) {
    if (aps_[i].ssid == ssid) return i;
  }
  return aps_.size();
}

const AccessPoint* Radio::find(std::string_view ssid) const {
  std::size_t i = index_of(ssid);
  return i < aps_.size() ? &aps_[i] : nullptr;
}

Status Radio::set_up(std::string_view ssid, bool up) {
  std::size_t i = index_of(ssid);
  if (i == aps_.size()) return Errc::invalid_argument;
  aps_[i].up = up;
  if (!up && connected_ == ssid) {
    connected_.clear();
    set_status(net::WlanStatus::idle);  // beacon lost: the link drops
  }
  return {};
}

void Radio::set_status(net::WlanStatus s) {
  if (s == status_) return;
  status_ = s;
  Change c;
  c.kind = Change::Kind::wifi;
  c.wifi = s;
  world_.notify(c);
  // The SDK reports status changes through an event callback: the framework hears of it in loop context.
  world_.schedule(world_.now(), [] { net::Wlan::station_changed(); });
}

void Radio::set_active(net::Interface i, bool on) {
  if (i == net::Interface::access_point) {
    ap_active_ = on;
    return;
  }
  sta_active_ = on;
  if (!on) disconnect();
}

void Radio::connect(std::string_view ssid, std::string_view password) {
  world_.cancel(attempt_event_);
  target_ssid_ = ssid;
  target_password_ = password;
  connected_.clear();
  set_status(net::WlanStatus::connecting);
  const AccessPoint* ap = find(ssid);
  Micros delay = ap != nullptr && ap->up ? ap->connect_delay : search_time;
  attempt_event_ = world_.schedule(world_.now() + delay, [this] { finish_attempt(); });
}

void Radio::finish_attempt() {
  attempt_event_ = 0;
  const AccessPoint* ap = find(target_ssid_);
  if (ap == nullptr || !ap->up) {
    set_status(net::WlanStatus::no_ap_found);
  } else if (ap->fail) {
    set_status(net::WlanStatus::connect_fail);
  } else if (ap->password != target_password_) {
    set_status(net::WlanStatus::wrong_password);
  } else {
    connected_ = ap->ssid;
    set_status(net::WlanStatus::got_ip);
  }
}

void Radio::disconnect() {
  world_.cancel(attempt_event_);
  attempt_event_ = 0;
  connected_.clear();
  set_status(net::WlanStatus::idle);
}

int Radio::rssi() const {
  const AccessPoint* ap = find(connected_);
  return ap != nullptr ? ap->rssi : 0;
}

void Radio::scan() {
  world_.cancel(scan_event_);
  scan_event_ = world_.schedule(world_.now() + scan_time, [this] {
    scan_event_ = 0;
    std::vector<net::ScanResult> found;
    for (const AccessPoint& ap : aps_) {
      if (!ap.up) continue;
      net::ScanResult r;
      std::snprintf(r.ssid, sizeof r.ssid, "%s", ap.ssid.c_str());
      r.bssid = ap.bssid;
      r.channel = ap.channel;
      r.rssi = ap.rssi;
      r.auth = ap.auth;
      found.push_back(r);
    }
    net::Wlan::scan_done(found);
  });
}

net::IfConfig Radio::ifconfig(net::Interface i) const {
  net::IfConfig c;
  if (i == net::Interface::access_point) {
    // The addresses MicroPython's ESP8266 access point reports (seed 003).
    c.ip = c.gateway = IpAddress::v4(192, 168, 4, 1);
    c.netmask = IpAddress::v4(255, 255, 255, 0);
    c.dns = IpAddress::v4(208, 67, 222, 222);
    return c;
  }
  const AccessPoint* ap = find(connected_);
  if (ap == nullptr || status_ != net::WlanStatus::got_ip) return c;
  auto b = ap->address.bytes();
  c.ip = ap->address;
  c.netmask = IpAddress::v4(255, 255, 255, 0);
  c.gateway = c.dns = IpAddress::v4(b[0], b[1], b[2], 1);
  return c;
}

net::Mac Radio::mac(net::Interface i) const {
  return i == net::Interface::station ? kStationMac : kApMac;
}

void Radio::ap_config(std::string_view essid, std::string_view password) {
  ap_essid_ = essid;
  ap_password_ = password;
}

const char* Radio::essid(net::Interface i) const {
  return i == net::Interface::access_point ? ap_essid_.c_str() : target_ssid_.c_str();
}

void Radio::power_off() {
  attempt_event_ = scan_event_ = 0;  // the World drops every pending event
  sta_active_ = false;
  ap_active_ = true;
  connected_.clear();
  target_ssid_.clear();
  target_password_.clear();
  if (status_ != net::WlanStatus::idle) {
    status_ = net::WlanStatus::idle;
    Change c;
    c.kind = Change::Kind::wifi;
    c.wifi = status_;
    world_.notify(c);
  }
}

}  // namespace weft::sim
