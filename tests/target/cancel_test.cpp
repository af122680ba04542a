// Cancellation on the lx106: at every kind of await, reaping a task that ignores it, never-started tasks,
// cancel-safety of Queue/Lock, and wait_for. RAII: locals are destroyed, timers disarmed, waiters unlinked.
#include "harness.hpp"
#include "target_support.hpp"

namespace weft {
namespace {

// Spawns `body`, lets it reach its await, cancels it, and returns what that await gave.
template <typename Body>
Errc cancel_at_await(Body body) {
  Loop loop(target::board_clock());
  Errc seen = Errc::ok;
  auto h = loop.spawn(body(seen), "victim");
  EXPECT_TRUE(loop.run_until(loop.refresh_now() + ms(5)).ok());
  EXPECT_FALSE(h.done());
  h.cancel();
  EXPECT_TRUE(loop.run_until(loop.refresh_now() + ms(5)).ok());
  EXPECT_TRUE(h.done());
  EXPECT_TRUE(loop.timers().empty());
  return seen;
}

TEST(Cancel, WakesASleepWithCancelledAndDisarmsItsTimer) {
  EXPECT_EQ(cancel_at_await([](Errc& seen) -> Task<> { seen = (co_await sleep_ms(1000)).error(); }),
            Errc::cancelled);
}

TEST(Cancel, WakesAnEventWaitWithCancelled) {
  Event ev;
  EXPECT_EQ(cancel_at_await([&ev](Errc& seen) -> Task<> { seen = (co_await ev.wait()).error(); }),
            Errc::cancelled);
}

TEST(Cancel, WakesALockWaitAndTheLockStaysWithItsHolder) {
  Lock lock;
  auto held = lock.try_acquire();
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(cancel_at_await([&lock](Errc& seen) -> Task<> { seen = (co_await lock.acquire()).error(); }),
            Errc::cancelled);
  EXPECT_TRUE(lock.locked());
  held->unlock();
  EXPECT_FALSE(lock.locked());
}

TEST(Cancel, WakesAQueueGetAndTakesNothing) {
  Queue<int, 2> q;
  EXPECT_EQ(cancel_at_await([&q](Errc& seen) -> Task<> { seen = (co_await q.get()).error(); }),
            Errc::cancelled);
  EXPECT_TRUE(q.try_put(5).ok());
  EXPECT_EQ(*q.try_get(), 5);
}

TEST(Cancel, WakesAQueuePutAndEnqueuesNothing) {
  Queue<int, 1> q;
  ASSERT_TRUE(q.try_put(1).ok());
  EXPECT_EQ(cancel_at_await([&q](Errc& seen) -> Task<> { seen = (co_await q.put(2)).error(); }),
            Errc::cancelled);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(*q.try_get(), 1);
}

Task<> stubborn(int& alive, int& awaits_after_cancel) {
  target::Lifetime l(alive);
  for (;;) {
    Status s = co_await sleep_ms(10);  // ignores the cancellation and sleeps again
    if (!s.ok()) ++awaits_after_cancel;
  }
}

TEST(Cancel, UnwindsATaskThatAwaitsAgainAfterSeeingTheCancellation) {
  Loop loop(target::board_clock());
  int alive = 0, after = 0;
  auto h = loop.spawn(stubborn(alive, after), "stubborn");
  EXPECT_TRUE(loop.run_until(loop.refresh_now() + ms(15)).ok());
  EXPECT_EQ(alive, 1);
  h.cancel();
  EXPECT_TRUE(loop.run_until(loop.refresh_now() + ms(50)).ok());
  EXPECT_TRUE(h.done());
  EXPECT_TRUE(h.cancelled());
  EXPECT_EQ(after, 1);  // it saw Errc::cancelled once; the next await ended it
  EXPECT_EQ(alive, 0);  // its locals were destroyed
  EXPECT_TRUE(loop.timers().empty());
}

Task<> never_runs(bool& ran) {
  ran = true;
  co_return;
}

TEST(Cancel, EndsATaskThatNeverStartedWithoutRunningIt) {
  target::VirtualLoop v;
  bool ran = false;
  auto h = v.loop.spawn(never_runs(ran), "never");
  h.cancel();
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  EXPECT_FALSE(ran);
  EXPECT_TRUE(h.cancelled());
}

Task<> getter_then_sleep(Queue<int, 1>& q, Result<int>& got, Errc& next) {
  got = co_await q.get();
  next = (co_await sleep_ms(5)).error();
}

TEST(Cancel, LetsACompletedWaitKeepItsResult) {
  target::VirtualLoop v;
  Queue<int, 1> q;
  Result<int> got = Errc::would_block;
  Errc next = Errc::ok;
  auto h = v.loop.spawn(getter_then_sleep(q, got, next), "getter");
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  EXPECT_TRUE(q.try_put(7).ok());  // hands 7 to the getter, which becomes ready...
  h.cancel();                      // ...and is cancelled before it runs
  EXPECT_TRUE(v.loop.run_until(ms(20)).ok());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, 7);  // the item was not lost
  EXPECT_EQ(next, Errc::cancelled);
}

Task<Status> queue_get_for(Queue<int, 4>& q, Micros timeout) {
  Result<int> r = co_await wait_for(q.get(), timeout);
  co_return r.error();
}

TEST(WaitFor, LosesNoQueueItemWhenItTimesOut) {
  Loop loop(target::board_clock());
  Queue<int, 4> q;
  EXPECT_EQ(loop.run_until_complete(queue_get_for(q, ms(5))).error(), Errc::timed_out);
  EXPECT_TRUE(q.try_put(1).ok());  // the timed-out getter is gone: the item stays queued
  EXPECT_EQ(q.size(), 1u);
  EXPECT_TRUE(loop.timers().empty());
}

Task<int> slow_child(int& alive) {
  target::Lifetime l(alive);
  co_await sleep_ms(100);
  co_return 1;
}
Task<Status> bounded(int& alive) {
  Result<int> r = co_await wait_for(slow_child(alive), ms(10));
  co_return r.error();
}

TEST(WaitFor, DropsATaskThatTakesTooLongAndUnwindsIt) {
  Loop loop(target::board_clock());
  int alive = 0;
  EXPECT_EQ(loop.run_until_complete(bounded(alive)).error(), Errc::timed_out);
  EXPECT_EQ(alive, 0);
  EXPECT_TRUE(loop.timers().empty());
}

}  // namespace
}  // namespace weft
