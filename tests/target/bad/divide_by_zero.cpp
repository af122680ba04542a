// A program that must fail in one specific way: its assertion (EXPECT_EXIT code + EXPECT console text) is
// its weft_target_bad() line in tests/target/CMakeLists.txt.
// Bad input: integer division by zero goes through the board's libgcc helpers (the lx106 has no divider and
// Debian's libgcc lacks them): it must stop with a message naming the caller, exit 7.
#include <cstdint>

#include "lx106_qemu/lx106.hpp"

int main() {
  volatile std::uint32_t zero = 0;
  volatile std::uint32_t n = 42;
  return static_cast<int>(n / zero);
}
