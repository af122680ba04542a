#include "tap_netif.hpp"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "linux/linux_clock.hpp"

extern "C" {
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
}

namespace weft::test {

namespace {

netif g_tap;

ip4_addr_t to_ip4(IpAddress a) {
  auto b = a.bytes();
  ip4_addr_t r;
  IP4_ADDR(&r, b[0], b[1], b[2], b[3]);
  return r;
}

err_t link_output(netif* n, pbuf* p) {
  unsigned char frame[1600];
  if (p->tot_len > sizeof frame) return ERR_BUF;
  u16_t len = pbuf_copy_partial(p, frame, p->tot_len, 0);
  int fd = *static_cast<int*>(n->state);
  if (::write(fd, frame, len) != static_cast<ssize_t>(len)) return ERR_IF;  // lost: TCP retransmits
  return ERR_OK;
}

err_t init(netif* n) {
  n->name[0] = 't';
  n->name[1] = 'p';
  n->mtu = 1500;
  n->hwaddr_len = 6;
  const unsigned char mac[6] = {0x02, 0x00, 0x00, 0x77, 0x00, 0x02};  // locally administered
  std::memcpy(n->hwaddr, mac, 6);
  n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_LINK_UP;
  n->output = etharp_output;
  n->linkoutput = link_output;
  return ERR_OK;
}

}  // namespace

TapNetif::TapNetif() {
  watch_.on_ready = &on_readable;
  watch_.context = this;
  watch_.events = EPOLLIN | EPOLLET;
}

TapNetif::~TapNetif() {
  if (netif_ != nullptr) netif_remove(netif_);
  if (watch_.fd >= 0) {
    linux_board::linux_clock().unwatch(watch_);
    ::close(watch_.fd);
  }
}

Status TapNetif::open(const char* name, IpAddress ip, IpAddress gateway) {
  int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    WEFT_LOG_ERROR("tap: cannot open /dev/net/tun: %s", std::strerror(errno));
    return Errc::io_error;
  }
  ifreq req{};
  req.ifr_flags = IFF_TAP | IFF_NO_PI;
  std::strncpy(req.ifr_name, name, IFNAMSIZ - 1);
  if (::ioctl(fd, TUNSETIFF, &req) != 0) {
    WEFT_LOG_ERROR("tap: cannot attach to %s: %s", name, std::strerror(errno));
    ::close(fd);
    return Errc::io_error;
  }
  watch_.fd = fd;
  if (Status w = linux_board::linux_clock().watch(watch_); !w) return w;
  ip4_addr_t a = to_ip4(ip);
  ip4_addr_t mask = to_ip4(IpAddress::v4(255, 255, 255, 0));
  ip4_addr_t gw = to_ip4(gateway);
  netif_add(&g_tap, &a, &mask, &gw, &watch_.fd, &init, &ethernet_input);
  netif_ = &g_tap;
  netif_set_default(netif_);
  netif_set_up(netif_);
  return {};
}

void TapNetif::on_readable(linux_board::FdWatch& w, std::uint32_t /*events*/) {
  auto* self = static_cast<TapNetif*>(w.context);
  unsigned char frame[1600];
  for (;;) {  // edge-triggered: read until the device is empty
    ssize_t n = ::read(w.fd, frame, sizeof frame);
    if (n <= 0) return;
    pbuf* p = pbuf_alloc(PBUF_RAW, static_cast<u16_t>(n), PBUF_POOL);
    if (p == nullptr) continue;  // dropped: TCP retransmits
    pbuf_take(p, frame, static_cast<u16_t>(n));
    if (self->netif_->input(p, self->netif_) != ERR_OK) pbuf_free(p);
  }
}

Task<> TapNetif::timers() {
  for (;;) {
    sys_check_timeouts();
    u32_t next = sys_timeouts_sleeptime();
    Status s = co_await sleep_ms(static_cast<std::int64_t>(std::clamp<u32_t>(next, 1, 250)));
    if (!s) co_return;
  }
}

}  // namespace weft::test
