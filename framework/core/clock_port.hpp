// The clock port: the time a board gives the scheduler, and how the loop idles until a deadline.
//
// A board implements ClockPort and defines weft::default_clock_port(), which a Loop built without an explicit
// clock uses (board/linux: the simulated world's clock over CLOCK_MONOTONIC; board/esp8266: system_get_time
// and an os_timer; board/lx106_qemu: CCOUNT and CCOMPARE0; VirtualClock (virtual_clock.hpp) for tests).
// A board that also tracks I/O (sockets, SDK work) implements IoPoller (io_poller.hpp) too, usually in the
// same object. framework/ only declares these; the board linked into the program defines them.
//
// Who calls what (the pass itself: loop.hpp):
//   now():        loop context: once per pass while timers are armed (or a run_until deadline is set), after
//                 every idle wait, per slice for profiling under a virtual clock (slice_clock.hpp), and when a
//                 task asks for the exact time (Loop::refresh_now)
//   wait_until(): loop context, only when no task is ready: idles until the deadline, a wake(), or an event
//                 the board tracks (socket readiness, a GPIO edge). A board that tracks I/O completes the
//                 waiting operations itself, in loop context, by calling WaitNode::fire() (wait_node.hpp) on
//                 the nodes its I/O objects own, before it returns.
//   wake():       any context: interrupt handler, signal handler, another thread (ThreadSafeFlag::set,
//                 socket callbacks).
#pragma once
#include "time.hpp"

namespace weft {

class ClockPort {
 public:
  // Monotonic microseconds since boot. Cheap, never waits.
  [[nodiscard]] virtual Micros now() = 0;

  // Idles until now() >= deadline, or until wake() or a board-tracked event; returning early is allowed
  // (the loop just re-checks). deadline == kForever: wait for events only. Called only from the loop.
  virtual void wait_until(Micros deadline) = 0;

  // Makes a wait_until in progress (or the next one) return promptly. Interrupt- and signal-safe and callable
  // from other threads: it may only touch atomics or hardware (never scheduler queues), and never allocates.
  virtual void wake() = 0;

  // True for a virtual clock (simulated time that jumps to the next deadline): when nothing is ready, no
  // deadline is set and no IoPoller reports pending I/O, no event can ever arrive, so the loop reports
  // Errc::deadlock instead of waiting forever.
  [[nodiscard]] virtual bool is_virtual() const { return false; }

 protected:
  ClockPort() = default;
  ~ClockPort() = default;
  ClockPort(const ClockPort&) = delete;
  ClockPort& operator=(const ClockPort&) = delete;
};

// Defined by the board linked into the program: the clock of `weft::Loop loop;`.
[[nodiscard]] ClockPort& default_clock_port();

}  // namespace weft
