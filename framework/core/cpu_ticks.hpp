// cpu_ticks(): the cheapest timestamp the CPU offers, for timing short intervals (task slices): CCOUNT on the
// lx106 (one instruction), the TSC on x86, CNTVCT on AArch64. Its rate is unknown here; SliceClock
// (slice_clock.hpp) learns it. kHasCpuTicks is false (and cpu_ticks() returns 0) on other CPUs.
#pragma once
#include <cstdint>

namespace weft {

#if defined(__XTENSA__)
using Ticks = std::uint32_t;  // slices are far shorter than a CCOUNT wrap (53 s at 80 MHz)
inline Ticks cpu_ticks() {
  Ticks c;
  asm volatile("rsr %0, ccount" : "=a"(c));
  return c;
}
inline constexpr bool kHasCpuTicks = true;
#elif defined(__x86_64__) || defined(__i386__)
using Ticks = std::uint64_t;
inline Ticks cpu_ticks() {
  return __builtin_ia32_rdtsc();  // the compiler builtin: no <x86intrin.h> in every TU
}
inline constexpr bool kHasCpuTicks = true;
#elif defined(__aarch64__)
using Ticks = std::uint64_t;
inline Ticks cpu_ticks() {
  std::uint64_t v;
  asm volatile("mrs %0, cntvct_el0" : "=r"(v));
  return v;
}
inline constexpr bool kHasCpuTicks = true;
#else
using Ticks = std::uint64_t;
inline Ticks cpu_ticks() {
  return 0;
}
inline constexpr bool kHasCpuTicks = false;
#endif

}  // namespace weft
