// Conversions between weft::Endpoint and the POSIX socket address structures, and errno -> Errc.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/errc.hpp"
#include "io/endpoint.hpp"

namespace weft::linux_board {

// Fills `out` and returns the length to pass to bind/connect.
socklen_t to_sockaddr(const Endpoint& e, sockaddr_storage& out);
// Errc::invalid_argument for a family other than AF_INET / AF_INET6.
Result<Endpoint> from_sockaddr(const sockaddr_storage& in);

// ECONNREFUSED -> refused, ETIMEDOUT -> timed_out, ECONNRESET/EPIPE/ECONNABORTED -> reset,
// ENETUNREACH/EHOSTUNREACH/ENETDOWN/EHOSTDOWN -> unreachable, EAGAIN/EINPROGRESS -> would_block,
// ENOTCONN -> closed, EINVAL/EAFNOSUPPORT/EADDRNOTAVAIL -> invalid_argument, anything else -> io_error.
[[nodiscard]] Errc errc_from_errno(int error);

// errc_from_errno, logging the system's message (with `what` and the endpoint, if any) when the result is
// io_error or invalid_argument: the cases a caller cannot explain from the Errc alone.
Errc errc_logged(int error, const char* what, const Endpoint* endpoint = nullptr);

}  // namespace weft::linux_board
