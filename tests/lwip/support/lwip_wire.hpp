// LwipWire: Debian's real lwIP (liblwip-dev 2.1), run in the loop's thread like the chip's SDK runs it, with
// two of its network interfaces wired together in the process, so lwIP talks TCP to itself without a TAP
// device or the kernel.
//
//   client side  netif A 10.1.0.1/16   dials kServer (10.1.0.7): routed out of A
//   server side  netif B 10.2.0.1/16   listens on kListen; sees the client as 10.2.0.5
//
// lwIP delivers a packet for one of its own addresses through its loopback queue, which this threaded build
// hands to a tcpip thread that is never started here. So the wire translates addresses (10.1.0.1 ->
// 10.2.0.5, 10.1.0.7 -> 10.2.0.1 and back) and fixes the checksums: each stack side sees a remote host.
// Packets to any other address are dropped (a host that never answers).
//
// Frames are queued and delivered by a pump task (never inside the lwIP call that sent them), which also runs
// lwIP's timers; it waits on an Event between frames, so an idle wire costs nothing but the timer ticks.
#pragma once
#include <cstdint>
#include <deque>

#include "core/weft.hpp"
#include "io/endpoint.hpp"

struct netif;
struct pbuf;

namespace weft::test {

class LwipWire {
 public:
  static constexpr IpAddress kServer = IpAddress::v4(10, 1, 0, 7);  // what the client dials
  static constexpr IpAddress kListen = IpAddress::v4(10, 2, 0, 1);  // where the server listens
  static constexpr IpAddress kClientSeenByServer = IpAddress::v4(10, 2, 0, 5);

  LwipWire();  // lwip_init() (once per process) and the two interfaces
  ~LwipWire();
  LwipWire(const LwipWire&) = delete;
  LwipWire& operator=(const LwipWire&) = delete;

  // Delivers frames and runs lwIP's timers until cancelled.
  Task<> pump();
  [[nodiscard]] std::uint64_t frames_delivered() const { return delivered_; }

  // The interfaces' output (lwIP calls it): queues a translated copy of `p` for the other interface.
  static std::int8_t output(netif* from, pbuf* p, const void* dest);

 private:
  void send(netif& from, pbuf* p);

  struct Frame {
    pbuf* p;
    netif* to;
  };
  std::deque<Frame> queue_;
  Event pending_;
  std::uint64_t delivered_ = 0;
};

}  // namespace weft::test
