#include "sockaddr.hpp"

#include <cerrno>
#include <cstring>

#include "core/log.hpp"

namespace weft::linux_board {

socklen_t to_sockaddr(const Endpoint& e, sockaddr_storage& out) {
  std::memset(&out, 0, sizeof out);
  auto bytes = e.address.bytes();
  if (e.address.is_v4()) {
    auto& a = reinterpret_cast<sockaddr_in&>(out);
    a.sin_family = AF_INET;
    a.sin_port = htons(e.port);
    std::memcpy(&a.sin_addr, bytes.data(), 4);
    return sizeof a;
  }
  auto& a = reinterpret_cast<sockaddr_in6&>(out);
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(e.port);
  std::memcpy(&a.sin6_addr, bytes.data(), 16);
  return sizeof a;
}

Result<Endpoint> from_sockaddr(const sockaddr_storage& in) {
  if (in.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(in);
    const auto* b = reinterpret_cast<const std::uint8_t*>(&a.sin_addr);
    return Endpoint{IpAddress::v4(b[0], b[1], b[2], b[3]), ntohs(a.sin_port)};
  }
  if (in.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(in);
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), &a.sin6_addr, 16);
    return Endpoint{IpAddress::v6(b), ntohs(a.sin6_port)};
  }
  return Errc::invalid_argument;
}

Errc errc_from_errno(int error) {
  switch (error) {
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EINPROGRESS:
      return Errc::would_block;
    case ECONNREFUSED:
      return Errc::refused;
    case ETIMEDOUT:
      return Errc::timed_out;
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED:
      return Errc::reset;
    case ENETUNREACH:
    case EHOSTUNREACH:
    case ENETDOWN:
    case EHOSTDOWN:
      return Errc::unreachable;
    case ENOTCONN:
      return Errc::closed;
    case EINVAL:
    case EAFNOSUPPORT:
    case EADDRNOTAVAIL:
      return Errc::invalid_argument;
    default:
      return Errc::io_error;
  }
}

Errc errc_logged(int error, const char* what, const Endpoint* endpoint) {
  Errc e = errc_from_errno(error);
  if (e != Errc::io_error && e != Errc::invalid_argument) return e;
  char where[Endpoint::kMaxText] = "";
  if (endpoint != nullptr) (void)endpoint->format(where);
  log_message(LogLevel::error, "socket: %s%s%s: %s", what, endpoint != nullptr ? " " : "", where,
              std::strerror(error));
  return e;
}

}  // namespace weft::linux_board
