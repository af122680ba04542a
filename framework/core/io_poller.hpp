// The I/O poller: the optional half of a board's loop port, for boards that track I/O the loop must not
// starve (board/linux: the epoll set of its sockets; board/esp8266: the SDK's own work, Wi-Fi and lwIP).
//
// A board with tracked I/O implements IoPoller (usually in the same object as its ClockPort: the poll and the
// idle wait share the event source) and returns it from weft::default_io_poller(); a board with none (the
// bare lx106 under QEMU, a VirtualClock in tests) returns nullptr, and its loops never poll.
//
// Who calls what (the pass itself: loop.hpp), both from loop context only:
//   has_pending_io(): after a pass that leaves tasks ready, once kPollEverySwitches switches have run since
//                     the last look; and before a virtual clock would report a deadlock
//   poll_events():    right after has_pending_io() returned true while the loop is busy, so a task that
//                     yields in a loop cannot starve I/O. Completes ready operations like wait_until does
//                     (WaitNode::fire() in loop context) without waiting for anything.
// While the loop idles, the clock port's wait_until() handles the same events: no poll then.
#pragma once

namespace weft {

class IoPoller {
 public:
  // Busy loops look at I/O after this many task switches (counted across passes; a pass is never cut short).
  static constexpr unsigned kPollEverySwitches = 64;

  // Handles the events that are ready now, without waiting (sockets that became readable, an SDK turn, ...).
  virtual void poll_events() = 0;

  // I/O still outstanding (watched sockets, DNS lookups, simulated-world events): worth a poll while busy,
  // and a virtual clock must neither report a deadlock nor jump past it.
  [[nodiscard]] virtual bool has_pending_io() const = 0;

 protected:
  IoPoller() = default;
  ~IoPoller() = default;
  IoPoller(const IoPoller&) = delete;
  IoPoller& operator=(const IoPoller&) = delete;
};

// Defined by the board linked into the program: the I/O poller of `weft::Loop loop;`, or nullptr when the
// board tracks no I/O.
[[nodiscard]] IoPoller* default_io_poller();

}  // namespace weft
