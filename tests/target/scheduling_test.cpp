// Scheduling order on the lx106: FIFO ready queue, batch fairness, symmetric transfer, task lifetime, and the
// loop idling in `waiti` on the board's clock.
#include "harness.hpp"
#include "target_support.hpp"

namespace weft {
namespace {

using target::Trace;

Task<> yielder(Trace& trace, const char* name, int times) {
  for (int i = 0; i < times; ++i) {
    trace(name, i);
    co_await yield();
  }
}

TEST(Scheduling, RunsSpawnedTasksInFifoOrderAndInterleavesYields) {
  target::VirtualLoop v;
  Trace trace;
  v.loop.spawn(yielder(trace, "a", 3), "a");
  v.loop.spawn(yielder(trace, "b", 3), "b");
  v.loop.spawn(yielder(trace, "c", 2), "c");
  EXPECT_EQ(v.loop.run_until(sec(1)).error(), Errc::ok);
  EXPECT_STREQ(trace.str(), "a0 b0 c0 a1 b1 c1 a2 b2");
}

Task<> waiter(Event& e, Trace& t) {
  co_await e.wait();
  t("waiter-woke");
}
Task<> setter(Event& e, Trace& t) {
  e.set();
  t("setter-set");
  co_await yield();
  t("setter-again");
}

TEST(Scheduling, RunsTasksWokenDuringAPassInTheNextPass) {
  target::VirtualLoop v;
  Trace trace;
  Event ev;
  v.loop.spawn(waiter(ev, trace), "waiter");
  v.loop.spawn(setter(ev, trace), "setter");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_STREQ(trace.str(), "setter-set waiter-woke setter-again");
}

Task<> spinner(long& n) {
  for (;;) {
    ++n;
    co_await yield();
  }
}
Task<> sleeper(bool& done) {
  co_await sleep_ms(5);
  done = true;
}

Task<> stop_after(Loop& loop, Micros d) {
  co_await sleep_us(d);
  loop.stop();
}

TEST(Scheduling, ATaskThatYieldsForeverDoesNotStarveASleeper) {
  Loop loop(target::board_clock());  // real clock: time passes while the spinner spins
  long spins = 0;
  bool slept = false;
  loop.spawn(spinner(spins), "spinner");
  loop.spawn(sleeper(slept), "sleeper");
  // (A stopper task, not run_until(): the loop reads the clock only while timers are armed, so run_until
  // would not notice its deadline once the sleeper is done and only the spinner runs.)
  loop.spawn(stop_after(loop, ms(20)), "stopper");
  EXPECT_TRUE(loop.run_forever().ok());
  EXPECT_TRUE(slept);
  EXPECT_GT(spins, 10);
}

Task<int> leaf(int v) {
  co_return v + 1;
}
Task<int> chain(int depth) {
  int sum = 0;
  for (int i = 0; i < depth; ++i) {
    Result<int> r = co_await leaf(i);
    if (!r) co_return -1;
    sum += *r;
  }
  co_return sum;
}

// GCC's xtensa backend emits no sibling calls, so symmetric transfer would nest; task.hpp resumes the child in
// place instead (WEFT_TAIL_CALLS=0): 20000 synchronous awaits in a row fit the 4 KiB stack.
TEST(Scheduling, ManySynchronousAwaitsRunInConstantStack) {
  target::VirtualLoop v;
  Result<int> r = v.loop.run_until_complete(chain(20000));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 20000 * 20001 / 2);
}

TEST(Scheduling, AShortRunOfSynchronousAwaitsWorks) {
  target::VirtualLoop v;
  Result<int> r = v.loop.run_until_complete(chain(20));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 20 * 21 / 2);
}

Task<int> nested(int depth) {
  if (depth == 0) {
    co_await yield();
    co_return 0;
  }
  Result<int> r = co_await nested(depth - 1);
  co_return r.ok() ? *r + 1 : -1;
}

TEST(Scheduling, DeepAwaitChainsSuspendAndResumeAsOneTask) {
  target::VirtualLoop v;
  Result<int> r = v.loop.run_until_complete(nested(50));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 50);
}

Task<> brief() {
  co_await sleep_ms(1);
}

TEST(Scheduling, DetachedTasksFreeThemselvesWhenTheyEnd) {
  target::VirtualLoop v;
  ArenaStats before = FrameArena::current().stats();
  for (int i = 0; i < 10; ++i)
    v.loop.spawn(brief(), "brief");  // handles dropped at once
  EXPECT_TRUE(v.loop.run_until(ms(5)).ok());
  EXPECT_EQ(FrameArena::current().stats().live_blocks, before.live_blocks);
  EXPECT_EQ(v.loop.stats().live_tasks, 0u);
}

Task<> holder(int& counter) {
  target::Lifetime l(counter);
  for (;;)
    co_await sleep_ms(1000);
}

TEST(Scheduling, DestroyingTheLoopUnwindsEveryLiveTask) {
  int alive = 0;
  {
    target::VirtualLoop v;
    v.loop.spawn(holder(alive), "holder");
    v.loop.spawn(holder(alive), "holder");
    EXPECT_TRUE(v.loop.run_until(ms(10)).ok());
    EXPECT_EQ(alive, 2);
  }
  EXPECT_EQ(alive, 0);
}

Task<int> stuck(Event& e) {
  co_await e.wait();
  co_return 1;
}

TEST(Scheduling, ReportsDeadlockUnderAVirtualClock) {
  target::VirtualLoop v;
  Event never;
  Result<int> r = v.loop.run_until_complete(stuck(never));
  EXPECT_EQ(r.error(), Errc::deadlock);
}

Task<int> worker() {
  co_await sleep_ms(3);
  co_return 9;
}
Task<int> joiner(JoinHandle<int>& handle) {
  Result<int> r = co_await handle.join();
  co_return r.ok() ? *r : -1;
}

TEST(Scheduling, JoinHandleGivesTheResult) {
  Loop loop(target::board_clock());
  auto h = loop.spawn(worker(), "worker");
  ASSERT_TRUE(h.ok());
  EXPECT_STREQ(h.name(), "worker");
  Result<int> r = loop.run_until_complete(joiner(h));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 9);
  EXPECT_TRUE(h.done());
  EXPECT_EQ(h.take_result().error(), Errc::already_awaited);
}

Task<> sleep_then(Trace& t, Micros d, const char* name) {
  co_await sleep_us(d);
  t(name);
}

TEST(Scheduling, TheLoopIdlesInWaitiWhileEveryTaskSleeps) {
  Loop loop(target::board_clock());
  Trace trace;
  std::uint32_t idles = lx106::idle_count();
  loop.spawn(sleep_then(trace, ms(300), "c"), "c");
  loop.spawn(sleep_then(trace, ms(100), "a"), "a");
  loop.spawn(sleep_then(trace, ms(200), "b"), "b");
  Micros start = loop.refresh_now();
  EXPECT_TRUE(loop.run_until(start + ms(400)).ok());
  EXPECT_STREQ(trace.str(), "a b c");
  // One idle per deadline (100, 200, 300 ms, then the run_until end), not a busy loop.
  std::uint32_t idled = lx106::idle_count() - idles;
  EXPECT_GE(idled, 4u);
  EXPECT_LE(idled, 6u);
  EXPECT_LE(loop.stats().passes, 12u);
}

}  // namespace
}  // namespace weft
