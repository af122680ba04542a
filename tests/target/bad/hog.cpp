// A program that must fail in one specific way: its assertion (EXPECT_EXIT code + EXPECT console text) is
// its weft_target_bad() line in tests/target/CMakeLists.txt.
// Bad input: a task that never yields freezes a cooperative loop. The board's watchdog (timer interrupt)
// must notice that the loop stopped running and name the task: exit 4, never a silent spin.
#include "core/weft.hpp"
#include "lx106_qemu/lx106.hpp"

namespace {
volatile int g_spins = 0;

weft::Task<> well_behaved() {
  for (;;)
    co_await weft::sleep_ms(10);
}
weft::Task<> hog() {
  co_await weft::sleep_ms(50);
  for (;;)
    g_spins = g_spins + 1;  // forgot to co_await inside the loop
}
}  // namespace

int main() {
  weft::Loop loop;
  loop.spawn(well_behaved(), "well-behaved");
  loop.spawn(hog(), "sensor-poll");
  (void)loop.run_forever();
  return 0;
}
