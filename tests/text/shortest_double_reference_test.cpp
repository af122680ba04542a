// format_shortest against the references Linux has: glibc's strtod (correctly rounded) must read every text
// back as exactly the same double, and libstdc++'s std::to_chars (Ryu: shortest, closest, ties to even) must
// give the same digits and exponent. Linux only (the lx106 has neither in its libraries).
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

#include "text/shortest_double.hpp"

namespace weft::text {
namespace {

// A number's significant digits (no leading or trailing zeros) and its exponent: value = 0.digits * 10^exp.
struct Decimal {
  std::string digits;
  int exponent = 0;
  bool negative = false;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

// Reads "-d.ddde-5", "0.000123", "1200" and the like (what either formatter writes).
Decimal decimal_of(std::string_view text) {
  Decimal d;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    d.negative = true;
    ++i;
  }
  int point = -1;
  int position = 0;  // digits read, leading zeros included
  int leading_zeros = 0;
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] == '.') {
      point = position;
      continue;
    }
    if (d.digits.empty() && text[i] == '0') {
      ++leading_zeros;
    } else {
      d.digits += text[i];
    }
    ++position;
  }
  if (point < 0) point = position;
  d.exponent = point - leading_zeros;
  if (i < text.size()) d.exponent += std::atoi(std::string(text.substr(i + 1)).c_str());
  while (!d.digits.empty() && d.digits.back() == '0')
    d.digits.pop_back();
  return d;
}

std::string shortest(double v) {
  std::array<char, max_shortest_chars> buf{};
  Result<std::size_t> n = format_shortest(buf, v);
  if (!n) return std::string("error: ") + to_string(n.error());
  return std::string(buf.data(), *n);
}

// Checks one double against both references; returns false (after reporting) on the first difference.
bool matches_references(double v) {
  const std::string text = shortest(v);
  const double back = std::strtod(text.c_str(), nullptr);
  if (std::bit_cast<std::uint64_t>(back) != std::bit_cast<std::uint64_t>(v)) {
    ADD_FAILURE() << "\"" << text << "\" reads back as " << back << ", not the double with bits 0x"
                  << std::hex << std::bit_cast<std::uint64_t>(v);
    return false;
  }
  std::array<char, 64> ref{};
  const std::to_chars_result r =
      std::to_chars(ref.data(), ref.data() + ref.size(), v, std::chars_format::scientific);
  const std::string reference(ref.data(), r.ptr);
  if (v != 0 && decimal_of(text) != decimal_of(reference)) {
    ADD_FAILURE() << "\"" << text << "\" differs from std::to_chars' \"" << reference << "\"";
    return false;
  }
  return true;
}

TEST(FormatShortestReference, ReadsBackExactlyAndMatchesToCharsOnRandomBitPatterns) {
  std::mt19937_64 rng(12);
  for (int i = 0; i < 50000; ++i) {  // ~10 s under ASan: well inside the test timeout on a loaded machine
    const double v = std::bit_cast<double>(rng());
    if (!std::isfinite(v)) continue;
    ASSERT_TRUE(matches_references(v));
  }
}

TEST(FormatShortestReference, ReadsBackExactlyAndMatchesToCharsOnEverydayDecimals) {
  // Readings as sensors and apps produce them: a few digits scaled by a power of ten, and sums of such.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const auto digits = static_cast<double>(rng() % 10000000);
    const double v = digits / std::pow(10.0, static_cast<double>(rng() % 12)) * ((i & 1) != 0 ? -1 : 1);
    ASSERT_TRUE(matches_references(v));
    ASSERT_TRUE(matches_references(v + 0.1));
  }
}

TEST(FormatShortestReference, ReadsBackExactlyAndMatchesToCharsAtEveryPowerOfTwoAndItsNeighbours) {
  // Powers of two are where the gap below is half the gap above.
  for (int e = -1074; e <= 1023; ++e) {
    const double v = std::ldexp(1.0, e);
    ASSERT_TRUE(matches_references(v)) << "2^" << e;
    ASSERT_TRUE(matches_references(std::nextafter(v, 0.0))) << "below 2^" << e;
    ASSERT_TRUE(matches_references(std::nextafter(v, HUGE_VAL))) << "above 2^" << e;
  }
}

TEST(FormatShortestReference, WritesEveryPowerOfTenAsOneDigitAndReadsBackItsNeighbours) {
  for (int e = -323; e <= 308; ++e) {
    const std::string written = "1e" + std::to_string(e);
    const double v = std::strtod(written.c_str(), nullptr);
    const Decimal d = decimal_of(shortest(v));
    EXPECT_EQ(d.digits, "1") << written;
    EXPECT_EQ(d.exponent, e + 1) << written;
    ASSERT_TRUE(matches_references(std::nextafter(v, 0.0))) << "below " << written;
    ASSERT_TRUE(matches_references(std::nextafter(v, HUGE_VAL))) << "above " << written;
  }
}

TEST(FormatShortestReference, ReadsBackExactlyOnEverySubnormalBitPatternBelow20000) {
  for (std::uint64_t bits = 1; bits < 20000; ++bits)
    ASSERT_TRUE(matches_references(std::bit_cast<double>(bits)));
}

}  // namespace
}  // namespace weft::text
