// A program that must fail in one specific way: its assertion (EXPECT_EXIT code + EXPECT console text) is
// its weft_target_bad() line in tests/target/CMakeLists.txt.
// Bad input: reading through a null pointer must stop with the CPU exception's name and pc, exit 2.
#include <cstdint>

#include "lx106_qemu/lx106.hpp"

int main() {
  volatile std::uint32_t* p = nullptr;
  asm volatile("" : "+r"(p));
  return static_cast<int>(*p);
}
