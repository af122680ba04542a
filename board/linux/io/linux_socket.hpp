// LinuxSocket: NativeSocket (framework/io/socket_port.hpp) over a non-blocking POSIX TCP socket.
//
// Registered once with the FdReactor, edge-triggered (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET): no
// epoll_ctl per operation. Each readiness edge becomes NativeSocket::ready(); a short read reports
// `drained` (the kernel signals the next arrival with a new edge) unless a hang-up or error was seen, since
// the end of stream must still be read. Writes use MSG_NOSIGNAL: a peer that is gone gives Errc::reset,
// never SIGPIPE. Sockets are created with TCP_NODELAY (small request/response messages go out at once).
// One heap object per socket (freed by destroy()).
#pragma once
#include "io/socket_port.hpp"
#include "linux/fd_reactor.hpp"

namespace weft::linux_board {

class LinuxSocket final : public NativeSocket {
 public:
  // Takes ownership of a non-blocking TCP socket `fd` and registers it; closes it on failure (io_error).
  // `connecting`: a connect() returned EINPROGRESS. `listening`: a listener (no EPOLLOUT).
  [[nodiscard]] static Result<NativeSocket*> adopt(int fd, FdReactor& reactor, bool connecting,
                                                   bool listening);

  IoAttempt read(char* dst, std::size_t n) override;
  IoAttempt write(const char* src, std::size_t n) override;
  Status connect_status() override;
  Result<NativeSocket*> accept() override;
  Status shutdown_write() override;
  [[nodiscard]] Result<Endpoint> local_endpoint() const override;
  [[nodiscard]] Result<Endpoint> peer_endpoint() const override;
  [[nodiscard]] int handle() const override { return watch_.fd; }
  void destroy() override;

 private:
  LinuxSocket(int fd, FdReactor& reactor, bool connecting, bool listening);
  ~LinuxSocket() override = default;
  static void on_ready(FdWatch& w, std::uint32_t revents);

  FdWatch watch_;
  FdReactor& reactor_;
  bool connecting_;
  bool hung_up_ = false;  // EPOLLRDHUP/HUP/ERR seen: reads are never reported drained again
};

}  // namespace weft::linux_board
