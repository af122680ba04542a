// Per-task names and statistics, in both build settings (WEFT_TASK_STATS, task_header.hpp): this file is
// compiled into core_tests with the build's setting and into a second binary with the other one.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace weft {
namespace {

// Spins for `d` of real time without yielding (a slice the CPU really spends).
void spin_for(std::chrono::microseconds d) {
  auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
  }
}

#if WEFT_TASK_STATS

TEST(TaskStats, CountsRunsAndSliceTimesPerTask) {
  test::VirtualLoop v;
  auto busy = [](VirtualClock& clock) -> Task<> {
    for (int i = 0; i < 3; ++i) {
      clock.advance(ms(1));  // pretend this slice took 1 ms of CPU
      co_await yield();
    }
  };
  auto h = v.loop.spawn(busy(v.clock), "busy");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(h.stats().runs, 4u);
  EXPECT_EQ(h.stats().total_us, ms(3));
  EXPECT_EQ(h.stats().max_slice_us, 1000u);
}

TEST(TaskStats, WarnsAboutATaskThatHogsTheLoop) {
  test::VirtualLoop v;
  test::LogCapture log;
  v.loop.set_hog_threshold(ms(3));
  auto hog = [](VirtualClock& clock) -> Task<> {
    clock.advance(ms(12));  // a 12 ms slice without yielding
    co_return;
  };
  v.loop.spawn(hog(v.clock), "hog");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(v.loop.stats().hog_warnings, 1u);
  EXPECT_TRUE(log.contains("task \"hog\" ran 12000 us without yielding"));
}

TEST(TaskStats, ListsLiveTasksWithTheirNames) {
  test::VirtualLoop v;
  auto idle = []() -> Task<> { co_await sleep_ms(100); };
  v.loop.spawn(idle(), "one");
  v.loop.spawn(idle(), "two");
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  std::vector<std::string> names;
  v.loop.for_each_task([&](const TaskHeader& t) { names.emplace_back(t.task_name()); });
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"one", "two"}));
  test::LogCapture log;
  v.loop.log_stats();
  EXPECT_TRUE(log.contains("task one"));
}

// On the real clock slices are timed with the CPU's counter (slice_clock.hpp) and converted when read.
// Lower bounds only: a loaded machine makes slices longer, never shorter.
TEST(TaskStats, TimesSlicesOnTheRealClockWithTheCpuCounter) {
  Loop loop;
  test::LogCapture log;
  loop.set_hog_threshold(ms(2));
  auto work = []() -> Task<> {
    co_await sleep_ms(5);  // the loop reads the clock around this idle wait: the counter's rate is learnt
    spin_for(std::chrono::milliseconds(6));
    co_await yield();
  };
  auto h = loop.spawn(work(), "spinner");
  auto join = [](JoinHandle<void>& handle) -> Task<> {
    Status s = co_await handle.join();
    EXPECT_TRUE(s.ok());
  };
  EXPECT_TRUE(loop.run_until_complete(join(h)).ok());
  TaskStats s = h.stats();
  EXPECT_EQ(s.runs, 3u);
  EXPECT_GE(s.max_slice_us, 5000u);
  EXPECT_GE(s.total_us, ms(5));
  EXPECT_GE(loop.stats().hog_warnings, 1u);
  EXPECT_TRUE(log.contains("task \"spinner\" ran"));
}

#else  // names and stats compiled out

TEST(TaskStats, NamesAndStatsAreCompiledOut) {
  test::VirtualLoop v;
  test::LogCapture log;
  v.loop.set_hog_threshold(ms(1));  // no effect
  auto busy = [](VirtualClock& clock) -> Task<> {
    clock.advance(ms(5));
    co_await yield();
  };
  auto h = v.loop.spawn(busy(v.clock), "busy");
  EXPECT_STREQ(h.name(), "");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_TRUE(h.done());
  EXPECT_EQ(h.stats().runs, 0u);
  EXPECT_EQ(h.stats().total_us, 0);
  EXPECT_EQ(v.loop.stats().hog_warnings, 0u);
  EXPECT_FALSE(log.contains("without yielding"));
  EXPECT_GE(v.loop.stats().switches, 2u);  // the loop's own counters stay
}

TEST(TaskStats, TheStatsLogStillListsTheLiveTasks) {
  test::VirtualLoop v;
  auto idle = []() -> Task<> { co_await sleep_ms(100); };
  v.loop.spawn(idle(), "one");
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  int live = 0;
  v.loop.for_each_task([&](const TaskHeader& t) {
    EXPECT_STREQ(t.task_name(), "");
    ++live;
  });
  EXPECT_EQ(live, 1);
  test::LogCapture log;
  v.loop.log_stats();
  EXPECT_TRUE(log.contains("1 tasks"));
}

TEST(TaskStats, ARealClockLoopRunsWithoutTheCounter) {
  Loop loop;
  auto work = []() -> Task<int> {
    co_await sleep_ms(2);
    spin_for(std::chrono::milliseconds(1));
    co_return 7;
  };
  Result<int> r = loop.run_until_complete(work());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 7);
}

#endif

}  // namespace
}  // namespace weft
