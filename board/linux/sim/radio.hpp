// Radio: the simulated Wi-Fi around the ESP8266 — access points with a name, password, signal, association
// delay and scripted drop-outs — and the chip's two interfaces (station and access point) as the wifi port
// sees them.
//
// A station attempt (connect) ends, after a delay, in:
//   no AP up with that SSID          -> no_ap_found, after search_time
//   the AP is marked `fail`          -> connect_fail, after the AP's connect_delay
//   wrong password                   -> wrong_password, after the AP's connect_delay
//   otherwise                        -> got_ip (the AP's address for the device), after its connect_delay
// The AP's state is checked when the attempt ends, so an AP dropped meanwhile gives no_ap_found. Dropping the
// AP the station is on makes the station idle at once (link lost). Every status change is reported to the
// framework (Wlan::station_changed) through a World event at the current time, in loop context, like the
// SDK's event callback.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "net/wlan.hpp"

namespace weft::sim {

class World;

struct AccessPoint {
  std::string ssid;
  std::string password;  // "" = open
  net::Mac bssid{};      // all zero: derived from the AP's index
  int channel = 6;
  int rssi = -60;  // dBm
  net::AuthMode auth = net::AuthMode::wpa2_psk;
  Micros connect_delay = Micros{1500} * 1000;  // association + DHCP
  IpAddress address;                           // 0.0.0.0: 192.168.<index+1>.100 (gateway and DNS: .1)
  bool up = true;
  bool fail = false;  // every attempt ends in connect_fail
};

class Radio {
 public:
  explicit Radio(World& world);

  // --- outside ---
  // Errc::invalid_argument (with `why`): empty or > 32-byte SSID, the SSID exists already, a bad password.
  Status add(AccessPoint ap, std::string* why = nullptr);
  // Errc::invalid_argument when no AP has that SSID.
  Status set_up(std::string_view ssid, bool up);
  [[nodiscard]] const AccessPoint* find(std::string_view ssid) const;
  [[nodiscard]] const std::vector<AccessPoint>& access_points() const { return aps_; }
  void replace_all(std::vector<AccessPoint> aps) { aps_ = std::move(aps); }
  Micros search_time = Micros{2000} * 1000;  // how long an attempt looks for a missing AP
  Micros scan_time = Micros{1500} * 1000;

  // --- device side (the wifi port) ---
  [[nodiscard]] bool active(net::Interface i) const {
    return i == net::Interface::station ? sta_active_ : ap_active_;
  }
  void set_active(net::Interface i, bool on);
  void connect(std::string_view ssid, std::string_view password);
  void disconnect();
  [[nodiscard]] net::WlanStatus status() const { return status_; }
  [[nodiscard]] int rssi() const;
  void scan();
  [[nodiscard]] net::IfConfig ifconfig(net::Interface i) const;
  [[nodiscard]] net::Mac mac(net::Interface i) const;
  void ap_config(std::string_view essid, std::string_view password);
  [[nodiscard]] const char* essid(net::Interface i) const;
  [[nodiscard]] const std::string& ap_password() const { return ap_password_; }
  // The SSID of the AP the station is connected to ("" if none).
  [[nodiscard]] const std::string& connected_ssid() const { return connected_; }

  // The chip powers down or resets: the station goes idle and inactive, scans and attempts are dropped; the
  // access point's settings are kept (the SDK stores them in flash) and it comes back active.
  void power_off();

 private:
  [[nodiscard]] std::size_t index_of(std::string_view ssid) const;
  void set_status(net::WlanStatus s);
  void finish_attempt();

  World& world_;
  std::vector<AccessPoint> aps_;
  bool sta_active_ = false;
  bool ap_active_ = true;  // MicroPython's default on the ESP8266
  net::WlanStatus status_ = net::WlanStatus::idle;
  std::string target_ssid_, target_password_;
  std::string connected_;
  std::uint64_t attempt_event_ = 0;
  std::uint64_t scan_event_ = 0;
  std::string ap_essid_;
  std::string ap_password_ = "micropythoN";
};

}  // namespace weft::sim
