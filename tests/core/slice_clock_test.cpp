// SliceClock (slice_clock.hpp) against a clock port whose time the test sets, with the CPU's real counter.
#include <gtest/gtest.h>

#include <chrono>

#include "core/slice_clock.hpp"

namespace weft {
namespace {

class SetClock final : public ClockPort {
 public:
  explicit SetClock(bool virtual_time = false) : virtual_(virtual_time) {}
  Micros now() override { return now_; }
  void wait_until(Micros) override {}
  void wake() override {}
  bool is_virtual() const override { return virtual_; }
  Micros now_ = 0;

 private:
  bool virtual_;
};

void spin_for(std::chrono::microseconds d) {
  auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
  }
}

TEST(SliceClock, LearnsTheCounterRateFromAMillisecondOfClockTime) {
  if (!kHasCpuTicks) GTEST_SKIP() << "this CPU has no cycle counter: ticks are clock-port microseconds";
  SetClock clock;
  SliceClock slices(clock);
  EXPECT_FALSE(slices.calibrated());
  EXPECT_EQ(slices.hog_ticks(), 0u);  // unknown rate: every slice is asked about
  slices.saw_clock(0);
  spin_for(std::chrono::milliseconds(2));
  clock.now_ = 2000;
  slices.saw_clock(clock.now_);
  EXPECT_TRUE(slices.calibrated());
  EXPECT_GT(slices.hog_ticks(), 0u);
  EXPECT_FALSE(slices.settled());  // refined further until the span reaches a second
}

TEST(SliceClock, DoesNotTrustASpanOfSixteenSecondsOrMore) {
  if (!kHasCpuTicks) GTEST_SKIP() << "this CPU has no cycle counter: ticks are clock-port microseconds";
  SetClock clock;
  SliceClock slices(clock);
  slices.saw_clock(0);
  clock.now_ = sec(20);  // the loop read no clock for 20 s: a 32-bit counter may have wrapped since
  slices.saw_clock(clock.now_);
  EXPECT_FALSE(slices.calibrated());
  spin_for(std::chrono::milliseconds(2));
  clock.now_ += ms(2);  // a fresh millisecond-long span from there calibrates
  slices.saw_clock(clock.now_);
  EXPECT_TRUE(slices.calibrated());
}

TEST(SliceClock, TicksAreClockMicrosecondsUnderAVirtualClock) {
  SetClock clock(true);
  SliceClock slices(clock);
  EXPECT_TRUE(slices.calibrated());
  EXPECT_TRUE(slices.settled());
  EXPECT_EQ(slices.to_us(12345), 12345);
  EXPECT_EQ(slices.hog_ticks(), 3000u);  // the default threshold, 3 ms
  slices.set_hog_threshold(0);
  EXPECT_EQ(slices.hog_ticks(), static_cast<Ticks>(-1));  // 0 disables the warning
}

}  // namespace
}  // namespace weft
