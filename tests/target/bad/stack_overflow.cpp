// A program that must fail in one specific way: its assertion (EXPECT_EXIT code + EXPECT console text) is
// its weft_target_bad() line in tests/target/CMakeLists.txt.
// Bad input: unbounded recursion. The board's data breakpoint on the bottom of the stack stops it with a
// message (exit 8) before it overwrites .bss, the frame arena and the heap.
#include "lx106_qemu/lx106.hpp"

namespace {
int depth(volatile int* n) {
  volatile int local[8] = {*n};
  *n = *n + 1;
  if (*n > 1000000) return 0;  // never reached: 1M frames do not fit in 80 KiB
  return depth(n) + local[0];
}
}  // namespace

int main() {
  volatile int n = 0;
  return depth(&n);
}
