// format_shortest on values whose text is known (the expected strings are JavaScript's String(v), which
// prints the same digits and layout). Runs on Linux and on the lx106 under QEMU; the comparisons against
// strtod and std::to_chars on many values are in shortest_double_reference_test.cpp (Linux).
#include "text/shortest_double.hpp"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <string>

namespace weft::text {
namespace {

std::string shortest(double v) {
  std::array<char, max_shortest_chars> buf{};
  Result<std::size_t> n = format_shortest(buf, v);
  if (!n) return std::string("error: ") + to_string(n.error());
  return std::string(buf.data(), *n);
}

double from_bits(std::uint64_t bits) {
  return std::bit_cast<double>(bits);
}

struct Row {
  double value;
  const char* text;
};

TEST(FormatShortest, WritesTheFewestDigitsThatReadBackAsTheSameDouble) {
  constexpr Row rows[] = {
      {0.1, "0.1"},
      {0.2, "0.2"},
      {1.1, "1.1"},
      {4.35, "4.35"},
      {23.4, "23.4"},
      {123.456, "123.456"},
      {0.5, "0.5"},
      {1, "1"},
      {100, "100"},
      {3.141592653589793, "3.141592653589793"},
      {2.718281828459045, "2.718281828459045"},
      {6.02214076e23, "6.02214076e+23"},
      {static_cast<double>(23.4F), "23.399999618530273"},  // a float widened keeps the float's error
  };
  for (const Row& row : rows)
    EXPECT_EQ(shortest(row.value), row.text);
  EXPECT_EQ(shortest(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(shortest(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(shortest(2.0 / 3), "0.6666666666666666");
}

TEST(FormatShortest, ChoosesTheClosestOfTheShortestCandidates) {
  EXPECT_EQ(shortest(1e23), "1e+23");  // the double is 9.999999999999999161e22: "1e+23" reads back to it
  EXPECT_EQ(shortest(9223372036854775808.0), "9223372036854776000");    // 2^63
  EXPECT_EQ(shortest(18446744073709551616.0), "18446744073709552000");  // 2^64
  EXPECT_EQ(shortest(9007199254740992.0), "9007199254740992");          // 2^53: the gap below is half
  EXPECT_EQ(shortest(8.98846567431158e307), "8.98846567431158e+307");   // 2^1023
  EXPECT_EQ(shortest(4294967296.0), "4294967296");
}

TEST(FormatShortest, ReachesBothEndsOfTheRange) {
  EXPECT_EQ(shortest(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(shortest(std::numeric_limits<double>::min()), "2.2250738585072014e-308");
  EXPECT_EQ(shortest(-std::numeric_limits<double>::min()), "-2.2250738585072014e-308");
  EXPECT_EQ(shortest(std::numeric_limits<double>::denorm_min()), "5e-324");
  EXPECT_EQ(shortest(from_bits(2)), "1e-323");
  EXPECT_EQ(shortest(from_bits(3)), "1.5e-323");
  EXPECT_EQ(shortest(from_bits(0x000FFFFFFFFFFFFF)), "2.225073858507201e-308");  // the largest subnormal
  EXPECT_EQ(shortest(5e-310), "5e-310");
  EXPECT_EQ(shortest(1e300), "1e+300");
  EXPECT_EQ(shortest(from_bits(0x7FEFFFFFFFFFFFFE)), "1.7976931348623155e+308");
}

TEST(FormatShortest, SwitchesToAnExponentOutsideOneMillionthTo1e21) {
  EXPECT_EQ(shortest(1e20), "100000000000000000000");
  EXPECT_EQ(shortest(123456789012345678901.0), "123456789012345680000");
  EXPECT_EQ(shortest(999999999999999900000.0), "999999999999999900000");  // 1e21's predecessor
  EXPECT_EQ(shortest(1e21), "1e+21");
  EXPECT_EQ(shortest(8.41e21), "8.41e+21");
  EXPECT_EQ(shortest(1e15), "1000000000000000");
  EXPECT_EQ(shortest(1e17), "100000000000000000");
  EXPECT_EQ(shortest(0.000001), "0.000001");
  EXPECT_EQ(shortest(2.5e-5), "0.000025");
  EXPECT_EQ(shortest(1.2345e-6), "0.0000012345");
  EXPECT_EQ(shortest(1e-7), "1e-7");
  EXPECT_EQ(shortest(5e-7), "5e-7");
  EXPECT_EQ(shortest(1.5e-7), "1.5e-7");
  EXPECT_EQ(shortest(1.2345e-7), "1.2345e-7");
  EXPECT_EQ(shortest(123e-20), "1.23e-18");
}

TEST(FormatShortest, KeepsTheSignOfNegativeValuesAndOfNegativeZero) {
  EXPECT_EQ(shortest(-1.5), "-1.5");
  EXPECT_EQ(shortest(-1e-7), "-1e-7");
  EXPECT_EQ(shortest(-1e21), "-1e+21");
  EXPECT_EQ(shortest(0.0), "0");
  EXPECT_EQ(shortest(-0.0), "-0");  // reads back as -0.0 (JavaScript's toString would say "0")
}

TEST(FormatShortest, NeedsAtMostMaxShortestCharsAndTheLongestTextUsesThemAll) {
  EXPECT_EQ(shortest(-4.3295964989327135e-06), "-0.0000043295964989327135");
  EXPECT_EQ(shortest(-4.3295964989327135e-06).size(), max_shortest_chars);
}

TEST(FormatShortest, RefusesNanAndInfinityAndWritesNothing) {
  std::array<char, max_shortest_chars> buf{};
  buf.fill('#');
  for (double v : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    Result<std::size_t> n = format_shortest(buf, v);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.error(), Errc::invalid_argument);
  }
  EXPECT_EQ(std::string(buf.data(), buf.size()), std::string(max_shortest_chars, '#'));
}

TEST(FormatShortest, RefusesABufferShorterThanTheTextAndWritesNothing) {
  std::array<char, 19> buf{};
  buf.fill('#');
  const double v = 0.1 + 0.2;  // "0.30000000000000004": 19 characters
  Result<std::size_t> n = format_shortest(std::span<char>(buf.data(), 18), v);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error(), Errc::too_large);
  EXPECT_EQ(std::string(buf.data(), buf.size()), std::string(19, '#'));
  n = format_shortest(buf, v);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf.data(), *n), "0.30000000000000004");
  EXPECT_EQ(format_shortest(std::span<char>(), 0.0).error(), Errc::too_large);
  EXPECT_EQ(format_shortest(std::span<char>(buf.data(), 1), -0.0).error(), Errc::too_large);
}

TEST(FormatShortest, WritesPowersOfTenAsOneDigit) {
  constexpr Row rows[] = {
      {1e-323, "1e-323"},
      {1e-320, "1e-320"},
      {1e-310, "1e-310"},
      {1e-308, "1e-308"},
      {1e-300, "1e-300"},
      {1e-200, "1e-200"},
      {1e-100, "1e-100"},
      {1e-22, "1e-22"},
      {1e-10, "1e-10"},
      {1e-7, "1e-7"},
      {1e-6, "0.000001"},
      {1e-1, "0.1"},
      {1e0, "1"},
      {1e1, "10"},
      {1e6, "1000000"},
      {1e16, "10000000000000000"},
      {1e20, "100000000000000000000"},
      {1e21, "1e+21"},
      {1e22, "1e+22"},
      {1e23, "1e+23"},
      {1e50, "1e+50"},
      {1e100, "1e+100"},
      {1e200, "1e+200"},
      {1e300, "1e+300"},
      {1e308, "1e+308"},
  };
  for (const Row& row : rows)
    EXPECT_EQ(shortest(row.value), row.text);
}

}  // namespace
}  // namespace weft::text
