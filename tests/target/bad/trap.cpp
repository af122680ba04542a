// A program that must fail in one specific way: its assertion (EXPECT_EXIT code + EXPECT console text) is
// its weft_target_bad() line in tests/target/CMakeLists.txt.
// Bad input: a failed check (__builtin_trap) must stop with a message and exit 3, not spin.
#include "lx106_qemu/lx106.hpp"

int main() {
  weft::lx106::print("about to trap\n");
  __builtin_trap();
}
