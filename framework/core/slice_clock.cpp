#include "slice_clock.hpp"

namespace weft {

namespace {
constexpr Micros kSettledSpanUs = Micros{1} << 20;  // ~1 s: the ratio is good to 1 ppm
constexpr Micros kMaxSpanUs = Micros{1} << 24;      // ~16 s: longer spans restart (a 32-bit counter may wrap)
constexpr std::uint64_t kLow32 = 0xffffffffu;

// (a * q) >> 32 for a 32.32 fixed-point q: four 32 x 32 -> 64 products, no 128-bit type needed.
std::uint64_t mul_q32(std::uint64_t a, std::uint64_t q) {
  std::uint64_t ah = a >> 32, al = a & kLow32, qh = q >> 32, ql = q & kLow32;
  return (ah * qh << 32) + ah * ql + al * qh + (al * ql >> 32);
}

Ticks saturated(std::uint64_t ticks) {
  return ticks > static_cast<Ticks>(-1) ? static_cast<Ticks>(-1) : static_cast<Ticks>(ticks);
}
}  // namespace

SliceClock::SliceClock(ClockPort& clock) : clock_(clock), cpu_(kHasCpuTicks && !clock.is_virtual()) {
  settled_ = !cpu_;  // ticks that are clock-port microseconds have no rate to learn
  update_hog_ticks();
}

void SliceClock::refine(Micros now) const {
  Ticks t = cpu_ticks();
  Micros span = now - us0_;
  if (!started_ || span >= kMaxSpanUs) {  // the first calibration point, or a fresh one after a long gap
    started_ = true;
    t0_ = t;
    us0_ = now;
    next_us_ = now + 1000;
    next_ticks_ = 0;  // until then, wants_clock() asks at every chance
    return;
  }
  if (span < 1000) return;  // too short to say anything
  auto ticks = static_cast<std::uint64_t>(static_cast<Ticks>(t - t0_));
  if (ticks == 0) return;
  next_us_ = now + span;  // again when the span has doubled: O(log) refinements in all
  next_ticks_ = saturated(ticks * 2);
  us_per_tick_ = (static_cast<std::uint64_t>(span) << 32) / ticks;  // span < 2^24: no overflow
  settled_ = span >= kSettledSpanUs;
  update_hog_ticks();
}

void SliceClock::update_hog_ticks() const {
  auto us = static_cast<std::uint64_t>(hog_us_);
  if (hog_us_ <= 0) {
    hog_ticks_ = static_cast<Ticks>(-1);
  } else if (!cpu_) {
    hog_ticks_ = saturated(us);
  } else if (us_per_tick_ == 0) {
    hog_ticks_ = 0;  // rate unknown: every slice asks (Loop::hog), which calibrates first
  } else if (us >> 32 == 0) {
    hog_ticks_ = saturated((us << 32) / us_per_tick_);
  } else {  // over an hour: whole ticks per 2^32 us are precise enough
    std::uint64_t q = us / us_per_tick_;
    hog_ticks_ = q >> 32 != 0 ? static_cast<Ticks>(-1) : saturated(q << 32);
  }
}

void SliceClock::set_hog_threshold(Micros us) {
  hog_us_ = us;
  update_hog_ticks();
}

Micros SliceClock::to_us(std::uint64_t ticks) const {
  if (!cpu_) return static_cast<Micros>(ticks);
  if (!settled_) refine(clock_.now());  // lazily: the freshest ratio (0 before the loop's first millisecond)
  return static_cast<Micros>(mul_q32(ticks, us_per_tick_));
}

}  // namespace weft
