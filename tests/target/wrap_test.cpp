// Time wraparound on the lx106: the 32-bit CCOUNT wraps every 107 s (QEMU's 40 MHz; 53.7 s at the chip's
// 80 MHz). The loop's 64-bit microseconds must stay monotonic and exact across wraps, with sleeps, periodic
// ticks and timers armed across them. Runs minutes of virtual time in a few host seconds (waiti + icount).
#include "core/wrapping_counter.hpp"
#include "harness.hpp"
#include "target_support.hpp"

namespace weft {
namespace {

void jump_to_just_before_wrap(Micros before) {
  target::board_clock().set_ccount_for_test(0u - static_cast<std::uint32_t>(before) * lx106::kCcountPerUs);
}

TEST(Wrap, WrappingCounterExtendsAcrossTheWrap) {
  WrappingCounter c;
  c.reset(0xFFFFFF00u);
  EXPECT_EQ(c.extend(0xFFFFFFF0u), 0xF0u);
  EXPECT_EQ(c.extend(0x00000010u), 0x110u);  // wrapped
  EXPECT_EQ(c.extend(0x80000000u), 0x80000100u);
  EXPECT_EQ(c.extend(0xFFFFFF00u), 0x100000000u);
  EXPECT_EQ(c.extend(0x00000000u), 0x100000100u);  // second wrap: past 32 bits
}

TEST(Wrap, DeadlinesSaturateInsteadOfOverflowing) {
  EXPECT_EQ(deadline_after(kForever - 5, 10), kForever);
  EXPECT_EQ(deadline_after(sec(1), ms(1)), sec(1) + ms(1));
  Micros out = 0;
  EXPECT_FALSE(ms_to_micros(-1, out));
  EXPECT_FALSE(ms_to_micros(INT64_MAX, out));
  EXPECT_TRUE(ms_to_micros(1000, out));
  EXPECT_EQ(out, sec(1));
}

Task<> sleep_across(Micros d, Micros& took) {
  Loop& loop = Loop::current();
  Micros t0 = loop.refresh_now();
  co_await sleep_us(d);
  took = loop.refresh_now() - t0;
}

TEST(Wrap, ASleepArmedBeforeTheWrapWakesOnTime) {
  Loop loop(target::board_clock());
  jump_to_just_before_wrap(ms(3));
  Micros took = 0;
  EXPECT_TRUE(loop.run_until_complete(sleep_across(ms(10), took)).ok());
  EXPECT_GE(took, ms(10));
  EXPECT_LT(took, ms(10) + 100);
}

Task<int> tick_through_wraps(Periodic& tick, int n, Micros& worst) {
  Loop& loop = Loop::current();
  Micros start = loop.refresh_now();
  Micros last = start;
  for (int i = 1; i <= n; ++i) {
    co_await tick.next();
    Micros now = loop.refresh_now();
    if (now < last) co_return -i;  // time went backwards
    last = now;
    Micros late = now - (start + i * tick.period());
    if (late < 0) co_return -1000 - i;
    if (late > worst) worst = late;
  }
  co_return n;
}

TEST(Wrap, PeriodicTicksStayExactAcrossSeveralWraps) {
  target::set_budget(sec(400));
  Loop loop(target::board_clock());
  jump_to_just_before_wrap(sec(2));
  Periodic tick(sec(10));
  Micros worst = 0;
  // 30 ticks of 10 s = 300 s: crosses the wrap 2 s in, then again at ~109 s and ~216 s.
  Result<int> r = loop.run_until_complete(tick_through_wraps(tick, 30, worst));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 30);
  EXPECT_LT(worst, 100);
  EXPECT_EQ(tick.missed(), 0u);
}

TEST(Wrap, ATimerSpanningAWrapFiresOnce) {
  Loop loop(target::board_clock());
  jump_to_just_before_wrap(ms(500));
  int fired = 0;
  Timer t{[&fired] { ++fired; }, loop};
  Micros start = loop.refresh_now();
  EXPECT_TRUE(t.start_once(sec(150)).ok());  // > one whole wrap period
  EXPECT_TRUE(loop.run_until(start + sec(149)).ok());
  EXPECT_EQ(fired, 0);
  EXPECT_TRUE(loop.run_until(start + sec(151)).ok());
  EXPECT_EQ(fired, 1);
}

}  // namespace
}  // namespace weft
