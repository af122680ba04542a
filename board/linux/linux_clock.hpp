// LinuxClock: the clock port (core/clock_port.hpp) and I/O poller (core/io_poller.hpp) on Linux.
// CLOCK_MONOTONIC for time (0 = the clock's creation, the device's boot); one epoll set for idling, with
//   - a timerfd armed at the loop's next deadline (absolute, nanosecond resolution, timer slack 1 ns) and
//     re-armed only when that deadline changes,
//   - an eventfd for wake() (async-signal-safe and thread-safe),
//   - the file descriptors of board I/O (sockets, resolver) registered through FdWatch (its FdReactor side).
// A task blocked on a socket costs nothing while idle: the process sleeps in epoll_wait. The same epoll set
// is polled without waiting (poll_events) while the loop is busy and any fd is watched.
#pragma once
#include <cstdint>

#include "core/clock_port.hpp"
#include "core/io_poller.hpp"
#include "core/result.hpp"
#include "fd_reactor.hpp"

namespace weft::linux_board {

class LinuxClock final : public ClockPort, public IoPoller, public FdReactor {
 public:
  // An fd the clock's epoll set watches; on_ready runs in loop context (inside wait_until or poll_events)
  // with the epoll events.
  using FdWatch = linux_board::FdWatch;

  LinuxClock();
  ~LinuxClock();

  // ClockPort.
  [[nodiscard]] Micros now() override;
  void wait_until(Micros deadline) override;
  void wake() override;

  // IoPoller: the watched fds.
  void poll_events() override;
  [[nodiscard]] bool has_pending_io() const override { return watched_ > 0; }

  // FdReactor. Errors: Errc::io_error (epoll_ctl failed; errno is logged).
  Status watch(FdWatch& w) override;
  Status rewatch(FdWatch& w, std::uint32_t events) override;
  void unwatch(FdWatch& w) override;

 private:
  void arm(Micros deadline);
  void dispatch(int timeout_ms);  // one epoll_wait: handles timer, wake and watched fds
  Micros boot_;
  int epoll_ = -1;
  int timer_ = -1;
  int wake_ = -1;
  Micros armed_ = kForever;
  int watched_ = 0;
};

// The process's clock (the simulated world's SimClock, default_clock_port() on this board, runs on it).
LinuxClock& linux_clock();

}  // namespace weft::linux_board
