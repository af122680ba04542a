#include <gtest/gtest.h>

#include "test_support.hpp"

namespace weft {
namespace {

Task<int> after(int ms_count, int value) {
  co_await sleep_ms(ms_count);
  co_return value;
}

TEST(Gather, RunsTasksConcurrentlyAndReturnsEveryResultInOrder) {
  test::VirtualLoop v;
  auto t = []() -> Task<int> {
    auto [a, b, c] = co_await gather(after(30, 1), after(10, 2), after(20, 3));
    co_return *a * 100 + *b * 10 + *c;
  };
  EXPECT_EQ(*v.loop.run_until_complete(t()), 123);
  EXPECT_EQ(v.clock.now(), ms(30));  // concurrent: the longest, not the sum
}

TEST(Gather, ReportsATaskThatCouldNotBeCreatedInItsSlotAndRunsTheRest) {
  test::VirtualLoop v;
  auto t = []() -> Task<int> {
    auto [a, b] = co_await gather(after(5, 1), Task<int>());
    co_return (a.ok() ? *a : -1) * 10 + (b.error() == Errc::no_memory ? 1 : 0);
  };
  EXPECT_EQ(*v.loop.run_until_complete(t()), 11);
}

TEST(Gather, CancelsEveryChildWhenTheAwaitingTaskIsCancelled) {
  test::VirtualLoop v;
  int alive = 0;
  auto child = [&](int d) -> Task<Status> {
    test::Lifetime l(alive);
    co_return co_await sleep_ms(d);
  };
  Errc first = Errc::ok, second = Errc::ok;
  auto parent = [&]() -> Task<> {
    auto [a, b] = co_await gather(child(100), child(200));
    first = a.error();
    second = b.error();
  };
  auto h = v.loop.spawn(parent());
  EXPECT_TRUE(v.loop.run_until(ms(10)).ok());
  EXPECT_EQ(alive, 2);
  h.cancel();
  EXPECT_TRUE(v.loop.run_until(ms(20)).ok());
  EXPECT_TRUE(h.done());
  EXPECT_EQ(alive, 0);
  EXPECT_EQ(first, Errc::cancelled);
  EXPECT_EQ(second, Errc::cancelled);
  EXPECT_TRUE(v.loop.timers().empty());
}

TEST(Gather, EndsItsChildrenWhenTheAwaitingTaskIsReaped) {
  int alive = 0;
  {
    test::VirtualLoop v;
    auto child = [&]() -> Task<> {
      test::Lifetime l(alive);
      co_await sleep_ms(1000);
    };
    auto parent = [&]() -> Task<> { (void)co_await gather(child(), child()); };
    v.loop.spawn(parent());
    EXPECT_TRUE(v.loop.run_until(ms(10)).ok());
    EXPECT_EQ(alive, 2);
  }  // the loop ends the parent; the gather inside it ends the children
  EXPECT_EQ(alive, 0);
}

TEST(Race, ReturnsTheFirstToFinishAndCancelsTheOthersCleanly) {
  test::VirtualLoop v;
  int alive = 0;
  bool loser_saw_cancel = false;
  auto loser = [&]() -> Task<int> {
    test::Lifetime l(alive);
    Status s = co_await sleep_ms(100);
    loser_saw_cancel = s.error() == Errc::cancelled;
    co_return -1;
  };
  auto t = [&]() -> Task<int> {
    auto r = co_await race(loser(), after(10, 7));
    EXPECT_EQ(alive, 0);  // the loser has unwound before race returns
    if (r.index != 1) co_return -100;
    co_return *std::get<1>(r.results);
  };
  EXPECT_EQ(*v.loop.run_until_complete(t()), 7);
  EXPECT_TRUE(loser_saw_cancel);
  EXPECT_EQ(v.clock.now(), ms(10));
  EXPECT_TRUE(v.loop.timers().empty());
}

TEST(Race, ReportsNoWinnerWhenTheAwaitingTaskIsCancelled) {
  test::VirtualLoop v;
  std::size_t index = 0;
  auto t = [&]() -> Task<> {
    auto r = co_await race(after(100, 1), after(200, 2));
    index = r.index;
  };
  auto h = v.loop.spawn(t());
  EXPECT_TRUE(v.loop.run_until(ms(10)).ok());
  h.cancel();
  EXPECT_TRUE(v.loop.run_until(ms(20)).ok());
  EXPECT_EQ(index, 2u);
}

}  // namespace
}  // namespace weft
