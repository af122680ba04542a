#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "core/wrapping_counter.hpp"
#include "test_support.hpp"

namespace weft {
namespace {

TEST(Sleep, WakesAtItsDeadlineInVirtualTime) {
  test::VirtualLoop v;
  std::vector<Micros> woke;
  auto sleeper = [](std::vector<Micros>& out, Loop& loop, Micros d) -> Task<> {
    co_await sleep_us(d);
    out.push_back(loop.now());
  };
  v.loop.spawn(sleeper(woke, v.loop, ms(30)));
  v.loop.spawn(sleeper(woke, v.loop, ms(10)));
  v.loop.spawn(sleeper(woke, v.loop, ms(20)));
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(woke, (std::vector<Micros>{ms(10), ms(20), ms(30)}));
}

TEST(Sleep, ZeroIsAYieldAndArmsNoTimer) {
  test::VirtualLoop v;
  std::uint32_t armed_during = 99;
  auto t = [](Loop& loop, std::uint32_t& armed) -> Task<> {
    auto s = sleep_ms(0);
    (void)co_await yield();
    armed = loop.timers().size();
    co_await std::move(s);
  };
  EXPECT_TRUE(v.loop.run_until_complete(t(v.loop, armed_during)).ok());
  EXPECT_EQ(armed_during, 0u);
  EXPECT_EQ(v.clock.now(), 0);
}

TEST(Sleep, RejectsNegativeAndOverflowingDurationsWithAClearError) {
  test::VirtualLoop v;
  test::LogCapture log;
  auto t = []() -> Task<int> {
    Status a = co_await sleep_ms(-5);
    Status b = co_await sleep_ms(INT64_MAX);
    Status c = co_await sleep_us(-1);
    co_return (a.error() == Errc::invalid_argument) + (b.error() == Errc::invalid_argument) +
        (c.error() == Errc::invalid_argument);
  };
  EXPECT_EQ(*v.loop.run_until_complete(t()), 3);
  EXPECT_EQ(v.clock.now(), 0);
  EXPECT_TRUE(log.contains("sleep_ms(-5): duration out of range"));
}

TEST(Sleep, SleepUntilAPastDeadlineYieldsOnce) {
  test::VirtualLoop v;
  v.clock.set_now(sec(5));
  auto t = []() -> Task<Status> { co_return co_await sleep_until(sec(1)); };
  EXPECT_TRUE(v.loop.run_until_complete(t()).ok());
  EXPECT_EQ(v.clock.now(), sec(5));
}

TEST(VirtualTime, RunsADayOfAOneSecondPeriodicTaskInWellUnderASecond) {
  test::VirtualLoop v;
  long ticks = 0;
  auto ticker = [](long& n) -> Task<> {
    Periodic tick(sec(1));
    for (;;) {
      co_await tick.next();
      ++n;
    }
  };
  v.loop.spawn(ticker(ticks), "ticker");
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(v.loop.run_until(sec(24 * 3600)).ok());
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(ticks, 24 * 3600);
  // Generous bound (a loaded CI machine): the point is "simulated, not waited", 86400 s vs < 10 s.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(took).count(), 10);
}

std::vector<std::string> run_scenario() {
  test::VirtualLoop v;
  test::Trace trace;
  auto worker = [](test::Trace& t, Loop& loop, std::string name, int period) -> Task<> {
    for (int i = 0; i < 5; ++i) {
      co_await sleep_ms(period);
      t(name + "@" + std::to_string(loop.now()));
    }
  };
  v.loop.spawn(worker(trace, v.loop, "a", 7));
  v.loop.spawn(worker(trace, v.loop, "b", 3));
  v.loop.spawn(worker(trace, v.loop, "c", 7));
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  return trace.events;
}

TEST(VirtualTime, GivesTheSameTraceOnEveryRun) {
  auto first = run_scenario();
  EXPECT_EQ(first.size(), 15u);
  EXPECT_EQ(first, run_scenario());
  // Equal deadlines fire in the order they were armed.
  auto a = std::find(first.begin(), first.end(), "a@7000");
  auto c = std::find(first.begin(), first.end(), "c@7000");
  EXPECT_LT(a, c);
}

TEST(Periodic, DoesNotDriftWhenIterationsTakeTime) {
  test::VirtualLoop v;
  std::vector<Micros> seen;
  auto ticker = [](VirtualClock& clock, Loop& loop, std::vector<Micros>& out) -> Task<> {
    Periodic tick(ms(10));
    for (int i = 0; i < 5; ++i) {
      co_await tick.next();
      out.push_back(loop.now());
      clock.advance(ms(3));  // each iteration costs 3 ms
    }
  };
  v.loop.spawn(ticker(v.clock, v.loop, seen));
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(seen, (std::vector<Micros>{ms(10), ms(20), ms(30), ms(40), ms(50)}));
}

std::vector<Micros> late_ticks(CatchUp policy, std::uint32_t& missed) {
  test::VirtualLoop v;
  std::vector<Micros> seen;
  auto ticker = [](VirtualClock& clock, Loop& loop, std::vector<Micros>& out, CatchUp p,
                   std::uint32_t& m) -> Task<> {
    Periodic tick(ms(10), p);
    for (int i = 0; i < 4; ++i) {
      co_await tick.next();
      out.push_back(loop.refresh_now());
      if (i == 0) clock.advance(ms(35));  // the first iteration overruns 3.5 periods
    }
    m = tick.missed();
  };
  v.loop.spawn(ticker(v.clock, v.loop, seen, policy, missed));
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  return seen;
}

TEST(Periodic, SkipsMissedTicksByDefault) {
  std::uint32_t missed = 0;
  // Tick at 10; the work ends at 45; ticks 20, 30, 40 are missed; the schedule resumes at 50.
  EXPECT_EQ(late_ticks(CatchUp::skip, missed), (std::vector<Micros>{ms(10), ms(50), ms(60), ms(70)}));
  EXPECT_EQ(missed, 3u);
}

TEST(Periodic, DeliversMissedTicksBackToBackInBurstMode) {
  std::uint32_t missed = 0;
  EXPECT_EQ(late_ticks(CatchUp::burst, missed), (std::vector<Micros>{ms(10), ms(45), ms(45), ms(45)}));
  EXPECT_EQ(missed, 0u);
}

TEST(Periodic, RestartsThePhaseAfterALateTickInDelayMode) {
  std::uint32_t missed = 0;
  EXPECT_EQ(late_ticks(CatchUp::delay, missed), (std::vector<Micros>{ms(10), ms(55), ms(65), ms(75)}));
  EXPECT_EQ(missed, 3u);
}

TEST(Timer, CallsBackOnceLater) {
  test::VirtualLoop v;
  std::vector<Micros> calls;
  Timer t([&] { calls.push_back(v.loop.now()); }, v.loop);
  EXPECT_TRUE(t.start_once(ms(250)).ok());
  EXPECT_TRUE(t.active());
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(calls, (std::vector<Micros>{ms(250)}));
  EXPECT_FALSE(t.active());
}

TEST(Timer, CallsBackEveryPeriodUntilStoppedFromItsOwnCallback) {
  test::VirtualLoop v;
  std::vector<Micros> calls;
  Timer* self = nullptr;
  Timer t(
      [&] {
        calls.push_back(v.loop.now());
        if (calls.size() == 3) self->stop();
      },
      v.loop);
  self = &t;
  EXPECT_TRUE(t.start_every(ms(100)).ok());
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(calls, (std::vector<Micros>{ms(100), ms(200), ms(300)}));
  EXPECT_EQ(t.fired(), 3u);
}

TEST(Timer, RejectsANonPositivePeriodWithoutArming) {
  test::VirtualLoop v;
  test::LogCapture log;
  Timer t([] {}, v.loop);
  EXPECT_EQ(t.start_every(0).error(), Errc::invalid_argument);
  EXPECT_EQ(t.start_once(-3).error(), Errc::invalid_argument);
  EXPECT_FALSE(t.active());
  EXPECT_TRUE(log.contains("out of range"));
}

TEST(Timer, DisarmsItselfWhenDestroyed) {
  test::VirtualLoop v;
  int calls = 0;
  {
    Timer t([&] { ++calls; }, v.loop);
    EXPECT_TRUE(t.start_every(ms(1)).ok());
  }
  EXPECT_TRUE(v.loop.timers().empty());
  EXPECT_TRUE(v.loop.run_until(ms(10)).ok());
  EXPECT_EQ(calls, 0);
}

TEST(WrappingCounter, KeepsItsTotalWhenTheCounterIsWritten) {
  WrappingCounter c;
  c.reset(100u);
  EXPECT_EQ(c.extend(150u), 50u);
  c.continue_from(0xFFFFFFF0u);  // the hardware counter jumped: the jump is not counted
  EXPECT_EQ(c.extend(0x00000010u), 50u + 0x20u);
}

TEST(WrappingCounter, ExtendsA32BitCounterAcrossWraps) {
  WrappingCounter c;
  c.reset(0xFFFFFF00u);
  EXPECT_EQ(c.extend(0xFFFFFFF0u), 0xF0u);
  EXPECT_EQ(c.extend(0x00000010u), 0x110u);  // wrapped
  std::uint64_t expected = 0x110u;
  std::uint32_t sample = 0x10u;
  for (int i = 0; i < 10; ++i) {  // ten more full wraps in steps of a third of the range
    for (int k = 0; k < 3; ++k) {
      sample += 0x55555555u;
      expected += 0x55555555u;
      EXPECT_EQ(c.extend(sample), expected);
    }
  }
  EXPECT_GT(expected, 0xFFFFFFFFull * 10);
}

}  // namespace
}  // namespace weft
