#include "linux_socket.hpp"

#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <new>

#include "sockaddr.hpp"

namespace weft::linux_board {

LinuxSocket::LinuxSocket(int fd, FdReactor& reactor, bool connecting, bool listening)
    : reactor_(reactor), connecting_(connecting) {
  watch_.fd = fd;
  watch_.events = listening ? EPOLLIN | EPOLLET : EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  watch_.on_ready = &on_ready;
  watch_.context = this;
}

Result<NativeSocket*> LinuxSocket::adopt(int fd, FdReactor& reactor, bool connecting, bool listening) {
  auto* s = new (std::nothrow) LinuxSocket(fd, reactor, connecting, listening);
  if (s == nullptr) {
    ::close(fd);
    return Errc::no_memory;
  }
  if (Status w = reactor.watch(s->watch_); !w) {
    s->destroy();
    return w.error();
  }
  return static_cast<NativeSocket*>(s);
}

void LinuxSocket::destroy() {
  reactor_.unwatch(watch_);
  ::close(watch_.fd);
  delete this;
}

void LinuxSocket::on_ready(FdWatch& w, std::uint32_t revents) {
  auto* s = static_cast<LinuxSocket*>(w.context);
  if ((revents & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) s->hung_up_ = true;
  unsigned r = 0;
  if ((revents & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) r |= kReadable;
  if ((revents & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0) r |= kWritable;
  s->ready(r);
}

IoAttempt LinuxSocket::read(char* dst, std::size_t n) {
  for (;;) {
    ssize_t got = ::recv(watch_.fd, dst, n, 0);
    if (got > 0) {
      auto count = static_cast<std::size_t>(got);
      return {count, Errc::ok, count < n && !hung_up_};
    }
    if (got == 0) return {0, Errc::closed};
    if (errno == EINTR) continue;
    return {0, errc_logged(errno, "recv")};
  }
}

IoAttempt LinuxSocket::write(const char* src, std::size_t n) {
  for (;;) {
    ssize_t put = ::send(watch_.fd, src, n, MSG_NOSIGNAL);
    if (put >= 0) return {static_cast<std::size_t>(put), Errc::ok};
    if (errno == EINTR) continue;
    return {0, errc_logged(errno, "send")};
  }
}

Status LinuxSocket::connect_status() {
  if (!connecting_) return {};
  int error = 0;
  socklen_t len = sizeof error;
  if (::getsockopt(watch_.fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) error = errno;
  if (error == 0) {
    // No error yet: connected, or still in the handshake (getpeername tells which).
    sockaddr_storage peer{};
    socklen_t plen = sizeof peer;
    if (::getpeername(watch_.fd, reinterpret_cast<sockaddr*>(&peer), &plen) != 0) {
      return errno == ENOTCONN ? Errc::would_block : errc_logged(errno, "getpeername");
    }
    connecting_ = false;
    return {};
  }
  Errc e = errc_logged(error, "connect");
  return e == Errc::would_block ? Errc::io_error : e;  // a pending error is never "in progress"
}

Result<NativeSocket*> LinuxSocket::accept() {
  for (;;) {
    int fd = ::accept4(watch_.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return adopt(fd, reactor_, false, false);
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;  // a client that already left: take the next
    return errc_logged(errno, "accept");
  }
}

Status LinuxSocket::shutdown_write() {
  if (::shutdown(watch_.fd, SHUT_WR) != 0) return errc_logged(errno, "shutdown");
  return {};
}

Result<Endpoint> LinuxSocket::local_endpoint() const {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (::getsockname(watch_.fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return errc_logged(errno, "getsockname");
  return from_sockaddr(a);
}

Result<Endpoint> LinuxSocket::peer_endpoint() const {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (::getpeername(watch_.fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return errc_from_errno(errno);
  return from_sockaddr(a);
}

}  // namespace weft::linux_board
