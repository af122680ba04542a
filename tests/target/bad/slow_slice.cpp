// A program that must fail in one specific way: its assertion (EXPECT_EXIT code + EXPECT console text) is
// its weft_target_bad() line in tests/target/CMakeLists.txt.
// Bad input: a task that yields, but only after hogging the loop for 20 ms: the core's hog warning must name
// it on the console (the seeds call a 3 ms callback "quite too long"). The program then exits 9 on purpose,
// so the test checks both the warning and that a non-zero exit reaches ctest.
#include "core/weft.hpp"
#include "lx106_qemu/lx106.hpp"

namespace {
weft::Task<> slow() {
  weft::Micros until = weft::default_clock_port().now() + weft::ms(20);
  while (weft::default_clock_port().now() < until) {
  }
  co_await weft::yield();
}
}  // namespace

int main() {
  weft::Loop loop;
  (void)loop.run_until_complete(slow(), "slow-parser");
  return loop.stats().hog_warnings == 1 ? 9 : 0;
}
