#include "shortest_double.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "number.hpp"
#include "times10.hpp"

namespace weft::text {

namespace {

// A non-negative integer in little-endian 32-bit limbs, only the used ones counted (no leading zero limb).
// 36 limbs (1,152 bits) hold every value the digit generation below makes: at most ~10 * 2^1076.
class BigUint {
 public:
  static constexpr int kLimbs = 36;

  explicit BigUint(std::uint64_t v) {
    limb_[0] = static_cast<std::uint32_t>(v);
    limb_[1] = static_cast<std::uint32_t>(v >> 32);
    size_ = limb_[1] != 0 ? 2 : (limb_[0] != 0 ? 1 : 0);
  }

  BigUint& shift_left(int bits) {
    if (size_ == 0) return *this;
    const auto limbs = static_cast<int>(static_cast<unsigned>(bits) >> 5);
    const auto rest = static_cast<int>(static_cast<unsigned>(bits) & 31U);
    if (rest != 0) {
      limb_[static_cast<std::size_t>(size_)] = 0;
      for (int i = size_; i > 0; --i)
        at(i) = (at(i) << rest) | (at(i - 1) >> (32 - rest));
      at(0) <<= rest;
      if (at(size_) != 0) ++size_;
    }
    if (limbs != 0) {
      std::memmove(&at(limbs), &at(0), static_cast<std::size_t>(size_) * sizeof(std::uint32_t));
      std::memset(&at(0), 0, static_cast<std::size_t>(limbs) * sizeof(std::uint32_t));
      size_ += limbs;
    }
    return *this;
  }

  void times10() {
    const std::uint32_t carry = detail::times10(std::span(limb_.data(), static_cast<std::size_t>(size_)));
    if (carry != 0) at(size_++) = carry;
  }

  BigUint& operator+=(const BigUint& b) {
    std::uint32_t carry = 0;
    const int n = size_ > b.size_ ? size_ : b.size_;
    for (int i = 0; i < n; ++i) {
      const std::uint64_t t = std::uint64_t{i < size_ ? at(i) : 0U} + (i < b.size_ ? b.at(i) : 0U) + carry;
      at(i) = static_cast<std::uint32_t>(t);
      carry = static_cast<std::uint32_t>(t >> 32);
    }
    size_ = n;
    if (carry != 0) at(size_++) = carry;
    return *this;
  }

  BigUint& operator-=(const BigUint& b) {  // requires *this >= b
    std::uint32_t borrow = 0;
    for (int i = 0; i < size_; ++i) {
      const std::uint64_t t = std::uint64_t{at(i)} - (i < b.size_ ? b.at(i) : 0U) - borrow;
      at(i) = static_cast<std::uint32_t>(t);
      borrow = static_cast<std::uint32_t>(t >> 63);
    }
    while (size_ > 0 && at(size_ - 1) == 0)
      --size_;
    return *this;
  }

  // <0, 0 or >0 as a is below, equal to or above b.
  friend int compare(const BigUint& a, const BigUint& b) {
    if (a.size_ != b.size_) return a.size_ < b.size_ ? -1 : 1;
    for (int i = a.size_; i-- > 0;) {
      if (a.at(i) != b.at(i)) return a.at(i) < b.at(i) ? -1 : 1;
    }
    return 0;
  }
  // compare(a + b, c)
  friend int compare_sum(BigUint a, const BigUint& b, const BigUint& c) { return compare(a += b, c); }

 private:
  std::uint32_t& at(int i) { return limb_[static_cast<std::size_t>(i)]; }
  [[nodiscard]] std::uint32_t at(int i) const { return limb_[static_cast<std::size_t>(i)]; }

  std::array<std::uint32_t, kLimbs> limb_{};
  int size_ = 0;
};

struct Digits {
  std::array<char, 17> digit{};  // '0'..'9'
  int count = 0;
  int exponent = 0;  // v = 0.d1d2..d(count) * 10^exponent
};

// The shortest digits of m * 2^e (m > 0) that round back to it, closest to it. Burger and Dybvig's free-format
// algorithm: v = r / s, the halfway points to the neighbouring doubles are (r - m_minus) / s and
// (r + m_plus) / s (included when m is even: round-half-even reads them back as v). Each step takes the next
// digit of r / s and stops as soon as the digits so far, or those with the last one raised, fall between the
// halfway points.
Digits shortest_digits(std::uint64_t m, int e, bool lower_gap_is_half) {
  const bool even = (m & 1U) == 0;
  // v = r / s; m_plus = m_minus, or twice it where the double below is closer (m a power of two).
  const int half_shift = lower_gap_is_half ? 1 : 0;
  BigUint r(m);
  BigUint s(lower_gap_is_half ? 4 : 2);
  BigUint m_minus(1);
  if (e >= 0) {
    r.shift_left(e + 1 + half_shift);
    m_minus.shift_left(e);
  } else {
    r.shift_left(1 + half_shift);
    s.shift_left(-e);
  }
  BigUint m_plus_storage(0);
  if (lower_gap_is_half) (m_plus_storage = m_minus).shift_left(1);
  BigUint& m_plus = lower_gap_is_half ? m_plus_storage : m_minus;

  // 10^(k-1) <= 2^floor(log2 v) <= v < 10^(k+1); floor(x * log10 2) is (x * 78913) >> 18 for |x| <= 1650.
  const int log2_v = e + static_cast<int>(std::bit_width(m)) - 1;
  Digits out;
  out.exponent = ((log2_v * 78913) >> 18) + 1;
  for (int i = 0; i < out.exponent; ++i)
    s.times10();
  for (int i = out.exponent; i < 0; ++i) {
    r.times10();
    m_minus.times10();
    if (lower_gap_is_half) m_plus.times10();
  }
  // The estimate is one short when v's upper halfway point reaches 10^k.
  if (compare_sum(r, m_plus, s) >= (even ? 0 : 1)) {
    s.times10();
    ++out.exponent;
  }

  for (;;) {
    r.times10();
    m_minus.times10();
    if (lower_gap_is_half) m_plus.times10();
    char digit = '0';
    while (compare(r, s) >= 0) {  // at most 9 times: r / s < 10
      r -= s;
      ++digit;
    }
    const int low = compare(r, m_minus);
    const bool low_reached = even ? low <= 0 : low < 0;
    const int high = compare_sum(r, m_plus, s);
    const bool high_reached = even ? high >= 0 : high > 0;
    if (low_reached && high_reached) {  // both round back: the closer one, the even one on a tie
      const int twice = compare_sum(r, r, s);
      if (twice > 0 || (twice == 0 && ((digit - '0') & 1) != 0)) ++digit;
    } else if (high_reached) {
      ++digit;  // never past '9': r + m_plus < (10 - digit) * s
    }
    out.digit[static_cast<std::size_t>(out.count++)] = digit;
    if (low_reached || high_reached || out.count == 17) return out;  // 17 digits always round back
  }
}

// Lays the digits out as JavaScript does (shortest_double.hpp); returns the length (<= max_shortest_chars).
std::size_t layout(char* p, bool negative, const Digits& d) {
  char* const start = p;
  if (negative) *p++ = '-';
  const int k = d.count;
  const int n = d.exponent;
  const auto copy = [&](int from, int to) {
    std::memcpy(p, d.digit.data() + from, static_cast<std::size_t>(to - from));
    p += to - from;
  };
  if (k <= n && n <= 21) {
    copy(0, k);
    std::memset(p, '0', static_cast<std::size_t>(n - k));
    p += n - k;
  } else if (0 < n && n <= 21) {
    copy(0, n);
    *p++ = '.';
    copy(n, k);
  } else if (-6 < n && n <= 0) {
    *p++ = '0';
    *p++ = '.';
    std::memset(p, '0', static_cast<std::size_t>(-n));
    p += -n;
    copy(0, k);
  } else {
    copy(0, 1);
    if (k > 1) {
      *p++ = '.';
      copy(1, k);
    }
    *p++ = 'e';
    *p++ = n - 1 < 0 ? '-' : '+';
    p += format_uint(p, static_cast<std::uint64_t>(n - 1 < 0 ? 1 - n : n - 1));
  }
  return static_cast<std::size_t>(p - start);
}

}  // namespace

Result<std::size_t> format_shortest(std::span<char> out, double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  const bool negative = (bits >> 63) != 0;
  const auto biased_exponent = static_cast<int>((bits >> 52) & 0x7FF);
  if (biased_exponent == 0x7FF) return Errc::invalid_argument;  // NaN or infinity
  const std::uint64_t fraction_bits = bits & ((std::uint64_t{1} << 52) - 1);

  std::array<char, max_int_chars + max_shortest_chars> text{};  // format_uint may use max_int_chars
  std::size_t length = 0;
  if (biased_exponent == 0 && fraction_bits == 0) {  // the digit loop needs v > 0
    if (negative) text[length++] = '-';
    text[length++] = '0';
  } else {
    // |v| = m * 2^e exactly (subnormals have no implicit bit). The double below is half as far as the one above
    // when m is the smallest normal significand, unless v is the smallest normal (its neighbour is subnormal).
    const std::uint64_t m = biased_exponent == 0 ? fraction_bits : fraction_bits | (std::uint64_t{1} << 52);
    const int e = biased_exponent == 0 ? -1074 : biased_exponent - 1075;
    const bool lower_gap_is_half = fraction_bits == 0 && biased_exponent > 1;
    length = layout(text.data(), negative, shortest_digits(m, e, lower_gap_is_half));
  }
  if (length > out.size()) return Errc::too_large;
  std::memcpy(out.data(), text.data(), length);
  return length;
}

}  // namespace weft::text
