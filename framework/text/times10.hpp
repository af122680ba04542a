// x * 10 as shifts and adds, for the digit loops of number.cpp and shortest_double.cpp: a 64-bit multiply is
// a library call (__muldi3) on the 32-bit lx106, and it has no divider at all. Internal to framework/text.
#pragma once
#include <cstdint>
#include <span>

namespace weft::text::detail {

constexpr std::uint64_t times10(std::uint64_t x) {
  return (x << 3) + (x << 1);
}

// Multiplies the number held in little-endian 32-bit limbs by ten in place; returns the carry out (0..9).
// 32-bit operations only: GCC turns a 64-bit x * 10 back into a __muldi3 call on the lx106.
constexpr std::uint32_t times10(std::span<std::uint32_t> limbs) {
  std::uint32_t carry = 0;
  for (std::uint32_t& l : limbs) {
    const std::uint32_t eight = l << 3;
    std::uint32_t low = eight + (l << 1);
    std::uint32_t high = (l >> 29) + (l >> 31) + (low < eight ? 1U : 0U);  // the bits shifted out, the carry
    low += carry;
    high += low < carry ? 1U : 0U;
    l = low;
    carry = high;
  }
  return carry;
}

}  // namespace weft::text::detail
