// The port contract: everything a board supplies to the scheduler. Keep it narrow.
//
// A board implements Driver (clock + idle wait + wake-up) and defines weft::default_driver(), which a Loop
// built without an explicit driver uses. framework/ only declares these; the board linked into the program
// defines them (board/linux, board/lx106_qemu, ...). Everything else in core is portable code.
//
// Who calls what:
//   loop pass:  collect ThreadSafeFlags  ->  now() if timers are armed  ->  fire due timers  ->  run the ready
//               batch (profiling times slices with the CPU's cycle counter, not now(): slice_clock.hpp)  ->
//               nothing ready: wait_until(next deadline); still busy: poll_events() every kPollEverySwitches
//               switches while has_pending_io()
//   wait_until: idles until the deadline, a wake(), or an event the board tracks (socket readiness, a GPIO
//               edge). A board that tracks I/O completes the waiting operations itself, in loop context, by
//               calling WaitNode::fire() (wait_node.hpp) on the nodes its I/O objects own.
//   wake():     any context: interrupt handler, signal handler, another thread.
#pragma once
#include <cstddef>

#include "time.hpp"

namespace weft {

class Driver {
 public:
  static constexpr unsigned kPollEverySwitches = 64;

  // Monotonic microseconds since boot. The loop reads it once per pass when timers are armed; never per task
  // switch (profiling reads the cycle counter; under a virtual clock, where there is none to learn a rate for,
  // it reads now() per slice instead).
  [[nodiscard]] virtual Micros now() = 0;

  // Idles until now() >= deadline, or until wake() or a board-tracked event; returning early is allowed
  // (the loop just re-checks). deadline == kForever: wait for events only. Called only from the loop.
  virtual void wait_until(Micros deadline) = 0;

  // Handles the events that are ready now without waiting (sockets that became readable, ...). The loop calls
  // it while it is too busy to idle, at least every kPollEverySwitches task switches when has_pending_io(),
  // so a task that yields in a loop cannot starve I/O. Default: nothing to poll.
  virtual void poll_events() {}

  // Makes a wait_until in progress (or the next one) return promptly. Must be safe from interrupt context,
  // signal handlers and other threads: it may only touch atomics or hardware (never scheduler queues).
  virtual void wake() = 0;

  // True for a virtual clock: when nothing is ready and there is no deadline, no event can ever arrive, so
  // the loop reports Errc::deadlock instead of waiting forever.
  [[nodiscard]] virtual bool is_virtual() const { return false; }

  // Board-tracked I/O still outstanding (sockets, DNS lookups): a virtual clock must not jump past them.
  [[nodiscard]] virtual bool has_pending_io() const { return false; }

 protected:
  Driver() = default;
  ~Driver() = default;
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;
};

// Defined by the board linked into the program: the driver of `weft::Loop loop;`.
[[nodiscard]] Driver& default_driver();

// Defined by the board: writes console/log text (UART on the chip, stderr on Linux). Must not allocate.
void console_write(const char* text, std::size_t length);

}  // namespace weft
