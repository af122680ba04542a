// FdReactor: "tell me when this file descriptor is ready", the one service Linux I/O (sockets, the resolver's
// eventfd) needs from whatever drives the loop. LinuxClock implements it with its epoll set; the simulated
// board's SimClock (virtual clock, real sockets) implements the same interface, so board/linux/io works under
// both.
//
// Contract: on_ready runs in loop context (inside the clock's wait_until or the poller's poll_events), with
// the epoll events that fired. A watch must stay at the same address while registered; unwatch before
// destroying it. An on_ready callback may fire WaitNodes and unwatch its own fd, but must not destroy other
// watches (their events may be pending in the same batch).
#pragma once
#include <cstdint>

#include "core/result.hpp"

namespace weft::linux_board {

struct FdWatch {
  int fd = -1;
  std::uint32_t events = 0;  // EPOLLIN / EPOLLOUT / EPOLLET / ... (edge or level, the owner's choice)
  void (*on_ready)(FdWatch& self, std::uint32_t revents) = nullptr;
  void* context = nullptr;
  bool registered = false;
};

class FdReactor {
 public:
  // Errors: Errc::io_error (epoll_ctl failed; errno is logged).
  virtual Status watch(FdWatch& w) = 0;
  virtual Status rewatch(FdWatch& w, std::uint32_t events) = 0;
  // No-op for a watch that is not registered.
  virtual void unwatch(FdWatch& w) = 0;

 protected:
  FdReactor() = default;
  ~FdReactor() = default;
  FdReactor(const FdReactor&) = delete;
  FdReactor& operator=(const FdReactor&) = delete;
};

}  // namespace weft::linux_board
