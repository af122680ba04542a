#include "slice_clock.hpp"

namespace weft {

namespace {
constexpr Micros kSettledSpanUs = Micros{1} << 20;  // ~1 s: the ratio is good to 1 ppm
constexpr std::uint64_t kMaxRatio = 0xffffffffu;    // 1 us per tick, in 0.32 fixed point

Ticks saturated(std::uint64_t ticks) {
  return ticks > static_cast<Ticks>(-1) ? static_cast<Ticks>(-1) : static_cast<Ticks>(ticks);
}
}  // namespace

SliceClock::SliceClock(ClockPort& clock)
    : clock_(clock),
      cpu_(kHasCpuTicks && !clock.is_virtual()),
      settled_(!cpu_),  // ticks that are clock-port microseconds have no rate to learn
      hog_ticks_(cpu_ ? 0 : static_cast<Ticks>(kDefaultHogUs)) {}

void SliceClock::refine(Micros now) const {
  Ticks t = cpu_ticks();
  Micros span = now - us0_;
  if (span >= kMaxSpanUs) {  // the first calibration point, or a fresh one after a long gap
    t0_ = t;
    us0_ = now;
    next_us_ = now + 1000;
    next_ticks_ = 0;  // until then, wants_clock() asks at every chance
    return;
  }
  if (span < 1000) return;  // too short to say anything
  auto ticks = static_cast<std::uint64_t>(static_cast<Ticks>(t - t0_));
  next_us_ = now + span;  // again when the span has doubled: O(log) refinements in all
  next_ticks_ = saturated(ticks * 2);
  // span < 2^24: no overflow. A counter slower than 1 MHz (ticks < span) is clamped to 1 MHz.
  std::uint64_t ratio =
      ticks > static_cast<std::uint64_t>(span) ? (static_cast<std::uint64_t>(span) << 32) / ticks : kMaxRatio;
  us_per_tick_ = static_cast<std::uint32_t>(ratio);
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
  // (ticks * ratio) >> 32 in two 32 x 32 -> 64 products: exact, no 128-bit type needed.
  std::uint64_t q = us_per_tick_;
  return static_cast<Micros>((ticks >> 32) * q + ((ticks & 0xffffffffu) * q >> 32));
}

}  // namespace weft
