// The lx106's ICOUNT debug register: instructions executed (QEMU implements it; exact, independent of
// -icount). start_icount() resets it and makes it count at every interrupt level.
#pragma once
#include <cstdint>

namespace weft::bench {

inline std::uint32_t icount() {
  std::uint32_t v;
  asm volatile("rsr %0, icount" : "=a"(v));
  return v;
}

inline void start_icount() {
  // Counts while CINTLEVEL < ICOUNTLEVEL (15: always, ISRs included); a debug exception would come when it
  // wraps to 0, after 2^32 instructions, far beyond these programs.
  std::uint32_t zero = 0, level = 15;
  asm volatile("wsr %0, icount\n\twsr %1, icountlevel\n\tisync" : : "a"(zero), "a"(level) : "memory");
}

}  // namespace weft::bench
