// The shortest decimal text that reads back as the same double: the form JSON and JavaScript use for
// numbers (ECMAScript's Number::toString), without printf, strtod or any floating-point arithmetic.
//
//   char buf[weft::text::max_shortest_chars];
//   weft::Result<std::size_t> n = weft::text::format_shortest(buf, 0.1);   // "0.1", never "0.10000000000000001"
//
// Digits: the fewest significant digits (1..17) whose decimal value rounds to v under IEEE round-to-nearest-
// even, so strtod / JSON.parse / Python's float() give back exactly v; among several such, the one closest
// to v (a tie goes to the even digit). The same digits as Ryu, std::to_chars(double) and JavaScript.
// Layout, with n the decimal exponent (v = 0.d1d2..dk * 10^n), as JavaScript's toString:
//   k <= n <= 21      the digits then n - k zeros           1e21 - 1 ulp -> "999999999999999900000", 100 -> "100"
//   0 < n <= 21       a point after n digits                3.25 -> "3.25"
//   -6 < n <= 0       "0." then -n zeros then the digits    0.000001 -> "0.000001"
//   otherwise         d1[.d2..dk]e(+|-)(n-1)                 1e21 -> "1e+21", 1.5e-7 -> "1.5e-7", 5e-324
// A negative value starts with '-'. Negative zero is "-0" (JavaScript prints "0"; JSON allows "-0" and every
// reader gives back -0.0, so the sign survives the round trip as the other values do). +0.0 is "0".
// Errors (nothing written): Errc::invalid_argument for NaN and +-infinity (JSON has no such numbers),
// Errc::too_large when out is shorter than the text (max_shortest_chars always suffices).
// Cost: exact big-integer arithmetic on the bits (Steele & White's free-format algorithm as Burger and Dybvig
// give it): shifts, adds and compares on 32-bit limbs, no multiply or divide call, so the lx106 needs no
// soft-float or division helper. O(digits * size of the numbers): a few limbs for everyday values, ~34 limbs
// (1,100 bits) at the ends of the range (1e-300, 1e300). About 850 B of stack (four 148-byte numbers, a
// temporary, the text).
#pragma once
#include <cstddef>
#include <span>

#include "core/result.hpp"

namespace weft::text {

// Room that format_shortest needs for any double: "-0.00000" and 17 digits.
inline constexpr std::size_t max_shortest_chars = 25;

// Writes v as described above to out; returns the length.
[[nodiscard]] Result<std::size_t> format_shortest(std::span<char> out, double v);

}  // namespace weft::text
