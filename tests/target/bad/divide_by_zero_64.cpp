// A program that must fail in one specific way: its assertion (EXPECT_EXIT code + EXPECT console text) is
// its weft_target_bad() line in tests/target/CMakeLists.txt.
// Bad input: the 64-bit helpers (__udivdi3 and friends, also missing from Debian's libgcc) check too: exit 7.
#include <cstdint>

#include "lx106_qemu/lx106.hpp"

int main() {
  volatile std::uint64_t zero = 0;
  volatile std::uint64_t n = 42;
  return static_cast<int>(n % zero);
}
