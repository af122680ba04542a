// What differs between the lwIP versions the socket port compiles against, in one place:
//   - the NONOS SDK's lwIP 1.4 (third_party/include: err_t is s32_t, ip_addr_t is one IPv4 word, the DNS
//     callback takes `ip_addr_t*`, tcp_connect/tcp_bind take non-const addresses, no ERR_ALREADY),
//   - lwIP 2.x (Debian's liblwip-dev 2.1.3: err_t is s8_t, ip_addr_t is a tagged IPv4/IPv6 union, the DNS
//     callback takes `const ip_addr_t*`; Debian's build has no DNS client: LWIP_DNS is 0).
// Include only from the port's .cpp files: lwIP's (and the SDK's) headers define macros freely.
#pragma once
#include <cstdint>

#include "core/errc.hpp"
#include "io/endpoint.hpp"
#include "lwip_socket_port.hpp"

extern "C" {
#include "lwip/err.h"
#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#if LWIP_DNS
#include "lwip/dns.h"
#endif
}

namespace weft::lwip {

#if LWIP_VERSION_MAJOR >= 2
using DnsAnswer = const ip_addr_t*;  // dns_found_callback's address parameter
#else
using DnsAnswer = ip_addr_t*;
#endif
// dns_gethostbyname's signature in both versions (the port takes a lookup function of this type).
using DnsFound = void (*)(const char* name, DnsAnswer address, void* arg);
using DnsLookup = err_t (*)(const char* name, ip_addr_t* address, DnsFound found, void* arg);

// An lwIP error as an Errc (the table in board/esp8266/lwip/README.md). `connecting`: the error ended a
// connection attempt (a reset in SYN_SENT is a refusal).
[[nodiscard]] constexpr Errc errc_from_lwip(err_t e, bool connecting = false) {
  switch (e) {
    case ERR_OK:
      return Errc::ok;
    case ERR_MEM:
    case ERR_BUF:
      return Errc::no_memory;
    case ERR_TIMEOUT:
      return Errc::timed_out;
    case ERR_RTE:
      return Errc::unreachable;
    case ERR_INPROGRESS:
    case ERR_WOULDBLOCK:
      return Errc::would_block;
    case ERR_VAL:
    case ERR_ARG:
      return Errc::invalid_argument;
    case ERR_ABRT:  // the stack gave up: retransmissions or keep-alives ran out (or it reclaimed the pcb)
      return Errc::timed_out;
    case ERR_RST:
      return connecting ? Errc::refused : Errc::reset;
    case ERR_CLSD:
    case ERR_CONN:
      return Errc::closed;
#if LWIP_VERSION_MAJOR >= 2
    case ERR_ALREADY:
      return Errc::busy;
#endif
    case ERR_ISCONN:
    case ERR_USE:
    case ERR_IF:
    default:
      return Errc::io_error;
  }
}

// Endpoint <-> lwIP addresses. to_lwip is false for an IPv6 address when this lwIP has no IPv6.
[[nodiscard]] inline bool to_lwip(const IpAddress& a, ip_addr_t& out) {
  auto b = a.bytes();
  if (a.is_v4()) {
#if LWIP_VERSION_MAJOR >= 2
    IP_ADDR4(&out, b[0], b[1], b[2], b[3]);
#else
    IP4_ADDR(&out, b[0], b[1], b[2], b[3]);
#endif
    return true;
  }
#if LWIP_VERSION_MAJOR >= 2 && LWIP_IPV6
  auto word = [&](int i) {
    return PP_HTONL(static_cast<u32_t>(b[i] << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3]));
  };
  IP_ADDR6(&out, word(0), word(4), word(8), word(12));
  return true;
#else
  (void)out;
  return false;
#endif
}

[[nodiscard]] inline IpAddress from_lwip(const ip_addr_t& a) {
#if LWIP_VERSION_MAJOR >= 2 && LWIP_IPV6
  if (IP_IS_V6_VAL(a)) {
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t i = 0; i < 4; ++i) {
      u32_t w = lwip_ntohl(ip_2_ip6(&a)->addr[i]);
      for (std::size_t k = 0; k < 4; ++k)
        bytes[i * 4 + k] = static_cast<std::uint8_t>(w >> (24 - 8 * k));
    }
    return IpAddress::v6(bytes);
  }
  u32_t host = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(&a)));
#elif LWIP_VERSION_MAJOR >= 2
  u32_t host = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(&a)));
#else
  u32_t host = ntohl(ip4_addr_get_u32(&a));
#endif
  return IpAddress::v4(static_cast<std::uint8_t>(host >> 24), static_cast<std::uint8_t>(host >> 16),
                       static_cast<std::uint8_t>(host >> 8), static_cast<std::uint8_t>(host));
}

// A pcb for `ip`'s family (lwIP 2 tells the families apart at creation).
[[nodiscard]] inline tcp_pcb* new_pcb_for(const ip_addr_t& ip) {
#if LWIP_VERSION_MAJOR >= 2
  return tcp_new_ip_type(IP_GET_TYPE(&ip));
#else
  (void)ip;
  return tcp_new();
#endif
}

// Lets a listener bind while old connections on its port linger in TIME_WAIT (SO_REUSEADDR on Linux), when
// the stack is built with SO_REUSE (Debian's is; the NONOS SDK's is not).
inline void allow_address_reuse(tcp_pcb* pcb) {
#if SO_REUSE
  ip_set_option(pcb, SOF_REUSEADDR);
#else
  (void)pcb;
#endif
}

// tcp_listen_with_backlog with the reason for a failure (nullptr: `*err` says why; the bound pcb is still
// the caller's).
[[nodiscard]] inline tcp_pcb* listen_pcb(tcp_pcb* pcb, u8_t backlog, err_t* err) {
#if LWIP_VERSION_MAJOR >= 2
  return tcp_listen_with_backlog_and_err(pcb, backlog, err);
#else
  tcp_pcb* l = tcp_listen_with_backlog(pcb, backlog);
  *err = l != nullptr ? ERR_OK : ERR_MEM;
  return l;
#endif
}

// The stack's own lookup: dns_gethostbyname, or nullptr when this lwIP is built without DNS.
[[nodiscard]] inline DnsLookup stack_dns_lookup() {
#if LWIP_DNS
  return &dns_gethostbyname;
#else
  return nullptr;
#endif
}

// Replaces the port's name lookup (e.g. where lwIP has no DNS client, or in tests).
inline void set_dns_lookup(LwipSocketPort& port, DnsLookup lookup) {
  port.set_dns_lookup_erased(reinterpret_cast<void (*)()>(lookup));
}

}  // namespace weft::lwip
