// TapNetif: an lwIP Ethernet interface (ARP included) over a Linux TAP device, read on the loop's epoll, so
// lwIP runs in the loop's thread as on the chip. (Debian's tapif reads on a thread of its own and hands
// frames to the tcpip thread; the port needs lwIP single-threaded.)
//
//   TapNetif tap;
//   Status s = tap.open("wtap0", IpAddress::v4(10, 77, 0, 2), IpAddress::v4(10, 77, 0, 1));
//   loop.spawn(tap.timers(), "lwip-timers");        // lwIP's timers (ARP, TCP retransmission)
//
// The TAP device must exist (ip tuntap add dev wtap0 mode tap) in the process's network namespace.
#pragma once
#include "core/weft.hpp"
#include "io/endpoint.hpp"
#include "linux/fd_reactor.hpp"

struct netif;

namespace weft::test {

class TapNetif {
 public:
  TapNetif();
  ~TapNetif();
  TapNetif(const TapNetif&) = delete;
  TapNetif& operator=(const TapNetif&) = delete;

  // Attaches to TAP device `name` and adds the interface as lwIP's default (/24). Errors: io_error (logged:
  // no /dev/net/tun, no such device, no permission).
  Status open(const char* name, IpAddress ip, IpAddress gateway);
  // Runs lwIP's timers until cancelled.
  Task<> timers();

 private:
  static void on_readable(linux_board::FdWatch& w, std::uint32_t events);
  linux_board::FdWatch watch_;
  netif* netif_ = nullptr;
};

}  // namespace weft::test
