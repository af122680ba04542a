// lwip_tap_device: the Blynk client as blynk_gpio runs it (V1 writes switch "the LED"), on the chip's socket
// port (board/esp8266/lwip) over Debian's lwIP and a TAP device. Run by tap_e2e.py inside a network
// namespace it creates, against weft-cloud.
//
//   lwip_tap_device TAP IP GATEWAY SERVER_IP:PORT TOKEN
// Prints "device: connected" on each login and "device: V1 = <value>" on each write, one line each.
#include <cstdio>

#include "blynk/blynk.hpp"
#include "blynk/tcp_transport.hpp"
#include "core/weft.hpp"
#include "linux/linux_clock.hpp"
#include "lwip_socket_port.hpp"
#include "tap_netif.hpp"

extern "C" {
#include "lwip/init.h"
}

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s TAP IP GATEWAY SERVER_IP:PORT TOKEN\n", argv[0]);
    return 2;
  }
  weft::Result<weft::IpAddress> ip = weft::IpAddress::parse(argv[2]);
  weft::Result<weft::IpAddress> gw = weft::IpAddress::parse(argv[3]);
  weft::Result<weft::Endpoint> server = weft::Endpoint::parse(argv[4]);
  if (!ip || !gw || !server) {
    std::fprintf(stderr, "%s: IP, GATEWAY and SERVER_IP:PORT must be numeric IPv4 addresses\n", argv[0]);
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  lwip_init();
  weft::Loop loop;
  weft::test::TapNetif tap;
  if (!tap.open(argv[1], *ip, *gw)) return 1;
  weft::lwip::LwipSocketPort port(weft::linux_board::linux_clock());
  weft::blynk::TcpTransport transport(port);
  char host[weft::IpAddress::kMaxText];
  (void)server->address.format(host);
  weft::blynk::Blynk blynk({.token = argv[5],
                            .host = host,
                            .port = server->port,
                            .retry_min = weft::ms(200),
                            .retry_max = weft::sec(1)},
                           transport);
  blynk.on_connected([] { std::printf("device: connected\n"); });
  if (!blynk.on_write(1, [](int, weft::blynk::Values v) {
        std::string_view text = v.text();
        std::printf("device: V1 = %.*s\n", static_cast<int>(text.size()), text.data());
      })) {
    return 1;
  }
  loop.spawn(tap.timers(), "lwip-timers").detach();
  loop.spawn(blynk.run(), "blynk").detach();
  loop.run_forever();
}
