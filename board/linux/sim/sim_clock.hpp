// SimClock: the clock port and I/O poller (core/clock_port.hpp, core/io_poller.hpp) of the simulated board,
// for one boot of the device in a World.
// Creating it boots the device (World::boot); its clock is the device's: 0 at the boot.
//
// Real clock: waits like LinuxClock (it is built on the process's LinuxClock: same epoll, same FdWatch
// sockets), also waking for the World's events (scenario lines, Wi-Fi association, watchdog).
//
// Virtual clock: when the loop idles, time jumps to the earliest of the loop's next deadline and the World's
// next event, then the due World events run. Real file descriptors are still served:
//   - sockets of board I/O (FdReactor watches, the resolver, ...) pending: time does not jump past real I/O;
//     it flows at the real pace (the wait blocks in epoll until the deadline's real-time equivalent or an
//     event, and virtual time advances by the real time that passed);
//   - the control channel is polled without blocking before every jump, and a command it runs (a press, a
//     hold) is seen before time moves; when nothing at all is scheduled but a control client is connected, or
//     time is held at the channel's horizon, the wait blocks for the client instead of reporting deadlock.
// wake() (any thread) interrupts a blocking wait and keeps time from jumping once.
#pragma once
#include <atomic>

#include "core/clock_port.hpp"
#include "core/io_poller.hpp"
#include "linux/fd_reactor.hpp"
#include "world.hpp"

namespace weft::sim {

class SimClock final : public ClockPort, public IoPoller, public linux_board::FdReactor {
 public:
  explicit SimClock(World& world);

  // ClockPort.
  [[nodiscard]] Micros now() override { return world_.now() - world_.boot_time(); }
  void wait_until(Micros deadline) override;
  void wake() override;
  [[nodiscard]] bool is_virtual() const override { return world_.clock() == ClockMode::virtual_time; }

  // IoPoller: the LinuxClock's watched fds, and under the virtual clock also what keeps a wait worthwhile
  // (the World's next event, a connected control client or a held time): no deadlock while any is pending.
  void poll_events() override;
  [[nodiscard]] bool has_pending_io() const override;

  // FdReactor: the process's LinuxClock watches the fds, so sockets work the same under both clocks.
  Status watch(linux_board::FdWatch& w) override;
  Status rewatch(linux_board::FdWatch& w, std::uint32_t events) override;
  void unwatch(linux_board::FdWatch& w) override;

  [[nodiscard]] World& world() { return world_; }

 private:
  void wait_virtual(Micros target);
  void block_real(Micros target, bool advance);

  World& world_;
  std::atomic<bool> woken_{false};
};

}  // namespace weft::sim
