#include <gtest/gtest.h>

#include "test_support.hpp"

namespace weft {
namespace {

Task<int> answer() {
  co_return 42;
}

Task<int> add_after_sleep(int a, int b) {
  co_await sleep_ms(10);
  co_return a + b;
}

Task<int> immediate(int v) {
  co_return v;
}

TEST(Task, ReturnsItsValueThroughRunUntilComplete) {
  test::VirtualLoop v;
  Result<int> r = v.loop.run_until_complete(answer());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 42);
}

TEST(Task, IsLazyAndRunsOnlyWhenAwaitedOrSpawned) {
  test::VirtualLoop v;
  bool ran = false;
  auto body = [](bool& flag) -> Task<> {
    flag = true;
    co_return;
  };
  {
    Task<> t = body(ran);
    EXPECT_FALSE(ran);
  }
  EXPECT_FALSE(ran);  // destroyed without running
  EXPECT_TRUE(v.loop.run_until_complete(body(ran)).ok());
  EXPECT_TRUE(ran);
}

TEST(Task, SleepsInVirtualTimeWithoutWaiting) {
  test::VirtualLoop v;
  Result<int> r = v.loop.run_until_complete(add_after_sleep(2, 3));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 5);
  EXPECT_EQ(v.clock.now(), ms(10));
}

TEST(Task, AwaitsNestedTasksAndGetsTheirResults) {
  test::VirtualLoop v;
  auto outer = []() -> Task<int> {
    Result<int> a = co_await add_after_sleep(1, 2);
    Result<int> b = co_await immediate(10);
    co_return *a + *b;
  };
  EXPECT_EQ(*v.loop.run_until_complete(outer()), 13);
}

TEST(Task, RunsAMillionSynchronousCompletionsInARowWithoutGrowingTheStack) {
  test::VirtualLoop v;
  auto outer = []() -> Task<long> {
    long sum = 0;
    for (int i = 0; i < 1'000'000; ++i)
      sum += *co_await immediate(1);
    co_return sum;
  };
  EXPECT_EQ(*v.loop.run_until_complete(outer()), 1'000'000);
}

Task<int> depth(int n) {
  if (n == 0) co_return 0;
  Result<int> r = co_await depth(n - 1);
  co_return *r + 1;
}

TEST(Task, AwaitsAChainOfTwoThousandNestedTasks) {
  test::VirtualLoop v;
  EXPECT_EQ(*v.loop.run_until_complete(depth(2000)), 2000);
}

TEST(Task, GivesAlreadyAwaitedWhenAwaitedTwice) {
  test::VirtualLoop v;
  auto outer = []() -> Task<Status> {
    Task<int> t = immediate(7);
    Result<int> first = co_await t;
    if (!first.ok() || *first != 7) co_return Errc::io_error;
    Result<int> second = co_await t;
    co_return second.error();
  };
  EXPECT_EQ(v.loop.run_until_complete(outer()).error(), Errc::already_awaited);
}

TEST(Task, CarriesErrorsInAResultValue) {
  test::VirtualLoop v;
  auto failing = []() -> Task<Status> { co_return Errc::refused; };
  auto outer = [&]() -> Task<Status> {
    Status s = co_await failing();
    co_return s;
  };
  Status s = v.loop.run_until_complete(outer());
  EXPECT_EQ(s.error(), Errc::refused);
}

TEST(Task, ReportsNoMemoryWhenItsFrameDoesNotFitTheArena) {
  test::VirtualLoop v;
  alignas(16) static unsigned char buffer[64];
  test::LogCapture log;
  {
    FrameArena tiny(buffer, sizeof buffer);
    FrameArena::Scope scope(tiny);
    Task<int> t = add_after_sleep(1, 2);  // its frame is larger than 64 bytes
    EXPECT_FALSE(t.valid());
    auto h = v.loop.spawn(std::move(t));
    EXPECT_FALSE(h.ok());
    EXPECT_EQ(h.error(), Errc::no_memory);
  }
  EXPECT_TRUE(log.contains("frame arena full"));
}

}  // namespace
}  // namespace weft
