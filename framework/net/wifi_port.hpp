// The Wi-Fi port: what a board supplies for framework/net's Wlan. A board implements WifiPort and defines
// weft::net::default_wifi_port() (board/linux/sim simulates access points; board/esp8266 wraps the SDK's
// wifi_* calls with the SDK's own auto-reconnect off: Wlan does reconnecting, with backoff).
//
// Arguments are validated by Wlan first. The board reports progress by calling Wlan::station_changed() and
// Wlan::scan_done() in loop context (the SDK's event callback posts them to the loop); never from inside
// these functions. Loop context only; none waits.
#pragma once
#include <string_view>

#include "wlan.hpp"

namespace weft::net {

class WifiPort {
 public:
  [[nodiscard]] virtual bool active(Interface iface) = 0;
  virtual void set_active(Interface iface, bool on) = 0;
  // Begins an attempt: the status becomes connecting now; the outcome is reported later.
  virtual void sta_connect(std::string_view ssid, std::string_view password) = 0;
  // Drops the link or the attempt: the status becomes idle now.
  virtual void sta_disconnect() = 0;
  [[nodiscard]] virtual WlanStatus sta_status() = 0;
  [[nodiscard]] virtual int sta_rssi() = 0;
  // Begins a scan; the results are reported with Wlan::scan_done().
  virtual void scan_start() = 0;
  [[nodiscard]] virtual IfConfig ifconfig(Interface iface) = 0;
  [[nodiscard]] virtual Mac mac(Interface iface) = 0;
  virtual void ap_config(std::string_view essid, std::string_view password) = 0;
  [[nodiscard]] virtual const char* essid(Interface iface) = 0;

 protected:
  WifiPort() = default;
  ~WifiPort() = default;
  WifiPort(const WifiPort&) = delete;
  WifiPort& operator=(const WifiPort&) = delete;
};

// Defined by the board linked into the program: the radio every Wlan drives.
[[nodiscard]] WifiPort& default_wifi_port();

}  // namespace weft::net
