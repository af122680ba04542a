// The Wi-Fi port: what a board supplies for framework/net's Wlan. Declared here, defined by the board
// (board/linux/sim simulates access points; a real ESP8266 board wraps the SDK's wifi_* calls with the SDK's
// own auto-reconnect off: Wlan does reconnecting, with backoff).
//
// Arguments are validated by Wlan first. The board reports progress by calling Wlan::station_changed() and
// Wlan::scan_done() in loop context (the SDK's event callback posts them to the loop); never from inside
// these functions.
#pragma once
#include <string_view>

#include "wlan.hpp"

namespace weft::net::port {

[[nodiscard]] bool wifi_active(Interface iface);
void wifi_set_active(Interface iface, bool on);
// Begins an attempt: the status becomes connecting now; the outcome is reported later.
void wifi_sta_connect(std::string_view ssid, std::string_view password);
// Drops the link or the attempt: the status becomes idle now.
void wifi_sta_disconnect();
[[nodiscard]] WlanStatus wifi_sta_status();
[[nodiscard]] int wifi_sta_rssi();
// Begins a scan; the results are reported with Wlan::scan_done().
void wifi_scan_start();
[[nodiscard]] IfConfig wifi_ifconfig(Interface iface);
[[nodiscard]] Mac wifi_mac(Interface iface);
void wifi_ap_config(std::string_view essid, std::string_view password);
[[nodiscard]] const char* wifi_essid(Interface iface);

}  // namespace weft::net::port
