#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

namespace weft {
namespace {

using test::Trace;

using test::yielder;

TEST(Loop, RunsSpawnedTasksInFifoOrderAndInterleavesYields) {
  test::VirtualLoop v;
  Trace trace;
  v.loop.spawn(yielder(trace, "a", 3), "a");
  v.loop.spawn(yielder(trace, "b", 3), "b");
  EXPECT_EQ(v.loop.run_until(sec(1)).error(), Errc::ok);
  EXPECT_EQ(trace.events, (std::vector<std::string>{"a0", "b0", "a1", "b1", "a2", "b2"}));
}

TEST(Loop, DoesNotLetATaskThatYieldsForeverStarveTheOthers) {
  test::VirtualLoop v;
  long spins = 0;
  auto spinner = [](long& n) -> Task<> {
    for (;;) {
      ++n;
      co_await yield();
    }
  };
  bool slept = false;
  auto sleeper = [](bool& done) -> Task<> {
    co_await sleep_ms(5);
    done = true;
  };
  v.loop.spawn(spinner(spins), "spinner");
  auto h = v.loop.spawn(sleeper(slept), "sleeper");
  // The virtual clock never jumps while a task is ready, so advance it by hand like a real clock would.
  for (int i = 0; i < 100 && !slept; ++i) {
    v.clock.advance(ms(1));
    EXPECT_TRUE(v.loop.poll().ok());
  }
  EXPECT_TRUE(slept);
  EXPECT_GT(spins, 0);
}

TEST(Loop, RunsTasksWokenDuringAPassInTheNextPass) {
  test::VirtualLoop v;
  Trace trace;
  Event ev;
  auto waiter = [](Event& e, Trace& t) -> Task<> {
    co_await e.wait();
    t("waiter woke");
  };
  auto setter = [](Event& e, Trace& t) -> Task<> {
    e.set();
    t("setter set");
    co_await yield();
    t("setter again");
  };
  v.loop.spawn(waiter(ev, trace), "waiter");
  v.loop.spawn(setter(ev, trace), "setter");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  // Pass 1: waiter suspends, setter sets and yields. Pass 2: the woken waiter runs before the yielded setter,
  // because it was queued first; neither ran twice in pass 1.
  EXPECT_EQ(trace.events, (std::vector<std::string>{"setter set", "waiter woke", "setter again"}));
}

TEST(Loop, StopEndsRunForeverAndRefusesNewWorkAfterwards) {
  test::VirtualLoop v;
  auto stopper = [](Loop& loop) -> Task<> {
    co_await sleep_ms(100);
    loop.stop();
  };
  v.loop.spawn(stopper(v.loop), "stopper");
  EXPECT_TRUE(v.loop.run_forever().ok());
  EXPECT_TRUE(v.loop.stopped());
  EXPECT_EQ(v.clock.now(), ms(100));
  test::LogCapture log;
  auto h = v.loop.spawn(stopper(v.loop), "late");
  EXPECT_FALSE(h.ok());
  EXPECT_EQ(h.error(), Errc::loop_stopped);
  EXPECT_TRUE(log.contains("late"));
  EXPECT_EQ(v.loop.run_forever().error(), Errc::loop_stopped);
}

TEST(Loop, ReportsDeadlockWhenEveryTaskWaitsForSomethingThatCannotHappen) {
  test::VirtualLoop v;
  Event never;
  auto stuck = [](Event& e) -> Task<int> {
    co_await e.wait();
    co_return 1;
  };
  Result<int> r = v.loop.run_until_complete(stuck(never));
  EXPECT_EQ(r.error(), Errc::deadlock);
}

TEST(Loop, JoinHandleGivesTheResultAndTheTaskName) {
  test::VirtualLoop v;
  auto work = []() -> Task<int> {
    co_await sleep_ms(3);
    co_return 9;
  };
  auto h = v.loop.spawn(work(), "worker");
  ASSERT_TRUE(h.ok());
  EXPECT_STREQ(h.name(), WEFT_TASK_STATS ? "worker" : "");  // names are compiled out without task stats
  EXPECT_FALSE(h.done());
  auto joiner = [](JoinHandle<int>& handle) -> Task<int> {
    Result<int> r = co_await handle.join();
    co_return r.ok() ? *r : -1;
  };
  EXPECT_EQ(*v.loop.run_until_complete(joiner(h)), 9);
  EXPECT_TRUE(h.done());
  EXPECT_GE(h.stats().runs, WEFT_TASK_STATS ? 2u : 0u);
  EXPECT_EQ(h.take_result().error(), Errc::already_awaited);
}

TEST(Loop, JoiningACancelledTaskGivesCancelled) {
  test::VirtualLoop v;
  auto forever = []() -> Task<int> {
    for (;;)
      co_await sleep_ms(10);
  };
  auto h = v.loop.spawn(forever(), "forever");
  auto canceller = [](JoinHandle<int>& handle) -> Task<Status> {
    co_await sleep_ms(25);
    handle.cancel();
    Result<int> r = co_await handle.join();
    co_return r.error();
  };
  Status s = v.loop.run_until_complete(canceller(h));
  EXPECT_EQ(s.error(), Errc::cancelled);
  EXPECT_TRUE(h.cancelled());
}

TEST(Loop, DetachedTasksFreeThemselvesWhenTheyEnd) {
  test::VirtualLoop v;
  ArenaStats before = FrameArena::current().stats();
  auto brief = []() -> Task<> { co_await sleep_ms(1); };
  for (int i = 0; i < 10; ++i)
    v.loop.spawn(brief(), "brief");  // handles dropped at once
  EXPECT_TRUE(v.loop.run_until(ms(5)).ok());
  EXPECT_EQ(FrameArena::current().stats().live_blocks, before.live_blocks);
  EXPECT_EQ(v.loop.stats().live_tasks, 0u);
}

TEST(Loop, DestroyingTheLoopUnwindsEveryLiveTask) {
  int alive = 0;
  {
    test::VirtualLoop v;
    auto holder = [](int& counter) -> Task<> {
      test::Lifetime l(counter);
      for (;;)
        co_await sleep_ms(1000);
    };
    v.loop.spawn(holder(alive), "holder");
    v.loop.spawn(holder(alive), "holder");
    EXPECT_TRUE(v.loop.run_until(ms(10)).ok());
    EXPECT_EQ(alive, 2);
  }
  EXPECT_EQ(alive, 0);
}

TEST(Loop, DestroyingTheLoopWithFortyThousandQueuedTasksDestroysEveryFrame) {
  int alive = 0;
  int started = 0;
  std::size_t blocks_before = FrameArena::current().stats().live_blocks;
  {
    test::VirtualLoop v;
    auto spinner = [](int& counter, int& runs) -> Task<> {
      test::Lifetime l(counter);
      ++runs;
      for (;;)
        co_await yield();
    };
    for (int i = 0; i < 20'000; ++i)
      v.loop.spawn(spinner(alive, started), "spinner").detach();
    EXPECT_TRUE(v.loop.poll().ok());  // each ran once and yielded: queued for the next pass
    for (int i = 0; i < 20'000; ++i)
      v.loop.spawn(spinner(alive, started), "unstarted").detach();  // queued, never started
    EXPECT_EQ(alive, 20'000);
    EXPECT_EQ(v.loop.stats().live_tasks, 40'000u);
  }
  EXPECT_EQ(started, 20'000);
  EXPECT_EQ(alive, 0);
  EXPECT_EQ(FrameArena::current().stats().live_blocks, blocks_before);  // every frame and header freed
}

}  // namespace
}  // namespace weft
