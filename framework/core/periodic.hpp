// Periodic: a drift-free tick for a task loop. Deadlines are start + k * period, never "now + period", so a
// slow iteration does not push every later tick back.
//
//   weft::Periodic tick(weft::ms(100));                    // first tick one period from now
//   for (;;) { co_await tick.next(); sample(); }
//
// When the task falls behind by more than a period, CatchUp decides:
//   skip  (default) the missed ticks are dropped; the next tick is the next future multiple of the period
//   burst           every missed tick is delivered, back to back, until it has caught up
//   delay           the schedule restarts one period after the late tick (the phase shifts)
// missed() counts ticks dropped by skip (and delay's shift, in whole periods).
// next() returns Status: ok, or Errc::cancelled (the task was cancelled; the schedule is unchanged).
#pragma once
#include <cstdint>

#include "sleep.hpp"

namespace weft {

enum class CatchUp : std::uint8_t { skip, burst, delay };

// Where a schedule goes after a tick due at `due` was observed at `now` (shared by Periodic and Timer).
[[nodiscard]] Micros next_tick(Micros due, Micros now, Micros period, CatchUp policy, std::uint32_t& missed);

class Periodic {
 public:
  // period must be > 0 (a non-positive period is clamped to 1 us and logged).
  explicit Periodic(Micros period, CatchUp policy = CatchUp::skip);
  Periodic(Micros period, CatchUp policy, Micros first_deadline);

  // Waits for the next tick.
  [[nodiscard]] SleepAwaiter next();

  [[nodiscard]] Micros period() const { return period_; }
  [[nodiscard]] Micros due() const { return due_; }
  [[nodiscard]] std::uint32_t missed() const { return missed_; }
  // Restarts the schedule: the next tick is one period from now.
  void reset();

 private:
  Micros period_;
  Micros due_;
  CatchUp policy_;
  bool started_ = false;
  std::uint32_t missed_ = 0;
};

}  // namespace weft
