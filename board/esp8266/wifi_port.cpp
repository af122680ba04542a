// The Wi-Fi port on the NONOS SDK (framework/net/wifi_port.hpp): station and access point through the SDK's
// wifi_* calls, with the SDK's own auto-connect and reconnect off (Wlan reconnects, with backoff) and the
// "_current" setters, so nothing is written to flash. The SDK reports station changes and scan results in its
// own context; they reach Wlan in loop context through NonosClock::defer().
#include <algorithm>
#include <cstring>

#include "esp8266/nonos_clock.hpp"
#include "esp8266/sdk.hpp"
extern "C" {
#include <espconn.h>
}
#include "net/wifi_port.hpp"

namespace weft::esp8266 {
namespace {

using net::Interface;
using net::WlanStatus;

constexpr std::size_t kMaxScanResults = 16;
net::ScanResult g_scan[kMaxScanResults];
std::size_t g_scan_count = 0;

void report_station() {
  net::Wlan::station_changed();
}
void report_scan() {
  net::Wlan::scan_done(std::span<const net::ScanResult>(g_scan, g_scan_count));
}

bool g_attempting = false;  // between sta_connect() and the address (or sta_disconnect())

void on_wifi_event(System_Event_t* event) {
  if (event->event == EVENT_STAMODE_GOT_IP) g_attempting = false;
  switch (event->event) {
    case EVENT_STAMODE_CONNECTED:
    case EVENT_STAMODE_DISCONNECTED:
    case EVENT_STAMODE_GOT_IP:
    case EVENT_STAMODE_DHCP_TIMEOUT:
    case EVENT_STAMODE_AUTHMODE_CHANGE:
      if (NonosClock* d = board_clock(); d != nullptr) d->defer(&report_station);
      break;
    default:
      break;
  }
}

void on_scan_done(void* arg, STATUS status) {
  g_scan_count = 0;
  if (status == OK) {
    for (auto* bss = static_cast<bss_info*>(arg); bss != nullptr && g_scan_count < kMaxScanResults;
         bss = STAILQ_NEXT(bss, next)) {
      net::ScanResult& r = g_scan[g_scan_count++];
      const std::size_t n = std::min<std::size_t>(bss->ssid_len, sizeof bss->ssid);
      std::memcpy(r.ssid, bss->ssid, n);
      r.ssid[n] = '\0';
      std::copy(bss->bssid, bss->bssid + 6, r.bssid.begin());
      r.channel = bss->channel;
      r.rssi = bss->rssi;
      r.auth = bss->authmode <= AUTH_WPA_WPA2_PSK ? static_cast<net::AuthMode>(bss->authmode)
                                                  : net::AuthMode::wpa2_psk;
      r.hidden = bss->is_hidden != 0;
    }
  }
  if (NonosClock* d = board_clock(); d != nullptr) d->defer(&report_scan);
}

IpAddress from_sdk(const ip_addr& a) {
  const std::uint32_t v = a.addr;  // network order in memory: first octet in the low byte
  return IpAddress::v4(static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
                       static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24));
}

std::uint8_t mode_bit(Interface iface) {
  return iface == Interface::station ? STATION_MODE : SOFTAP_MODE;
}

class NonosWifiPort final : public net::WifiPort {
 public:
  NonosWifiPort() {
    wifi_station_set_auto_connect(false);
    wifi_station_set_reconnect_policy(false);
    wifi_set_event_handler_cb(&on_wifi_event);
  }

  bool active(Interface iface) override { return (wifi_get_opmode() & mode_bit(iface)) != 0; }

  void set_active(Interface iface, bool on) override {
    const std::uint8_t mode = wifi_get_opmode();
    wifi_set_opmode_current(static_cast<std::uint8_t>(on ? mode | mode_bit(iface) : mode & ~mode_bit(iface)));
  }

  void sta_connect(std::string_view ssid, std::string_view password) override {
    station_config conf{};
    std::memcpy(conf.ssid, ssid.data(), std::min(ssid.size(), sizeof conf.ssid));
    std::memcpy(conf.password, password.data(), std::min(password.size(), sizeof conf.password));
    wifi_station_disconnect();
    wifi_station_set_config_current(&conf);
    g_attempting = true;
    wifi_station_connect();
  }

  void sta_disconnect() override {
    g_attempting = false;
    wifi_station_disconnect();
  }

  // Wlan's contract: a failure status belongs to an attempt; a link lost after the address is `idle`. The SDK
  // reports the loss with the reason's status (connect_fail, no_ap_found, ...), so outside an attempt every
  // status but connecting and got_ip reads as idle.
  WlanStatus sta_status() override {
    const WlanStatus s = sdk_status();
    if (!g_attempting && s != WlanStatus::got_ip && s != WlanStatus::connecting) return WlanStatus::idle;
    return s;
  }

  int sta_rssi() override { return wifi_station_get_rssi(); }

  void scan_start() override {
    if (!wifi_station_scan(nullptr, &on_scan_done)) on_scan_done(nullptr, FAIL);  // refused: an empty result
  }

  net::IfConfig ifconfig(Interface iface) override {
    ip_info info{};
    wifi_get_ip_info(iface == Interface::station ? STATION_IF : SOFTAP_IF, &info);
    net::IfConfig c;
    c.ip = from_sdk(info.ip);
    c.netmask = from_sdk(info.netmask);
    c.gateway = from_sdk(info.gw);
    const ip_addr dns = espconn_dns_getserver(0);
    c.dns = from_sdk(dns);
    return c;
  }

  net::Mac mac(Interface iface) override {
    net::Mac m{};
    wifi_get_macaddr(iface == Interface::station ? STATION_IF : SOFTAP_IF, m.data());
    return m;
  }

  void ap_config(std::string_view essid, std::string_view password) override {
    softap_config conf{};
    const std::size_t n = std::min(essid.size(), sizeof conf.ssid);
    std::memcpy(conf.ssid, essid.data(), n);
    conf.ssid_len = static_cast<std::uint8_t>(n);
    std::memcpy(conf.password, password.data(), std::min(password.size(), sizeof conf.password));
    conf.channel = 1;
    conf.authmode = password.empty() ? AUTH_OPEN : AUTH_WPA2_PSK;
    conf.max_connection = 4;
    conf.beacon_interval = 100;
    wifi_softap_set_config_current(&conf);
  }

  const char* essid(Interface iface) override {
    if (iface == Interface::station) {
      station_config conf{};
      wifi_station_get_config(&conf);
      copy_name(conf.ssid, sizeof conf.ssid);
    } else {
      softap_config conf{};
      wifi_softap_get_config(&conf);
      copy_name(conf.ssid, std::min<std::size_t>(conf.ssid_len, sizeof conf.ssid));
    }
    return essid_;
  }

 private:
  static WlanStatus sdk_status() {
    switch (wifi_station_get_connect_status()) {
      case STATION_CONNECTING:
        return WlanStatus::connecting;
      case STATION_WRONG_PASSWORD:
        return WlanStatus::wrong_password;
      case STATION_NO_AP_FOUND:
        return WlanStatus::no_ap_found;
      case STATION_CONNECT_FAIL:
        return WlanStatus::connect_fail;
      case STATION_GOT_IP:
        return WlanStatus::got_ip;
      default:
        return WlanStatus::idle;
    }
  }

  void copy_name(const std::uint8_t* s, std::size_t max) {
    std::size_t n = 0;
    while (n < max && s[n] != 0)
      ++n;
    std::memcpy(essid_, s, n);
    essid_[n] = '\0';
  }

  char essid_[33] = {};
};

}  // namespace
}  // namespace weft::esp8266

namespace weft::net {
WifiPort& default_wifi_port() {
  static esp8266::NonosWifiPort port;
  return port;
}
}  // namespace weft::net
