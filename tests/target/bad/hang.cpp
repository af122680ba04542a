// A program that must fail in one specific way: its assertion (EXPECT_EXIT code + EXPECT console text) is
// its weft_target_bad() line in tests/target/CMakeLists.txt.
// Bad input: a test that hangs (it waits for an Event nobody sets). The loop idles in waiti, so no watchdog
// sees a spin; the harness's per-test virtual-time budget ends it with a message: exit 5.
#include "harness.hpp"
#include "target_support.hpp"

namespace {
weft::Task<> wait_forever(weft::Event& e) {
  co_await e.wait();
}
}  // namespace

TEST(Hang, WaitsForAnEventNobodySets) {
  weft::target::set_budget(weft::sec(30));
  weft::Loop loop(weft::target::board_clock());
  weft::Event never;
  (void)loop.run_until_complete(wait_forever(never));
}
