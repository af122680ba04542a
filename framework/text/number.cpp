#include "number.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "times10.hpp"

namespace weft::text {

namespace {

using detail::times10;

constexpr std::array<std::uint64_t, 20> pow10_u64 = {
    1ULL,
    10ULL,
    100ULL,
    1000ULL,
    10000ULL,
    100000ULL,
    1000000ULL,
    10000000ULL,
    100000000ULL,
    1000000000ULL,
    10000000000ULL,
    100000000000ULL,
    1000000000000ULL,
    10000000000000ULL,
    100000000000000ULL,
    1000000000000000ULL,
    10000000000000000ULL,
    100000000000000000ULL,
    1000000000000000000ULL,
    10000000000000000000ULL,
};

// Powers of ten a double holds exactly (10^0 .. 10^22): multiplying or dividing by one rounds only once.
constexpr std::array<double, 23> pow10_f64 = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                              1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                              1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// A binary fraction F / 2^124 held in four 32-bit limbs (little-endian), F < 2^124. Multiplying by 10 moves
// the next decimal digit into bits 124..127. Exact for every double, using 32x32->64 multiplies only (no
// __int128 on the lx106).
struct Fraction {
  std::array<std::uint32_t, 4> limb{};

  static Fraction from(std::uint64_t f, int shift) {  // f << shift, shift in [0, 124), result < 2^124
    std::uint64_t lo = 0, hi = 0;
    if (shift >= 64) {
      hi = f << (shift - 64);
    } else if (shift == 0) {
      lo = f;
    } else {
      lo = f << shift;
      hi = f >> (64 - shift);
    }
    return Fraction{{static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(lo >> 32),
                     static_cast<std::uint32_t>(hi), static_cast<std::uint32_t>(hi >> 32)}};
  }
  // Multiplies by ten and returns the integer digit that came out (0..9).
  int next_digit() {
    static_cast<void>(times10(limb));  // F < 2^124: nothing carries out of the top limb
    const int digit = static_cast<int>(limb[3] >> 28);
    limb[3] &= 0x0FFFFFFFU;
    return digit;
  }
  // True if the fraction is at least one half.
  [[nodiscard]] bool at_least_half() const { return (limb[3] >> 27) & 1U; }
};

}  // namespace

namespace {

// One decimal digit of v at the power p (v < 10p), taken off v: binary steps 8p, 4p, 2p, p — four compares
// and subtracts a digit, branch-predictable, no division (the lx106 has no divider, and Debian's libgcc for
// it lacks even the 32-bit division helpers).
template <typename U>
char take_digit(U& v, U p) {
  unsigned d = 0;
  for (int shift = 3; shift >= 0; --shift) {
    if (p > (std::numeric_limits<U>::max() >> shift)) continue;  // step * p overflows U: it exceeds v anyway
    const U chunk = static_cast<U>(p << shift);
    if (v >= chunk) {
      v -= chunk;
      d += 1U << shift;
    }
  }
  return static_cast<char>('0' + d);
}

template <typename U, std::size_t N>
std::size_t format_digits(char* out, U v, const std::array<U, N>& powers) {
  std::size_t top = 0;  // the highest power of ten <= v (counting up: small numbers are the common case)
  while (top + 1 < N && v >= powers[top + 1])
    ++top;
  std::size_t n = 0;
  for (std::size_t i = top + 1; i-- > 0;)
    out[n++] = take_digit(v, powers[i]);
  return n;
}

constexpr std::array<std::uint32_t, 10> pow10_u32 = {1U,      10U,      100U,      1000U,      10000U,
                                                     100000U, 1000000U, 10000000U, 100000000U, 1000000000U};

}  // namespace

std::size_t format_uint(char* out, std::uint64_t v) {
  // 32-bit arithmetic when the value allows: the lx106 is a 32-bit core.
  if (v <= 0xFFFFFFFFU) return format_digits(out, static_cast<std::uint32_t>(v), pow10_u32);
  return format_digits(out, v, pow10_u64);
}

std::size_t format_int(char* out, std::int64_t v) {
  if (v >= 0) return format_uint(out, static_cast<std::uint64_t>(v));
  out[0] = '-';
  return 1 + format_uint(out + 1, std::uint64_t{0} - static_cast<std::uint64_t>(v));
}

namespace {

// Formats (-1)^negative * m * 2^e (m < 2^53) as number.hpp describes. Integer arithmetic only, so no
// soft-float helper is needed (Debian's lx106 libgcc lacks those for +, *, / and float<->double).
Result<std::size_t> format_binary(std::span<char> out, bool negative, std::uint64_t m, int e,
                                  FloatFormat format) {
  const int significant = format.significant_digits;
  const int max_decimals = format.max_decimals;
  if (significant < 1 || significant > 17 || max_decimals > 17) return Errc::invalid_argument;
  constexpr std::uint64_t limit = 999'999'999'999'999'999ULL;  // |v| < 1e18 (m * 2^e <= limit) to start with
  if (e >= 0 && (e >= 60 || m > (limit >> e))) return Errc::invalid_argument;

  // Split into the integer part and the exact binary fraction.
  std::uint64_t integer = 0;
  Fraction fraction;
  if (e >= 0) {
    integer = m << e;  // < 1e18 < 2^60: fits
  } else if (-e <= 124) {
    const int k = -e;
    integer = k < 64 ? m >> k : 0;
    const std::uint64_t f = k < 64 ? (m & ((std::uint64_t{1} << k) - 1)) : m;
    fraction = Fraction::from(f, 124 - k);
  }  // else |v| < 2^-71: below half of 10^-17, so every digit we may print is 0 and the fraction stays 0.

  // digits[0, int_digits) is the integer part (none if it is 0), then the decimals.
  std::array<char, 48> digits{};
  int int_digits = integer != 0 ? static_cast<int>(format_uint(digits.data(), integer)) : 0;
  int decimals = 0;
  bool round_up = false;
  int round_at = 0;  // index of the last kept digit, if round_up
  if (int_digits > significant) {
    // More integer digits than significant ones: round the integer part, decimals are all dropped.
    round_up = digits[significant] >= '5';  // >= half (a tie is exactly "5000..." and rounds away from zero)
    for (int i = significant; i < int_digits; ++i) {
      digits[i] = '0';
    }
    round_at = significant - 1;
  } else {
    int counted = int_digits;  // significant digits produced so far
    const int wanted = int_digits > 0 ? std::min(significant - int_digits, max_decimals) : max_decimals;
    while (decimals < wanted && !(int_digits == 0 && counted >= significant)) {
      const int d = fraction.next_digit();
      digits[int_digits + decimals++] = static_cast<char>('0' + d);
      if (counted > 0 || d != 0) ++counted;  // leading zeros of a value below 1 are not significant
    }
    round_up = fraction.at_least_half();
    round_at = int_digits + decimals - 1;
  }
  if (round_up) {
    int i = round_at;
    while (i >= 0 && digits[i] == '9') {
      digits[i--] = '0';
    }
    if (i >= 0) {
      ++digits[i];
    } else {  // 9.99 -> 10.0: one more integer digit
      std::memmove(digits.data() + 1, digits.data(), static_cast<std::size_t>(int_digits + decimals));
      digits[0] = '1';
      ++int_digits;
    }
  }
  // The limit applies to what is printed: a value just below 1e18 that rounds up to it is refused too, so
  // every text this prints parses back to a value it can print again.
  if (int_digits > 18) return Errc::invalid_argument;
  while (decimals > 0 && digits[int_digits + decimals - 1] == '0') {
    --decimals;
  }

  bool zero = true;
  for (int i = 0; i < int_digits + decimals; ++i)
    zero = zero && digits[i] == '0';
  const bool minus = negative && !zero;  // never "-0"
  const std::size_t length = (minus ? 1U : 0U) +
                             (int_digits > 0 ? static_cast<std::size_t>(int_digits) : 1U) +
                             (decimals > 0 ? 1U + static_cast<std::size_t>(decimals) : 0U);
  if (length > out.size()) return Errc::too_large;

  char* p = out.data();
  if (minus) *p++ = '-';
  if (int_digits > 0) {
    std::memcpy(p, digits.data(), static_cast<std::size_t>(int_digits));
    p += int_digits;
  } else {
    *p++ = '0';
  }
  if (decimals > 0) {
    *p++ = '.';
    std::memcpy(p, digits.data() + int_digits, static_cast<std::size_t>(decimals));
  }
  return length;
}

}  // namespace

Result<std::size_t> format_float(std::span<char> out, double v, FloatFormat format) {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  const auto biased_exponent = static_cast<int>((bits >> 52) & 0x7FF);
  if (biased_exponent == 0x7FF) return Errc::invalid_argument;  // NaN or infinity
  const std::uint64_t fraction_bits = bits & ((std::uint64_t{1} << 52) - 1);
  // |v| = m * 2^e exactly (subnormals have no implicit bit).
  const std::uint64_t m = biased_exponent == 0 ? fraction_bits : (fraction_bits | (std::uint64_t{1} << 52));
  const int e = biased_exponent == 0 ? -1074 : biased_exponent - 1075;
  return format_binary(out, (bits >> 63) != 0, m, e, format);
}

Result<std::size_t> format_float(std::span<char> out, float v, FloatFormat format) {
  const auto bits = std::bit_cast<std::uint32_t>(v);
  const auto biased_exponent = static_cast<int>((bits >> 23) & 0xFF);
  if (biased_exponent == 0xFF) return Errc::invalid_argument;  // NaN or infinity
  const std::uint32_t fraction_bits = bits & ((std::uint32_t{1} << 23) - 1);
  const std::uint32_t m = biased_exponent == 0 ? fraction_bits : (fraction_bits | (std::uint32_t{1} << 23));
  const int e = biased_exponent == 0 ? -149 : biased_exponent - 150;
  return format_binary(out, (bits >> 31) != 0, m, e, format);
}

Result<double> parse_double(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  bool negative = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';

  // Up to 19 significant digits are kept in an integer; later ones only shift the decimal exponent.
  std::uint64_t mantissa = 0;
  int kept = 0;
  int exponent = 0;
  bool any_digit = false;
  const auto is_digit = [&](std::size_t j) { return j < n && s[j] >= '0' && s[j] <= '9'; };
  for (; is_digit(i); ++i) {
    any_digit = true;
    const auto d = static_cast<std::uint64_t>(s[i] - '0');
    if (mantissa == 0 && d == 0) continue;  // leading zero
    if (kept < 19) {
      mantissa = times10(mantissa) + d;
      ++kept;
    } else {
      ++exponent;  // a dropped integer digit still counts as a power of ten
    }
  }
  if (i < n && s[i] == '.') {
    for (++i; is_digit(i); ++i) {
      any_digit = true;
      const auto d = static_cast<std::uint64_t>(s[i] - '0');
      if (mantissa == 0 && d == 0) {
        --exponent;  // 0.00x: a zero before the first significant digit
      } else if (kept < 19) {
        mantissa = times10(mantissa) + d;
        ++kept;
        --exponent;
      }
    }
  }
  if (!any_digit) return Errc::protocol_error;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) exponent_negative = s[i++] == '-';
    if (!is_digit(i)) return Errc::protocol_error;
    int written = 0;
    for (; is_digit(i); ++i) {
      if (written < 100000) written = written * 10 + (s[i] - '0');  // beyond any double either way
    }
    exponent += exponent_negative ? -written : written;
  }
  if (i != n) return Errc::protocol_error;

  double value = static_cast<double>(mantissa);
  if (mantissa != 0) {
    // Clinger's fast path when both are exact (mantissa < 2^53, |exponent| <= 22): one rounding.
    for (; exponent > 22; exponent -= 22)
      value *= pow10_f64[22];
    for (; exponent < -22; exponent += 22)
      value /= pow10_f64[22];
    if (exponent >= 0) {
      value *= pow10_f64[static_cast<std::size_t>(exponent)];
    } else {
      value /= pow10_f64[static_cast<std::size_t>(-exponent)];
    }
    if (value > std::numeric_limits<double>::max()) return Errc::protocol_error;  // overflow to infinity
  }
  return negative ? -value : value;
}

Result<float> parse_float(std::string_view s) {
  Result<double> d = parse_double(s);
  if (!d) return d.error();
  const double magnitude = *d < 0 ? -*d : *d;
  if (magnitude > static_cast<double>(std::numeric_limits<float>::max())) return Errc::protocol_error;
  return static_cast<float>(*d);
}

}  // namespace weft::text
