#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "test_support.hpp"

namespace weft {
namespace {

TEST(Event, WakesEveryWaiterAndStaysSetUntilCleared) {
  test::VirtualLoop v;
  Event ev;
  int woke = 0;
  auto waiter = [&]() -> Task<> {
    Status s = co_await ev.wait();
    if (s.ok()) ++woke;
  };
  for (int i = 0; i < 3; ++i)
    v.loop.spawn(waiter());
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  EXPECT_EQ(woke, 0);
  ev.set();
  EXPECT_TRUE(v.loop.run_until(ms(2)).ok());
  EXPECT_EQ(woke, 3);
  v.loop.spawn(waiter());  // already set: returns at once
  EXPECT_TRUE(v.loop.run_until(ms(3)).ok());
  EXPECT_EQ(woke, 4);
  ev.clear();
  EXPECT_FALSE(ev.is_set());
}

TEST(Event, TellsWaitersItWasDestroyed) {
  test::VirtualLoop v;
  Errc seen = Errc::ok;
  auto ev = std::make_unique<Event>();
  auto waiter = [&]() -> Task<> { seen = (co_await ev->wait()).error(); };
  v.loop.spawn(waiter());
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  ev.reset();
  EXPECT_TRUE(v.loop.run_until(ms(2)).ok());
  EXPECT_EQ(seen, Errc::closed);
}

TEST(ThreadSafeFlag, WakesATaskWhenSetFromAnotherThread) {
  Loop loop;  // the real clock: the other thread's set() must wake the idle loop
  ThreadSafeFlag flag(loop);
  std::atomic<bool> waiting{false};
  auto waiter = [&]() -> Task<int> {
    waiting = true;
    Status s = co_await flag.wait();
    co_return s.ok() ? 1 : 0;
  };
  std::thread other([&] {
    while (!waiting)
      std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    flag.set();
  });
  Result<int> r = loop.run_until_complete(waiter());
  other.join();
  EXPECT_EQ(*r, 1);
}

ThreadSafeFlag* g_signal_flag = nullptr;
extern "C" void on_sigusr1(int) {
  g_signal_flag->set();
}

TEST(ThreadSafeFlag, WakesATaskWhenSetFromASignalHandler) {
  Loop loop;
  ThreadSafeFlag flag(loop);
  g_signal_flag = &flag;
  auto previous = std::signal(SIGUSR1, on_sigusr1);
  auto waiter = [&]() -> Task<int> {
    Timer raise_later([] { std::raise(SIGUSR1); }, loop);
    (void)raise_later.start_once(ms(5));
    Status s = co_await flag.wait();
    co_return s.ok() ? 1 : 0;
  };
  EXPECT_EQ(*loop.run_until_complete(waiter()), 1);
  std::signal(SIGUSR1, previous);
}

TEST(ThreadSafeFlag, CountsSeveralSetsBeforeAWaitAsOne) {
  test::VirtualLoop v;
  ThreadSafeFlag flag(v.loop);
  flag.set();
  flag.set();
  int woke = 0;
  auto waiter = [&]() -> Task<> {
    for (;;) {
      Status s = co_await flag.wait();
      if (!s.ok()) co_return;
      ++woke;
    }
  };
  v.loop.spawn(waiter());
  EXPECT_TRUE(v.loop.run_until(ms(5)).ok());
  EXPECT_EQ(woke, 1);
}

TEST(ThreadSafeFlag, RefusesASecondConcurrentWaiter) {
  test::VirtualLoop v;
  ThreadSafeFlag flag(v.loop);
  Errc second = Errc::ok;
  auto first = [&]() -> Task<> { (void)co_await flag.wait(); };
  auto other = [&]() -> Task<> { second = (co_await flag.wait()).error(); };
  v.loop.spawn(first());
  v.loop.spawn(other());
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  EXPECT_EQ(second, Errc::busy);
}

TEST(Lock, HandsTheLockToWaitersInFifoOrder) {
  test::VirtualLoop v;
  Lock lock;
  std::vector<int> order;
  std::vector<Micros> when;
  auto user = [&](int id) -> Task<> {
    auto g = co_await lock.acquire();
    EXPECT_TRUE(g.ok());
    order.push_back(id);
    when.push_back(v.loop.now());
    co_await sleep_ms(5);  // holds the lock across an await
  };
  for (int i = 0; i < 4; ++i)
    v.loop.spawn(user(i));
  EXPECT_TRUE(v.loop.run_until(ms(100)).ok());
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(when, (std::vector<Micros>{0, ms(5), ms(10), ms(15)}));
  EXPECT_FALSE(lock.locked());
}

TEST(Lock, TryAcquireNeverWaits) {
  Lock lock;
  auto a = lock.try_acquire();
  EXPECT_TRUE(a.ok());
  EXPECT_EQ(lock.try_acquire().error(), Errc::would_block);
  a->unlock();
  EXPECT_TRUE(lock.try_acquire().ok());  // the temporary guard unlocks at once
  EXPECT_FALSE(lock.locked());
}

TEST(Queue, DeliversItemsInFifoOrderAndSuspendsAFullPutter) {
  test::VirtualLoop v;
  Queue<int, 2> q;
  std::vector<int> got;
  std::vector<Micros> put_times;
  auto producer = [&]() -> Task<> {
    for (int i = 0; i < 5; ++i) {
      EXPECT_TRUE((co_await q.put(i)).ok());
      put_times.push_back(v.loop.now());
    }
  };
  auto consumer = [&]() -> Task<> {
    for (int i = 0; i < 5; ++i) {
      co_await sleep_ms(10);
      Result<int> r = co_await q.get();
      got.push_back(*r);
    }
  };
  v.loop.spawn(producer());
  v.loop.spawn(consumer());
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 4}));
  // Two fit at once; each later put waits for a get (backpressure).
  EXPECT_EQ(put_times, (std::vector<Micros>{0, 0, ms(10), ms(20), ms(30)}));
}

TEST(Queue, HandsAnItemStraightToAWaitingGetter) {
  test::VirtualLoop v;
  Queue<std::string, 1> q;
  std::string got;
  auto getter = [&]() -> Task<> { got = *co_await q.get(); };
  v.loop.spawn(getter());
  EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
  EXPECT_TRUE(q.try_put("hello").ok());
  EXPECT_TRUE(q.empty());  // never stored: handed over
  EXPECT_TRUE(v.loop.run_until(ms(2)).ok());
  EXPECT_EQ(got, "hello");
}

TEST(Queue, TryOperationsReportWouldBlock) {
  Queue<int, 1> q;
  EXPECT_EQ(q.try_get().error(), Errc::would_block);
  EXPECT_TRUE(q.try_put(1).ok());
  EXPECT_EQ(q.try_put(2).error(), Errc::would_block);
  EXPECT_TRUE(q.full());
}

TEST(Queue, GivesAHandedOverItemBackWhenItsGetterEndsBeforeTakingIt) {
  Queue<int, 2> q;
  {
    test::VirtualLoop v;
    auto getter = [&]() -> Task<> { auto r = co_await q.get(); };
    v.loop.spawn(getter());
    EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
    EXPECT_TRUE(q.try_put(42).ok());  // handed to the getter, which is ready but has not run
    EXPECT_TRUE(q.empty());
  }  // the loop ends the getter before it took the item
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(*q.try_get(), 42);
}

}  // namespace
}  // namespace weft
