#include "linux_socket_port.hpp"

#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "core/log.hpp"
#include "linux/linux_clock.hpp"
#include "linux_socket.hpp"
#include "sockaddr.hpp"

namespace weft {
namespace linux_board {

Result<NativeSocket*> LinuxSocketPort::connect(const Endpoint& to) {
  if (to.port == 0) {
    char where[Endpoint::kMaxText];
    (void)to.format(where);
    log_message(LogLevel::error, "TcpStream::connect(%s): port 0 is not a destination", where);
    return Errc::invalid_argument;
  }
  sockaddr_storage sa;
  socklen_t len = to_sockaddr(to, sa);
  int fd = ::socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errc_logged(errno, "socket for", &to);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  bool connecting = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), len) != 0) {
    if (errno != EINPROGRESS) {
      Errc e = errc_logged(errno, "connect to", &to);
      ::close(fd);
      return e;
    }
    connecting = true;
  }
  return LinuxSocket::adopt(fd, reactor_, connecting, false);
}

Result<NativeSocket*> LinuxSocketPort::listen(const Endpoint& at, int backlog) {
  sockaddr_storage sa;
  socklen_t len = to_sockaddr(at, sa);
  int fd = ::socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errc_logged(errno, "socket for", &at);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // restart a server without waiting
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), len) != 0 || ::listen(fd, backlog) != 0) {
    int error = errno;
    ::close(fd);
    if (error == EADDRINUSE) {
      char where[Endpoint::kMaxText];
      (void)at.format(where);
      log_message(LogLevel::error,
                  "TcpListener::listen(%s): address already in use (another server runs there?)", where);
      return Errc::io_error;
    }
    return errc_logged(error, "listen on", &at);
  }
  return LinuxSocket::adopt(fd, reactor_, false, true);
}

}  // namespace linux_board

SocketPort& default_socket_port() {
  static linux_board::LinuxSocketPort port(linux_board::linux_clock());
  return port;
}

}  // namespace weft
