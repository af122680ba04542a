#include "lwip_wire.hpp"

#include <algorithm>
#include <cstring>

extern "C" {
#include "lwip/inet_chksum.h"
#include "lwip/init.h"
#include "lwip/ip4.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
}

namespace weft::test {

namespace {

netif g_a;
netif g_b;
LwipWire* g_wire = nullptr;

u32_t addr(IpAddress a) {
  auto b = a.bytes();
  return lwip_htonl(static_cast<u32_t>(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]));
}

// RFC 1624: a 16-bit one's complement checksum after one 16-bit word changed from `from` to `to`.
std::uint16_t adjust(std::uint16_t sum, std::uint16_t from, std::uint16_t to) {
  std::uint32_t s = static_cast<std::uint16_t>(~sum) + static_cast<std::uint16_t>(~from) + to;
  s = (s & 0xFFFF) + (s >> 16);
  s = (s & 0xFFFF) + (s >> 16);
  return static_cast<std::uint16_t>(~s);
}

// Rewrites one 32-bit address in an IPv4 packet, fixing the TCP/UDP checksum over the pseudo-header.
void rewrite(unsigned char* ip, std::size_t offset, u32_t to) {
  std::size_t header = static_cast<std::size_t>(ip[0] & 0x0F) * 4;
  std::uint16_t old_words[2];
  std::uint16_t new_words[2];
  std::memcpy(old_words, ip + offset, 4);
  std::memcpy(new_words, &to, 4);
  std::memcpy(ip + offset, &to, 4);
  std::size_t sum_at = 0;
  if (ip[9] == 6) sum_at = header + 16;  // TCP
  if (ip[9] == 17) sum_at = header + 6;  // UDP
  if (sum_at == 0) return;
  std::uint16_t sum;
  std::memcpy(&sum, ip + sum_at, 2);
  if (ip[9] == 17 && sum == 0) return;  // UDP without checksum
  for (int i = 0; i < 2; ++i)
    sum = adjust(sum, old_words[i], new_words[i]);
  std::memcpy(ip + sum_at, &sum, 2);
}

err_t init_netif(netif* n) {
  n->mtu = 1500;
  n->flags = NETIF_FLAG_LINK_UP;
  n->output = [](netif* from, pbuf* p, const ip4_addr_t* dest) -> err_t {
    return LwipWire::output(from, p, dest);
  };
  return ERR_OK;
}

void add(netif& n, IpAddress ip, const char name[2]) {
  ip4_addr_t a;
  ip4_addr_t mask;
  ip4_addr_t gw;
  ip4_addr_set_u32(&a, addr(ip));
  IP4_ADDR(&mask, 255, 255, 0, 0);
  ip4_addr_set_zero(&gw);
  netif_add(&n, &a, &mask, &gw, nullptr, &init_netif, &ip4_input);
  n.name[0] = name[0];
  n.name[1] = name[1];
  netif_set_up(&n);
}

}  // namespace

LwipWire::LwipWire() {
  static bool initialised = false;
  if (!initialised) {
    lwip_init();
    add(g_a, IpAddress::v4(10, 1, 0, 1), "wa");
    add(g_b, kListen, "wb");
    initialised = true;
  }
  g_wire = this;
}

LwipWire::~LwipWire() {
  for (Frame& f : queue_)
    pbuf_free(f.p);
  g_wire = nullptr;
}

std::int8_t LwipWire::output(netif* from, pbuf* p, const void* /*dest*/) {
  if (g_wire != nullptr) g_wire->send(*from, p);
  return ERR_OK;
}

void LwipWire::send(netif& from, pbuf* p) {
  // lwIP keeps `p` (a segment waiting for its ACK): deliver a copy.
  pbuf* copy = pbuf_alloc(PBUF_RAW, p->tot_len, PBUF_RAM);
  if (copy == nullptr || pbuf_copy(copy, p) != ERR_OK) {
    if (copy != nullptr) pbuf_free(copy);
    return;  // lost on the wire: TCP retransmits
  }
  auto* ip = static_cast<unsigned char*>(copy->payload);
  u32_t src;
  u32_t dst;
  std::memcpy(&src, ip + 12, 4);
  std::memcpy(&dst, ip + 16, 4);
  netif* to = nullptr;
  if (&from == &g_a && dst == addr(kServer)) {
    rewrite(ip, 12, addr(kClientSeenByServer));
    rewrite(ip, 16, addr(kListen));
    to = &g_b;
  } else if (&from == &g_b && dst == addr(kClientSeenByServer)) {
    rewrite(ip, 12, addr(kServer));
    rewrite(ip, 16, addr(IpAddress::v4(10, 1, 0, 1)));
    to = &g_a;
  }
  if (to == nullptr) {  // nobody there
    pbuf_free(copy);
    return;
  }
  (void)src;
  std::uint16_t zero = 0;
  std::memcpy(ip + 10, &zero, 2);
  std::uint16_t header_sum = inet_chksum(ip, static_cast<u16_t>((ip[0] & 0x0F) * 4));
  std::memcpy(ip + 10, &header_sum, 2);
  queue_.push_back({copy, to});
  pending_.set();
}

Task<> LwipWire::pump() {
  for (;;) {
    while (!queue_.empty()) {
      Frame f = queue_.front();
      queue_.pop_front();
      ++delivered_;
      if (f.to->input(f.p, f.to) != ERR_OK) pbuf_free(f.p);
    }
    sys_check_timeouts();
    if (!queue_.empty()) continue;
    pending_.clear();
    u32_t next = sys_timeouts_sleeptime();
    Micros wait = ms(static_cast<std::int64_t>(std::min<u32_t>(next, 250)));
    Status s = co_await wait_for(pending_.wait(), wait);
    if (s.error() == Errc::cancelled) co_return;
  }
}

}  // namespace weft::test
