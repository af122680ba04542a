// SliceClock: times task slices (per-task profiling, the hog warning) with the cheapest counter the CPU has,
// converted to microseconds lazily.
//
// Ticks: CCOUNT on the lx106 (one instruction to read), the TSC on x86-64, CNTVCT on AArch64; never a clock
// call per switch. The ratio to the clock port's microseconds is learnt, not configured: the loop hands over
// the time wherever it reads the clock anyway (timer passes, idle wake-ups, every kPollEverySwitches
// switches), and the ratio is refined until it spans a second, then kept. Totals stay in ticks and are
// converted when read (to_us: a multiply by the ratio in 0.32 fixed point, no division; a counter slower than
// 1 MHz, which no supported CPU has, would read as 1 MHz). A slice that ends before the rate is known (the
// loop's first millisecond) reads the clock port once, to learn it.
// A calibration span that grows past ~16 s (the loop read no clock for that long; a 32-bit CCOUNT wraps after
// 27 s at 160 MHz) is not trusted: calibration starts again from there.
// Under a virtual clock (VirtualClock: simulated time that the CPU does not see), and on CPUs without such a
// counter, a tick is simply a clock-port microsecond.
#pragma once
#include <cstdint>

#include "clock_port.hpp"
#include "cpu_ticks.hpp"
#include "time.hpp"

namespace weft {

class SliceClock {
 public:
  explicit SliceClock(ClockPort& clock);

  // A slice boundary. O(1): one counter read (a clock port now() only under a virtual clock).
  [[nodiscard]] [[gnu::always_inline]] Ticks read() {
    return cpu_ ? cpu_ticks() : static_cast<Ticks>(clock_.now());
  }
  // The loop read the clock port (`now`): refines the ratio while it spans less than a second, each time
  // the span has doubled (a comparison otherwise).
  [[gnu::always_inline]] void saw_clock(Micros now) {
    if (!settled_ && now >= next_us_) refine(now);
  }
  // True when a saw_clock() now would refine the ratio (for a loop that does not read the clock by itself).
  [[nodiscard]] bool wants_clock() const {
    return !settled_ && static_cast<Ticks>(cpu_ticks() - t0_) >= next_ticks_;
  }
  // Ticks -> microseconds (reads the clock once for the freshest ratio while it is not settled).
  [[nodiscard]] Micros to_us(std::uint64_t ticks) const;
  // Slices longer than this many ticks may be hogs: 0 while the rate is unknown (the caller then calibrates
  // with saw_clock and asks again), the maximum when the threshold is 0.
  [[nodiscard]] Ticks hog_ticks() const { return hog_ticks_; }
  [[nodiscard]] Micros hog_threshold() const { return hog_us_; }
  [[nodiscard]] bool settled() const { return settled_; }
  [[nodiscard]] bool calibrated() const { return !cpu_ || us_per_tick_ != 0; }
  void set_hog_threshold(Micros us);

 private:
  // The ratio is a cache (refined by saw_clock and by to_us): mutable.
  void refine(Micros now) const;
  void update_hog_ticks() const;

  static constexpr Micros kDefaultHogUs = 3000;
  // Calibration spans of ~16 s or more restart: a 32-bit counter may have wrapped (CCOUNT: 27 s at 160 MHz).
  static constexpr Micros kMaxSpanUs = Micros{1} << 24;

  ClockPort& clock_;
  bool cpu_;                      // ticks are CPU counts (else clock-port microseconds)
  mutable bool settled_ = false;  // the ratio spans >= ~1 s: no more refining
  mutable Ticks t0_ = 0;          // first calibration point (none yet: us0_ is a span before time 0)
  mutable Micros us0_ = -kMaxSpanUs;
  mutable Micros next_us_ = 0;             // refine again at or after this clock time...
  mutable Ticks next_ticks_ = 0;           // ...or this many ticks after t0_
  mutable std::uint32_t us_per_tick_ = 0;  // the latest ratio, microseconds per tick << 32 (0: unknown)
  Micros hog_us_ = kDefaultHogUs;
  mutable Ticks hog_ticks_;  // 0 while the rate is unknown
};

}  // namespace weft
