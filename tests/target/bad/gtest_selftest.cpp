// gtest/gtest.h on the target reports failures as GoogleTest would: values and the `<<` message, ASSERT_*
// ends the test, a fatal failure in SetUp skips the body but not TearDown, leaked heap blocks fail the test,
// a skipped case is counted as skipped. (Run by ctest expecting exactly that.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

int g_teardowns = 0;
bool g_ran_past_a_fatal_failure = false;
int* volatile g_leaked = nullptr;

TEST(Gtest, PassingChecksWithStrings) {
  std::string s = "weft";
  std::vector<int> v{1, 2, 3};
  EXPECT_EQ(s, "weft");
  EXPECT_EQ(v.size(), 3);
  EXPECT_NE(s, "wept") << "never printed";
  EXPECT_NEAR(0.1 + 0.2, 0.3, 1e-12);
}

TEST(Gtest, AFailingCheckPrintsItsValuesAndMessage) {
  std::string s = "we\nft";
  EXPECT_EQ(s, "weft") << "context " << 42;  // fails on purpose
  EXPECT_NEAR(-1.5, 2.25, 0.5);              // fails on purpose
}

TEST(Gtest, AssertEndsTheTest) {
  ASSERT_TRUE(false) << "stops here";  // fails on purpose
  g_ran_past_a_fatal_failure = true;
}

class FailingSetUp : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(1, 2); }  // fails on purpose
  void TearDown() override { ++g_teardowns; }
};

TEST_F(FailingSetUp, BodyIsSkipped) {
  g_ran_past_a_fatal_failure = true;
}

TEST(Gtest, NothingRanPastAFatalFailureButTearDownRanOnce) {
  EXPECT_FALSE(g_ran_past_a_fatal_failure);
  EXPECT_EQ(g_teardowns, 1);
}

TEST(Gtest, ALeakFailsTheTest) {
  g_leaked = new int(7);  // leaks on purpose
}

TEST(Gtest, IsSkippedOnTheTarget) {
  EXPECT_TRUE(false) << "a skipped case ran";
}

}  // namespace
