// The harness reports a failing check with file:line and both values, keeps running the other tests, prints
// `N passed, N failed` and exits 1. (Run by ctest expecting exactly that.)
#include "harness.hpp"

TEST(Harness, PassingChecks) {
  EXPECT_EQ(2 + 2, 4);
  EXPECT_TRUE(true);
  EXPECT_STREQ("weft", "weft");
  EXPECT_NE(1u, 2);
}

TEST(Harness, AFailingCheckIsReportedWithItsValues) {
  int answer = 41;
  EXPECT_EQ(answer, 42);  // fails on purpose
}

TEST(Harness, AssertStopsTheTest) {
  ASSERT_TRUE(1 == 1);
  EXPECT_LT(-1, 0u);  // mixed signedness compares by value: -1 < 0
}

TEST(Harness, DISABLED_IsSkipped) {
  EXPECT_TRUE(false);
}
