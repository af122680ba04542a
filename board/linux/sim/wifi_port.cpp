// The wifi port (framework/net/wifi_port.hpp) on the simulated board: the Radio of World::current().
#include "net/wifi_port.hpp"
#include "world.hpp"

namespace weft::net::port {
namespace {
sim::Radio& radio() {
  return sim::World::current().radio();
}
}  // namespace

bool wifi_active(Interface iface) {
  return radio().active(iface);
}
void wifi_set_active(Interface iface, bool on) {
  radio().set_active(iface, on);
}
void wifi_sta_connect(std::string_view ssid, std::string_view password) {
  radio().connect(ssid, password);
}
void wifi_sta_disconnect() {
  radio().disconnect();
}
WlanStatus wifi_sta_status() {
  return radio().status();
}
int wifi_sta_rssi() {
  return radio().rssi();
}
void wifi_scan_start() {
  radio().scan();
}
IfConfig wifi_ifconfig(Interface iface) {
  return radio().ifconfig(iface);
}
Mac wifi_mac(Interface iface) {
  return radio().mac(iface);
}
void wifi_ap_config(std::string_view essid, std::string_view password) {
  radio().ap_config(essid, password);
}
const char* wifi_essid(Interface iface) {
  return radio().essid(iface);
}

}  // namespace weft::net::port
