// Numbers as text: ASCII decimal, strictly parsed, and formatted without printf or locale. Used by the Blynk
// codec (bodies are numbers as text) and the JSON writer; shortest_double.hpp adds the shortest round-trip
// form of a double (JSON).
//
// Parsing is strict: the whole field must be the number — no spaces, no trailing bytes, no "nan"/"inf", no
// hex. Anything else is Errc::protocol_error (the text came from a peer: a Blynk body, a request), as is a
// value outside the target type. Nothing here divides integers (the lx106 has no divider) or calls the printf/strtod family, so the
// chip pays for neither printf nor a locale; formatting does not even use floating-point arithmetic.
//
// Float format (format_float, and Value's float/double constructors): plain decimal, never an exponent.
//  - Rounded to `significant_digits` significant digits (float: 7, double: 15 by default) and at most
//    `max_decimals` digits after the point, whichever is coarser; rounding is to nearest with ties away from
//    zero, decided on the exact binary value. Trailing zeros and a trailing point are dropped:
//    1.5 -> "1.5", 100.0 -> "100", 23.4f -> "23.4", 1.0/3 -> "0.333333333333333", 1e-7 -> "0.0000001".
//  - Negative zero, and negative values that round to zero, print "0" (never "-0").
//  - NaN, +-infinity and magnitudes that round to 1e18 or more are Errc::invalid_argument: a display or chart
//    cannot use them, and a failed sensor read should surface at the call site instead of reaching the
//    app as garbage.
#pragma once
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>

#include "core/result.hpp"

namespace weft::text {

// Room that format_int / format_uint need (int64 min: 20 characters).
inline constexpr std::size_t max_int_chars = 20;
// Room that format_float needs for any FloatFormat (sign, 19 integer digits or "0.", point, 17 decimals).
inline constexpr std::size_t max_float_chars = 24;

struct FloatFormat {
  std::uint8_t significant_digits = 15;  // 1..17
  std::uint8_t max_decimals = 15;        // 0..17 digits after the decimal point
};
inline constexpr FloatFormat float_format{7, 15};    // what a float holds without noise (23.4f -> "23.4")
inline constexpr FloatFormat double_format{15, 15};  // what a double holds without noise (0.1+0.2 -> "0.3")

// Writes v in decimal to out (which needs max_int_chars bytes), returns the number of characters written.
std::size_t format_uint(char* out, std::uint64_t v);
std::size_t format_int(char* out, std::int64_t v);

// Writes v as described above to out. Returns the length, Errc::invalid_argument (NaN, inf, |v| >= ~1e18,
// format out of range) or Errc::too_large (out is smaller than the text; nothing written).
// Integer arithmetic only, from the bits of v: no soft-float call on the chip (the float overload does not
// even widen to double). O(digits).
[[nodiscard]] Result<std::size_t> format_float(std::span<char> out, double v,
                                               FloatFormat format = double_format);
[[nodiscard]] Result<std::size_t> format_float(std::span<char> out, float v,
                                               FloatFormat format = float_format);

// Integer types other than bool.
template <typename T>
concept integer = std::integral<T> && !std::same_as<T, bool>;

// The number at p: [sign] digits, up to `end` or the first byte that is not a digit, where p is left.
// Errc::protocol_error when there is no digit or the value does not fit T. parse_int() and a reader of
// separated fields (blynk::BodyReader::next_int()) add what may follow (nothing, or a field separator).
template <integer T>
[[nodiscard]] inline Result<T> parse_int_prefix(const char*& p, const char* end) {
  bool negative = false;
  if (p != end && (*p == '+' || (std::is_signed_v<T> && *p == '-'))) negative = *p++ == '-';
  // 32-bit arithmetic for types that fit (the lx106 multiplies 64-bit numbers through a library call).
  using Acc = std::conditional_t<(sizeof(T) <= 4), std::uint32_t, std::uint64_t>;
  constexpr Acc max_pos = static_cast<Acc>(std::numeric_limits<T>::max());
  constexpr Acc max_neg = std::is_signed_v<T> ? static_cast<Acc>(max_pos + 1) : Acc{0};
  const Acc limit = negative ? max_neg : max_pos;
  const Acc limit_10 = negative ? max_neg / 10 : max_pos / 10;  // constants: no division at run time
  const char* const first = p;
  // digits10 digits always fit T: those need no overflow check (every value a Blynk app sends).
  constexpr int kUnchecked = std::numeric_limits<T>::digits10;
  const char* const unchecked_end = end - p > kUnchecked ? p + kUnchecked : end;
  Acc v = 0;
  for (; p != unchecked_end; ++p) {
    const auto d = static_cast<Acc>(static_cast<unsigned char>(*p) - unsigned{'0'});
    if (d > 9) break;
    v = static_cast<Acc>((v << 3) + (v << 1) + d);  // v * 10 without a 64-bit multiply call on the lx106
  }
  if (p == unchecked_end) {
    for (; p != end; ++p) {
      const auto d = static_cast<Acc>(static_cast<unsigned char>(*p) - unsigned{'0'});
      if (d > 9) break;
      if (v > limit_10) return Errc::protocol_error;
      v = static_cast<Acc>((v << 3) + (v << 1));
      if (d > limit - v) return Errc::protocol_error;
      v = static_cast<Acc>(v + d);
    }
  }
  if (p == first) return Errc::protocol_error;
  if (negative && v != 0) return static_cast<T>(-static_cast<std::int64_t>(v - 1) - 1);  // no overflow at min
  return static_cast<T>(v);
}

// Strict decimal integer: optional sign ('-' only for signed T, '+' always), then one or more digits.
// Errc::protocol_error on anything else or when the value does not fit T. O(n), no division at run time.
template <integer T>
[[nodiscard]] inline Result<T> parse_int(std::string_view s) {
  const char* p = s.data();
  const char* const end = p + s.size();
  Result<T> v = parse_int_prefix<T>(p, end);
  if (v && p != end) return Errc::protocol_error;
  return v;
}

// Strict decimal floating point: [+-] digits [. digits] [(e|E) [+-] digits], at least one mantissa digit
// (".5" and "5." are accepted; "", ".", "1e", " 1", "1 ", "nan", "inf", "0x1p3" are not).
// Errc::protocol_error on garbage or when the magnitude overflows a double; underflow gives 0.
// Correctly rounded for up to 15 significant digits and decimal exponents within +-22 (every value a Blynk
// app sends); otherwise within a few units in the last place. No strtod, no locale. Unlike formatting, this
// needs double multiply/divide: on the lx106 with Debian's toolchain the board must supply the soft-float
// helpers (__muldf3, __divdf3, __truncdfsf2), as for any float arithmetic.
[[nodiscard]] Result<double> parse_double(std::string_view s);
// parse_double narrowed to float; Errc::protocol_error when it overflows a float.
[[nodiscard]] Result<float> parse_float(std::string_view s);

}  // namespace weft::text
