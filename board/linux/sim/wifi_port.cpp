// The wifi port (framework/net/wifi_port.hpp) on the simulated board: the Radio of World::current().
#include "net/wifi_port.hpp"
#include "world.hpp"

namespace weft::net {
namespace {
sim::Radio& radio() {
  return sim::World::current().radio();
}

class SimWifiPort final : public WifiPort {
 public:
  bool active(Interface iface) override { return radio().active(iface); }
  void set_active(Interface iface, bool on) override { radio().set_active(iface, on); }
  void sta_connect(std::string_view ssid, std::string_view password) override {
    radio().connect(ssid, password);
  }
  void sta_disconnect() override { radio().disconnect(); }
  WlanStatus sta_status() override { return radio().status(); }
  int sta_rssi() override { return radio().rssi(); }
  void scan_start() override { radio().scan(); }
  IfConfig ifconfig(Interface iface) override { return radio().ifconfig(iface); }
  Mac mac(Interface iface) override { return radio().mac(iface); }
  void ap_config(std::string_view essid, std::string_view password) override {
    radio().ap_config(essid, password);
  }
  const char* essid(Interface iface) override { return radio().essid(iface); }
};

}  // namespace

WifiPort& default_wifi_port() {
  static SimWifiPort port;
  return port;
}

}  // namespace weft::net
