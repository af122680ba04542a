#include "slice_clock.hpp"

namespace weft {

namespace {
constexpr std::uint64_t kSettledSpanUs = std::uint64_t{1} << 20;  // ~1 s: the ratio is good to 1 ppm
constexpr std::uint64_t kMaxSpanUs = std::uint64_t{1} << 24;      // spans are scaled below this (no overflow)

// a * b / c without overflowing for b, c < 2^37 (whole c's, then the remainder): callers check a / c * b.
std::uint64_t muldiv(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return a / c * b + a % c * b / c;
}
}  // namespace

SliceClock::SliceClock(ClockPort& clock) : clock_(clock), cpu_(kHasCpuTicks && !clock.is_virtual()) {
  settled_ = !cpu_;  // ticks that are clock-port microseconds have no rate to learn
  update_hog_ticks();
}

void SliceClock::refine(Micros now) const {
  Ticks t = cpu_ticks();
  if (!started_) {
    started_ = true;
    t0_ = t;
    us0_ = now;
    next_us_ = now + 1000;
    return;
  }
  if (now - us0_ < 1000) return;  // too short to say anything
  auto us = static_cast<std::uint64_t>(now - us0_);
  auto ticks = static_cast<std::uint64_t>(static_cast<Ticks>(t - t0_));
  next_us_ = now + (now - us0_);  // again when the span has doubled: O(log) refinements in all
  next_ticks_ = ticks > static_cast<Ticks>(-1) / 2 ? static_cast<Ticks>(-1) : static_cast<Ticks>(ticks * 2);
  while (us >= kMaxSpanUs) {
    us >>= 1;
    ticks >>= 1;
  }
  if (ticks == 0) return;
  us_span_ = us;
  ticks_span_ = ticks;
  settled_ = us >= kSettledSpanUs;
  update_hog_ticks();
}

void SliceClock::update_hog_ticks() const {
  if (hog_us_ <= 0) {
    hog_ticks_ = static_cast<Ticks>(-1);
    return;
  }
  if (!calibrated()) {
    hog_ticks_ = 0;  // rate unknown: every slice asks (Loop::hog), which calibrates first
    return;
  }
  if (!cpu_) {
    hog_ticks_ = static_cast<Ticks>(hog_us_);
    return;
  }
  auto us = static_cast<std::uint64_t>(hog_us_);
  if (us / us_span_ >= (std::uint64_t{1} << 24)) {
    hog_ticks_ = static_cast<Ticks>(-1);  // years: never
    return;
  }
  std::uint64_t ticks = muldiv(us, ticks_span_, us_span_);
  hog_ticks_ = ticks > static_cast<Ticks>(-1) ? static_cast<Ticks>(-1) : static_cast<Ticks>(ticks);
}

void SliceClock::set_hog_threshold(Micros us) {
  hog_us_ = us;
  update_hog_ticks();
}

Micros SliceClock::to_us(std::uint64_t ticks) const {
  if (!cpu_) return static_cast<Micros>(ticks);
  if (!settled_) refine(clock_.now());   // lazily: the freshest ratio
  if (ticks_span_ == 0) return 0;        // the loop has not run for a millisecond yet
  return static_cast<Micros>(
      muldiv(ticks, us_span_, ticks_span_));  // ticks_span < 2^37 at 5 GHz, us_span < 2^24
}

}  // namespace weft
