// Cancellation at every kind of await, reaping, and wait_for.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace weft {
namespace {

// Spawns `body`, lets it reach its await, cancels it, and returns what that await gave.
template <typename Body>
Errc cancel_at_await(Body body, Micros cancel_after = ms(5)) {
  test::VirtualLoop v;
  Errc seen = Errc::ok;
  auto h = v.loop.spawn(body(seen), "victim");
  EXPECT_TRUE(v.loop.run_until(cancel_after).ok());
  EXPECT_FALSE(h.done());
  h.cancel();
  EXPECT_TRUE(v.loop.run_until(cancel_after + ms(100)).ok());
  EXPECT_TRUE(h.done());
  return seen;
}

TEST(Cancel, WakesASleepWithCancelled) {
  EXPECT_EQ(cancel_at_await([](Errc& seen) -> Task<> { seen = (co_await sleep_ms(1000)).error(); }),
            Errc::cancelled);
}

TEST(Cancel, WakesAnEventWaitWithCancelled) {
  Event ev;
  EXPECT_EQ(cancel_at_await([&](Errc& seen) -> Task<> { seen = (co_await ev.wait()).error(); }),
            Errc::cancelled);
}

TEST(Cancel, WakesALockWaitWithCancelledAndTheLockStaysWithItsHolder) {
  Lock lock;
  auto held = lock.try_acquire();
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(cancel_at_await([&](Errc& seen) -> Task<> { seen = (co_await lock.acquire()).error(); }),
            Errc::cancelled);
  EXPECT_TRUE(lock.locked());
  held->unlock();
  EXPECT_FALSE(lock.locked());
}

TEST(Cancel, WakesAQueueGetWithCancelledAndTakesNothing) {
  Queue<int, 2> q;
  EXPECT_EQ(cancel_at_await([&](Errc& seen) -> Task<> { seen = (co_await q.get()).error(); }),
            Errc::cancelled);
  EXPECT_TRUE(q.try_put(5).ok());
  EXPECT_EQ(*q.try_get(), 5);
}

TEST(Cancel, WakesAQueuePutWithCancelledAndEnqueuesNothing) {
  Queue<int, 1> q;
  ASSERT_TRUE(q.try_put(1).ok());
  EXPECT_EQ(cancel_at_await([&](Errc& seen) -> Task<> { seen = (co_await q.put(2)).error(); }),
            Errc::cancelled);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(*q.try_get(), 1);
}

TEST(Cancel, WakesAThreadSafeFlagWaitWithCancelled) {
  test::VirtualLoop v;  // the flag registers with a loop
  ThreadSafeFlag flag(v.loop);
  Errc seen = Errc::ok;
  auto body = [&]() -> Task<> { seen = (co_await flag.wait()).error(); };
  auto h = v.loop.spawn(body());
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  h.cancel();
  EXPECT_TRUE(v.loop.run_until(ms(2)).ok());
  EXPECT_EQ(seen, Errc::cancelled);
}

TEST(Cancel, WakesAYieldWithCancelled) {
  test::VirtualLoop v;
  Errc seen = Errc::ok;
  auto body = [&]() -> Task<> {
    for (;;) {
      Status s = co_await yield();
      if (!s.ok()) {
        seen = s.error();
        co_return;
      }
    }
  };
  auto h = v.loop.spawn(body());
  EXPECT_TRUE(v.loop.run_until(0).ok());
  auto canceller = [&]() -> Task<> {
    h.cancel();
    co_return;
  };
  v.loop.spawn(canceller());
  v.clock.advance(1);
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  EXPECT_EQ(seen, Errc::cancelled);
  EXPECT_TRUE(h.done());
}

TEST(Cancel, WakesAJoinWithCancelledAndLeavesTheJoinedTaskRunning) {
  test::VirtualLoop v;
  auto slow = []() -> Task<int> {
    co_await sleep_ms(50);
    co_return 3;
  };
  auto target = v.loop.spawn(slow(), "target");
  Errc seen = Errc::ok;
  auto joiner = [&]() -> Task<> { seen = (co_await target.join()).error(); };
  auto j = v.loop.spawn(joiner(), "joiner");
  EXPECT_TRUE(v.loop.run_until(ms(10)).ok());
  j.cancel();
  EXPECT_TRUE(v.loop.run_until(ms(100)).ok());
  EXPECT_EQ(seen, Errc::cancelled);
  EXPECT_TRUE(target.done());
  EXPECT_FALSE(target.cancelled());
  EXPECT_EQ(*target.take_result(), 3);
}

TEST(Cancel, UnwindsATaskThatAwaitsAgainAfterSeeingTheCancellation) {
  test::VirtualLoop v;
  int alive = 0;
  int awaits_after_cancel = 0;
  auto stubborn = [&]() -> Task<> {
    test::Lifetime l(alive);
    for (;;) {
      Status s = co_await sleep_ms(10);  // ignores the cancellation and sleeps again
      if (!s.ok()) ++awaits_after_cancel;
    }
  };
  auto h = v.loop.spawn(stubborn(), "stubborn");
  EXPECT_TRUE(v.loop.run_until(ms(15)).ok());
  EXPECT_EQ(alive, 1);
  h.cancel();
  EXPECT_TRUE(v.loop.run_until(ms(100)).ok());
  EXPECT_TRUE(h.done());
  EXPECT_TRUE(h.cancelled());
  EXPECT_EQ(awaits_after_cancel, 1);  // it saw Errc::cancelled once; the next await ended it
  EXPECT_EQ(alive, 0);                // its locals were destroyed
  EXPECT_TRUE(v.loop.timers().empty());
}

TEST(Cancel, EndsATaskThatNeverStartedWithoutRunningIt) {
  test::VirtualLoop v;
  bool ran = false;
  auto body = [&]() -> Task<> {
    ran = true;
    co_return;
  };
  auto h = v.loop.spawn(body());
  h.cancel();
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  EXPECT_FALSE(ran);
  EXPECT_TRUE(h.cancelled());
}

TEST(Cancel, EndsANeverStartedTaskCancelledByATaskAheadOfItInTheSameBatch) {
  test::VirtualLoop v;
  bool ran = false;
  auto victim = [&]() -> Task<> {
    ran = true;
    co_return;
  };
  JoinHandle<void> h;
  auto canceller = [&]() -> Task<> {
    h.cancel();  // the victim is the next task of this batch
    co_return;
  };
  v.loop.spawn(canceller(), "canceller").detach();
  h = v.loop.spawn(victim(), "victim");
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  EXPECT_FALSE(ran);
  EXPECT_TRUE(h.done());
  EXPECT_TRUE(h.cancelled());
  EXPECT_EQ(v.loop.stats().live_tasks, 0u);
}

TEST(Cancel, NeverResumesAChildKilledWhileItWaitsItsTurnInTheRunningBatch) {
  test::VirtualLoop v;
  int alive = 0;
  bool child_ran = false;
  auto child = [&]() -> Task<> {
    child_ran = true;
    co_return;
  };
  Task<> child_task = child();
  TaskHeader* header = nullptr;
  WaitNode joiner;
  bool killed = false;
  auto killer = [&]() -> Task<> {
    test::Lifetime l(alive);
    co_await yield();  // queued ahead of the child: the next batch runs the killer, then the child
    Loop::current().kill_child(*header);
    killed = true;
  };
  auto starter = [&]() -> Task<> {
    header = &Loop::current().start_child(child_task.handle(), "child", joiner);
    co_return;
  };
  auto h = v.loop.spawn(killer(), "killer");
  v.loop.spawn(starter(), "starter").detach();
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  EXPECT_TRUE(killed);
  EXPECT_FALSE(child_ran);
  ASSERT_NE(header, nullptr);
  EXPECT_TRUE(header->has(TaskHeader::kDone));
  EXPECT_EQ(header->outcome(), Errc::cancelled);
  EXPECT_TRUE(h.done());
  EXPECT_EQ(alive, 0);
  EXPECT_EQ(v.loop.stats().live_tasks, 0u);
  (void)child_task.release();  // its frame was destroyed by the kill; the header is the owner's to free
  header->release_finished();
}

TEST(Cancel, LetsACompletedWaitKeepItsResultAndDeliversTheCancellationAtTheNextAwait) {
  test::VirtualLoop v;
  Queue<int, 1> q;
  Result<int> got = Errc::would_block;
  Errc next = Errc::ok;
  auto getter = [&]() -> Task<> {
    got = co_await q.get();
    next = (co_await sleep_ms(5)).error();
  };
  auto h = v.loop.spawn(getter());
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  auto putter_then_cancel = [&]() -> Task<> {
    (void)q.try_put(7);  // hands 7 to the getter, which becomes ready...
    h.cancel();          // ...and is cancelled before it runs
    co_return;
  };
  v.loop.spawn(putter_then_cancel());
  v.clock.advance(1);
  EXPECT_TRUE(v.loop.run_until(ms(20)).ok());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, 7);  // the item was not lost
  EXPECT_EQ(next, Errc::cancelled);
}

TEST(Cancel, PassesALockHandedToATaskThatEndedBeforeTakingIt) {
  test::VirtualLoop v;
  Lock lock;
  auto first = lock.try_acquire();
  bool second_got_it = false;
  auto waiter = [&]() -> Task<> { auto g = co_await lock.acquire(); };
  auto second = [&]() -> Task<> {
    auto g = co_await lock.acquire();
    second_got_it = g.ok();
  };
  auto w = v.loop.spawn(waiter(), "waiter");
  v.loop.spawn(second(), "second");
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  first->unlock();  // hands the lock to "waiter", which is then destroyed before it runs
  { auto doomed = std::move(w); }
  EXPECT_TRUE(v.loop.run_until(ms(2)).ok());
  EXPECT_TRUE(second_got_it);
}

TEST(WaitFor, TimesOutASleepThatIsTooLong) {
  test::VirtualLoop v;
  auto t = []() -> Task<Status> { co_return co_await wait_for(sleep_ms(100), ms(30)); };
  EXPECT_EQ(v.loop.run_until_complete(t()).error(), Errc::timed_out);
  EXPECT_EQ(v.clock.now(), ms(30));
  EXPECT_TRUE(v.loop.timers().empty());
}

TEST(WaitFor, ReturnsTheResultWhenTheAwaitableWinsAndDisarmsItsTimer) {
  test::VirtualLoop v;
  Queue<int, 4> q;
  auto producer = [&]() -> Task<> {
    co_await sleep_ms(10);
    (void)q.try_put(11);
  };
  auto consumer = [&]() -> Task<int> {
    Result<int> r = co_await wait_for(q.get(), ms(50));
    co_return r.ok() ? *r : -1;
  };
  v.loop.spawn(producer());
  EXPECT_EQ(*v.loop.run_until_complete(consumer()), 11);
  EXPECT_EQ(v.clock.now(), ms(10));
  EXPECT_TRUE(v.loop.timers().empty());
}

TEST(WaitFor, LosesNoQueueItemWhenItTimesOut) {
  test::VirtualLoop v;
  Queue<int, 4> q;
  auto consumer = [&]() -> Task<Status> {
    Result<int> r = co_await wait_for(q.get(), ms(5));
    co_return r.error();
  };
  EXPECT_EQ(v.loop.run_until_complete(consumer()).error(), Errc::timed_out);
  EXPECT_TRUE(q.try_put(1).ok());  // the timed-out getter is gone: the item stays queued
  EXPECT_EQ(q.size(), 1u);
}

TEST(WaitFor, LetsACompletionAtTheSameInstantAsTheTimeoutWin) {
  test::VirtualLoop v;
  Event ev;
  Timer setter([&] { ev.set(); }, v.loop);
  auto t = [&]() -> Task<Status> {
    EXPECT_TRUE(setter.start_once(ms(20)).ok());  // armed before the timeout's timer: fires first at t=20
    co_return co_await wait_for(ev.wait(), ms(20));
  };
  EXPECT_TRUE(v.loop.run_until_complete(t()).ok());
}

TEST(WaitFor, DropsATaskThatTakesTooLongAndUnwindsIt) {
  test::VirtualLoop v;
  int alive = 0;
  auto slow = [&]() -> Task<int> {
    test::Lifetime l(alive);
    co_await sleep_ms(100);
    co_return 1;
  };
  auto t = [&]() -> Task<Status> {
    Result<int> r = co_await wait_for(slow(), ms(10));
    co_return r.error();
  };
  EXPECT_EQ(v.loop.run_until_complete(t()).error(), Errc::timed_out);
  EXPECT_EQ(alive, 0);
  EXPECT_EQ(v.clock.now(), ms(10));
  EXPECT_TRUE(v.loop.timers().empty());
}

TEST(WaitFor, GivesATaskThatFinishesInTimeItsResult) {
  test::VirtualLoop v;
  auto quick = []() -> Task<int> {
    co_await sleep_ms(3);
    co_return 8;
  };
  auto t = [&]() -> Task<int> { co_return *co_await wait_for(quick(), ms(10)); };
  EXPECT_EQ(*v.loop.run_until_complete(t()), 8);
  EXPECT_TRUE(v.loop.timers().empty());
}

TEST(WaitFor, PassesACancellationOfTheOuterTaskToTheInnerAwait) {
  test::VirtualLoop v;
  Errc seen = Errc::ok;
  auto t = [&]() -> Task<> { seen = (co_await wait_for(sleep_ms(1000), ms(500))).error(); };
  auto h = v.loop.spawn(t());
  EXPECT_TRUE(v.loop.run_until(ms(10)).ok());
  h.cancel();
  EXPECT_TRUE(v.loop.run_until(ms(20)).ok());
  EXPECT_EQ(seen, Errc::cancelled);
  EXPECT_TRUE(v.loop.timers().empty());
}

}  // namespace
}  // namespace weft
