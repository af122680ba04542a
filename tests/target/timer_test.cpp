// Timers on the lx106, on the board's CCOUNT clock (CCOMPARE0 + waiti) unless a test needs exact virtual
// time: sleeps, zero sleeps, Timer callbacks, drift-free Periodic with catch-up, wait_for timeouts.
#include "harness.hpp"
#include "target_support.hpp"

namespace weft {
namespace {

using target::Trace;

// Wake lateness on the board clock: the interrupt, the ISR and one loop pass (~1-2k instructions at
// 32 ns each under -icount shift=5) — tens of microseconds, never early.
constexpr Micros kMaxLag = 100;

Task<> sleep_and_record(Loop& loop, Micros d, Micros& woke_at) {
  Micros start = loop.refresh_now();
  co_await sleep_us(d);
  woke_at = loop.refresh_now() - start;
}

TEST(Timers, SleepsWakeAtTheirDeadlineOnTheBoardClock) {
  Loop loop(target::board_clock());
  Micros a = -1, b = -1, c = -1;
  loop.spawn(sleep_and_record(loop, ms(30), a), "30");
  loop.spawn(sleep_and_record(loop, ms(10), b), "10");
  loop.spawn(sleep_and_record(loop, ms(20), c), "20");
  EXPECT_TRUE(loop.run_until(loop.refresh_now() + ms(50)).ok());
  EXPECT_GE(a, ms(30));
  EXPECT_LT(a, ms(30) + kMaxLag);
  EXPECT_GE(b, ms(10));
  EXPECT_LT(b, ms(10) + kMaxLag);
  EXPECT_GE(c, ms(20));
  EXPECT_LT(c, ms(20) + kMaxLag);
}

Task<> sleeper_trace(Trace& t, Loop& loop, const char* name, int period_ms) {
  for (int i = 0; i < 3; ++i) {
    co_await sleep_ms(period_ms);
    t(name, static_cast<long>(loop.now() / 1000));
  }
}

TEST(Timers, EqualDeadlinesFireInTheOrderTheyWereArmed) {
  target::VirtualLoop v;
  Trace trace;
  v.loop.spawn(sleeper_trace(trace, v.loop, "a", 7), "a");
  v.loop.spawn(sleeper_trace(trace, v.loop, "b", 3), "b");
  v.loop.spawn(sleeper_trace(trace, v.loop, "c", 7), "c");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_STREQ(trace.str(), "b3 b6 a7 c7 b9 a14 c14 a21 c21");
}

Task<> zero_sleep(Loop& loop, std::uint32_t& armed) {
  auto s = sleep_ms(0);
  armed = loop.timers().size();
  co_await std::move(s);
}

TEST(Timers, SleepZeroIsAYieldAndArmsNoTimer) {
  target::VirtualLoop v;
  std::uint32_t armed = 99;
  EXPECT_TRUE(v.loop.run_until_complete(zero_sleep(v.loop, armed)).ok());
  EXPECT_EQ(armed, 0u);
  EXPECT_EQ(v.loop.timers().size(), 0u);
  EXPECT_EQ(v.clock.now(), 0);
}

Task<int> bad_sleeps() {
  Status a = co_await sleep_ms(-5);
  Status b = co_await sleep_us(kMaxDuration + 1);
  co_return (a.error() == Errc::invalid_argument) + (b.error() == Errc::invalid_argument);
}

TEST(Timers, RejectNegativeAndAbsurdDurationsWithAClearError) {
  target::VirtualLoop v;
  target::LogCapture log;
  Result<int> r = v.loop.run_until_complete(bad_sleeps());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 2);
  EXPECT_TRUE(log.contains("sleep_ms(-5): duration out of range"));
}

TEST(Timers, TimerCallsBackOnceAndPeriodically) {
  Loop loop(target::board_clock());
  int once = 0, every = 0;
  Timer t1{[&once] { ++once; }, loop};
  Timer t2{[&every] { ++every; }, loop};
  EXPECT_TRUE(t1.start_once(ms(5)).ok());
  EXPECT_TRUE(t2.start_every(ms(10)).ok());
  EXPECT_TRUE(loop.run_until(loop.refresh_now() + ms(105)).ok());
  EXPECT_EQ(once, 1);
  EXPECT_EQ(every, 10);
  EXPECT_FALSE(t1.active());
  EXPECT_TRUE(t2.active());
  t2.stop();
  EXPECT_FALSE(t2.active());
  EXPECT_EQ(t2.start_every(0).error(), Errc::invalid_argument);
}

Task<> drifting_worker(VirtualClock& clock, Loop& loop, Trace& t) {
  Periodic tick(ms(10));
  for (int i = 0; i < 5; ++i) {
    co_await tick.next();
    t("", static_cast<long>(loop.now() / 1000));
    clock.advance(ms(3));  // every iteration costs 3 ms
  }
}

TEST(Timers, PeriodicDoesNotDriftWhenIterationsTakeTime) {
  target::VirtualLoop v;
  Trace trace;
  v.loop.spawn(drifting_worker(v.clock, v.loop, trace), "ticker");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_STREQ(trace.str(), "10 20 30 40 50");
}

Task<> late_worker(VirtualClock& clock, Loop& loop, Trace& t, std::uint32_t& missed) {
  Periodic tick(ms(10));  // CatchUp::skip
  for (int i = 0; i < 3; ++i) {
    co_await tick.next();
    t("", static_cast<long>(loop.now() / 1000));
    if (i == 0) clock.advance(ms(35));  // one slow iteration: misses the ticks at 20, 30, 40
  }
  missed = tick.missed();
}

TEST(Timers, PeriodicSkipsMissedTicksByDefault) {
  target::VirtualLoop v;
  Trace trace;
  std::uint32_t missed = 0;
  v.loop.spawn(late_worker(v.clock, v.loop, trace, missed), "late");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_STREQ(trace.str(), "10 50 60");
  EXPECT_EQ(missed, 3u);
}

Task<int> ticker_on_board(Loop& loop, int n, Micros& worst_lateness) {
  Periodic tick(ms(20));
  Micros start = loop.refresh_now();
  for (int i = 1; i <= n; ++i) {
    co_await tick.next();
    Micros late = loop.refresh_now() - (start + i * ms(20));
    if (late > worst_lateness) worst_lateness = late;
    if (late < 0) co_return -i;  // early: a bug
  }
  co_return n;
}

TEST(Timers, PeriodicTicksStayOnScheduleOnTheBoardClock) {
  Loop loop(target::board_clock());
  Micros worst = 0;
  Result<int> r = loop.run_until_complete(ticker_on_board(loop, 200, worst));  // 4 s of virtual time
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 200);
  EXPECT_LT(worst, kMaxLag);
}

Task<Status> wait_event_for(Event& e, Micros timeout, Micros& took) {
  Loop& loop = Loop::current();
  Micros t0 = loop.refresh_now();
  Status s = co_await wait_for(e.wait(), timeout);
  took = loop.refresh_now() - t0;
  co_return s;
}
Task<> set_after(Event& e, Micros d) {
  co_await sleep_us(d);
  e.set();
}

TEST(Timers, WaitForTimesOutOrCompletesFirst) {
  Loop loop(target::board_clock());
  Event never;
  Micros took = 0;
  Status s = loop.run_until_complete(wait_event_for(never, ms(50), took));
  EXPECT_EQ(s.error(), Errc::timed_out);
  EXPECT_GE(took, ms(50));
  EXPECT_LT(took, ms(50) + kMaxLag);
  EXPECT_EQ(loop.timers().size(), 0u);

  Event soon;
  loop.spawn(set_after(soon, ms(10)), "setter");
  s = loop.run_until_complete(wait_event_for(soon, ms(50), took));
  EXPECT_TRUE(s.ok());
  EXPECT_GE(took, ms(10));
  EXPECT_LT(took, ms(10) + kMaxLag);
  EXPECT_EQ(loop.timers().size(), 0u);  // the timeout was disarmed
}

// The loop checks run_until_complete's goal before idling: it returns as soon as the task ends.
Task<int> quick() {
  co_await sleep_ms(3);
  co_return 1;
}
TEST(Timers, RunUntilCompleteReturnsAsSoonAsTheTaskEnds) {
  Loop loop(target::board_clock());
  Micros t0 = loop.refresh_now();
  EXPECT_TRUE(loop.run_until_complete(quick()).ok());
  EXPECT_LT(loop.refresh_now() - t0, ms(3) + kMaxLag);
}

}  // namespace
}  // namespace weft
