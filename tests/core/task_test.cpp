#include "core/weft.hpp"

#include <gtest/gtest.h>

namespace weft {
namespace {

Task<int> answer() { co_return 42; }

Task<int> add_after_sleep(int a, int b) {
  co_await sleep_ms(10);
  co_return a + b;
}

TEST(Task, ReturnsItsValueThroughRunUntilComplete) {
  VirtualDriver clock;
  Loop loop(clock);
  Result<int> r = loop.run_until_complete(answer());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 42);
}

TEST(Task, SleepsInVirtualTimeWithoutWaiting) {
  VirtualDriver clock;
  Loop loop(clock);
  Result<int> r = loop.run_until_complete(add_after_sleep(2, 3));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 5);
  EXPECT_EQ(clock.now(), ms(10));
}

}  // namespace
}  // namespace weft
