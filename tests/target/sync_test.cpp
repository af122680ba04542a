// Sync primitives on the lx106: Event, Queue, Lock, and ThreadSafeFlag set from a real interrupt handler.
#include "harness.hpp"
#include "target_support.hpp"

namespace weft {
namespace {

using target::Trace;

Task<> event_waiter(Event& e, Trace& t, const char* name) {
  Status s = co_await e.wait();
  t(name, s.ok() ? 1 : 0);
}

TEST(Event, WakesEveryWaiterInOrderAndStaysSetUntilCleared) {
  target::VirtualLoop v;
  Event ev;
  Trace trace;
  v.loop.spawn(event_waiter(ev, trace, "a"), "a");
  v.loop.spawn(event_waiter(ev, trace, "b"), "b");
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  EXPECT_STREQ(trace.str(), "");
  ev.set();
  EXPECT_TRUE(ev.is_set());
  v.loop.spawn(event_waiter(ev, trace, "late"), "late");  // a set Event does not block
  EXPECT_TRUE(v.loop.run_until(ms(2)).ok());
  EXPECT_STREQ(trace.str(), "a1 b1 late1");
  ev.clear();
  EXPECT_FALSE(ev.is_set());
}

TEST(Event, TellsWaitersItWasDestroyed) {
  target::VirtualLoop v;
  Trace trace;
  {
    Event ev;
    v.loop.spawn(event_waiter(ev, trace, "w"), "w");
    EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  }
  EXPECT_TRUE(v.loop.run_until(ms(2)).ok());
  EXPECT_STREQ(trace.str(), "w0");  // Errc::closed
}

Task<> producer(Queue<int, 2>& q, Trace& t) {
  for (int i = 1; i <= 5; ++i) {
    Status s = co_await q.put(i);
    t("put", i);
    if (!s.ok()) co_return;
  }
}
Task<> consumer(Queue<int, 2>& q, Trace& t, int n) {
  for (int i = 0; i < n; ++i) {
    co_await sleep_ms(1);
    Result<int> r = co_await q.get();
    t("got", r.ok() ? *r : -1);
  }
}

TEST(Queue, DeliversInFifoOrderAndSuspendsAFullPutter) {
  Loop loop(target::board_clock());
  Queue<int, 2> q;
  Trace trace;
  loop.spawn(producer(q, trace), "producer");
  Result<int> ignored = loop.run_until_complete([](Queue<int, 2>& qq, Trace& t) -> Task<int> {
    co_await consumer(qq, t, 5);
    co_return 0;
  }(q, trace));
  EXPECT_TRUE(ignored.ok());
  // The queue holds 2: the producer runs ahead by two, then each get lets one more put through.
  EXPECT_STREQ(trace.str(), "put1 put2 got1 put3 got2 put4 got3 put5 got4 got5");
  EXPECT_TRUE(q.empty());
}

TEST(Queue, TryOperationsNeverWait) {
  Queue<int, 1> q;
  EXPECT_EQ(q.try_get().error(), Errc::would_block);
  EXPECT_TRUE(q.try_put(1).ok());
  EXPECT_EQ(q.try_put(2).error(), Errc::would_block);
  EXPECT_EQ(*q.try_get(), 1);
}

Task<> lock_user(Lock& lock, Trace& t, const char* name) {
  Result<Lock::Guard> g = co_await lock.acquire();
  if (!g) co_return;
  t(name);
  co_await sleep_ms(2);
}

TEST(Lock, HandsTheLockToWaitersInFifoOrder) {
  Loop loop(target::board_clock());
  Lock lock;
  Trace trace;
  loop.spawn(lock_user(lock, trace, "a"), "a");
  loop.spawn(lock_user(lock, trace, "b"), "b");
  loop.spawn(lock_user(lock, trace, "c"), "c");
  EXPECT_TRUE(loop.run_until(loop.refresh_now() + ms(20)).ok());
  EXPECT_STREQ(trace.str(), "a b c");
  EXPECT_FALSE(lock.locked());
  auto g = lock.try_acquire();
  EXPECT_TRUE(g.ok());
  EXPECT_EQ(lock.try_acquire().error(), Errc::would_block);
}

// --- ThreadSafeFlag, set from the board's timer interrupt (interrupt context, as a GPIO edge would) ---
Task<> flag_waiter(ThreadSafeFlag& f, Micros& woke_at) {
  Status s = co_await f.wait();
  if (s.ok()) woke_at = Loop::current().refresh_now();
}

TEST(ThreadSafeFlag, WakesATaskWhenSetFromAnInterruptWhileTheLoopSleeps) {
  Loop loop(target::board_clock());
  ThreadSafeFlag flag(loop);
  Micros woke = -1;
  Micros start = loop.refresh_now();
  auto h = loop.spawn(flag_waiter(flag, woke), "waiter");
  lx106::call_from_interrupt(
      ms(300), [](void* f) { static_cast<ThreadSafeFlag*>(f)->set(); }, &flag);
  // Nothing else to do: the loop idles in waiti (1 s steps) until the interrupt sets the flag.
  EXPECT_TRUE(loop.run_until(start + sec(3)).ok());
  EXPECT_TRUE(h.done());
  EXPECT_GE(woke - start, ms(300));
  EXPECT_LE(woke - start, ms(1000) + 200);  // the interrupt comes at the end of the first idle step
}

Task<int> count_flag_waits(ThreadSafeFlag& f, int max) {
  int n = 0;
  for (int i = 0; i < max; ++i) {
    auto r = co_await wait_for(f.wait(), ms(50));
    if (r.ok()) ++n;
  }
  co_return n;
}

TEST(ThreadSafeFlag, CountsSeveralSetsBeforeAWaitAsOne) {
  Loop loop(target::board_clock());
  ThreadSafeFlag flag(loop);
  flag.set();
  flag.set();
  flag.set();
  Result<int> r = loop.run_until_complete(count_flag_waits(flag, 2));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 1);
}

}  // namespace
}  // namespace weft
