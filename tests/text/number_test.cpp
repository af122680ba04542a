#include "text/number.hpp"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>

namespace weft::text {
namespace {

std::string format(double v, FloatFormat f = double_format) {
  std::array<char, max_float_chars> buf{};
  Result<std::size_t> n = format_float(buf, v, f);
  if (!n) return std::string("error: ") + to_string(n.error());
  return std::string(buf.data(), *n);
}
std::string format_f(float v) {
  return format(static_cast<double>(v), float_format);
}

TEST(FormatInt, WritesPlainDecimalWithoutDivision) {
  std::array<char, max_int_chars> buf{};
  const auto f = [&](std::int64_t v) { return std::string(buf.data(), format_int(buf.data(), v)); };
  EXPECT_EQ(f(0), "0");
  EXPECT_EQ(f(7), "7");
  EXPECT_EQ(f(-7), "-7");
  EXPECT_EQ(f(10), "10");
  EXPECT_EQ(f(1000000), "1000000");
  EXPECT_EQ(f(-2147483648LL), "-2147483648");
  EXPECT_EQ(f(std::numeric_limits<std::int64_t>::max()), "9223372036854775807");
  EXPECT_EQ(f(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(std::string(buf.data(), format_uint(buf.data(), 18446744073709551615ULL)),
            "18446744073709551615");
  EXPECT_EQ(std::string(buf.data(), format_uint(buf.data(), 10000000000000000000ULL)),
            "10000000000000000000");
}

TEST(FormatInt, MatchesPrintfOnRandomValues) {
  std::mt19937_64 rng(1);
  std::array<char, max_int_chars> buf{};
  for (int i = 0; i < 20000; ++i) {
    const auto v = static_cast<std::int64_t>(rng() >> (rng() % 64));
    const std::int64_t s = (i & 1) != 0 ? -v : v;
    EXPECT_EQ(std::string(buf.data(), format_int(buf.data(), s)), std::to_string(s));
  }
}

// The float formatting table: plain decimal, sensible precision, -0/NaN/inf handled deliberately.
TEST(FormatFloat, FollowsTheFormattingTable) {
  struct Row {
    double value;
    FloatFormat fmt;
    const char* text;
  };
  const Row rows[] = {
      {0.0, double_format, "0"},
      {-0.0, double_format, "0"},  // never "-0"
      {1.0, double_format, "1"},
      {-1.5, double_format, "-1.5"},
      {0.1, double_format, "0.1"},
      {0.1 + 0.2, double_format, "0.3"},
      {100.0, double_format, "100"},
      {-123.456, double_format, "-123.456"},
      {1.0 / 3, double_format, "0.333333333333333"},
      {2.0 / 3, double_format, "0.666666666666667"},
      {1e15, double_format, "1000000000000000"},
      {123456789012345678.0, double_format, "123456789012346000"},  // no exponent, 15 significant digits
      {999999999999999.9, double_format, "1000000000000000"},       // carry into a new digit
      {9.99e17, double_format, "999000000000000000"},
      {1e-7, double_format, "0.0000001"},
      {1.5e-7, double_format, "0.00000015"},
      {-2.5e-5, double_format, "-0.000025"},
      {1e-15, double_format, "0.000000000000001"},
      {6e-16, double_format, "0.000000000000001"},
      {4e-16, double_format, "0"},
      {-1e-20, double_format, "0"},  // rounds to zero: no "-0"
      {5e-324, double_format, "0"},  // denormal
      {std::numeric_limits<double>::min(), double_format, "0"},
      {0.95, {1, 15}, "0.9"},  // 0.95 is 0.94999999999999995559... in binary: rounded on the exact value
      {0.25, {1, 15}, "0.3"},  // an exact tie rounds away from zero
      {-0.25, {1, 15}, "-0.3"},
      {2.5, {15, 0}, "3"},
      {0.5, {15, 0}, "1"},
      {0.4, {15, 0}, "0"},
      {3.7, {15, 0}, "4"},
      {0.125, {15, 2}, "0.13"},
      {21.4567, {4, 1}, "21.5"},
      {21.4567, {15, 2}, "21.46"},
      {99.96, {3, 15}, "100"},
      {0.099999, {3, 15}, "0.1"},
      {1.0, {17, 17}, "1"},
      {0.1, {17, 17}, "0.10000000000000001"},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(format(r.value, r.fmt), r.text)
        << r.value << " sig " << int{r.fmt.significant_digits} << " dec " << int{r.fmt.max_decimals};
  }
}

TEST(FormatFloat, PrintsFloatsWithSevenSignificantDigits) {
  EXPECT_EQ(format_f(23.4f), "23.4");
  EXPECT_EQ(format_f(0.1f), "0.1");
  EXPECT_EQ(format_f(-17.25f), "-17.25");
  EXPECT_EQ(format_f(1234.5678f), "1234.568");
  EXPECT_EQ(format_f(9.999999f), "9.999999");
  EXPECT_EQ(format_f(123456789.0f), "123456800");
  EXPECT_EQ(format_f(16777216.0f), "16777220");
  EXPECT_EQ(format_f(0.0001234f), "0.0001234");
  EXPECT_EQ(format_f(1e-10f), "0.0000000001");
  EXPECT_EQ(format_f(-0.0f), "0");
}

TEST(FormatFloat, FormatsAFloatFromItsOwnBitsExactlyLikeItsWideningToDouble) {
  std::mt19937 rng(6);
  std::array<char, max_float_chars> a{};
  std::array<char, max_float_chars> b{};
  for (int i = 0; i < 200000; ++i) {
    const float f = std::bit_cast<float>(static_cast<std::uint32_t>(rng()));
    Result<std::size_t> narrow = format_float(a, f);  // the float overload: float_format, no widening
    Result<std::size_t> wide = format_float(b, static_cast<double>(f), float_format);
    ASSERT_EQ(narrow.ok(), wide.ok()) << f;
    if (!narrow) {
      ASSERT_EQ(narrow.error(), wide.error());
      continue;
    }
    ASSERT_EQ(std::string(a.data(), *narrow), std::string(b.data(), *wide)) << f;
  }
  EXPECT_EQ(format_float(a, std::numeric_limits<float>::quiet_NaN()).error(), Errc::invalid_argument);
  EXPECT_EQ(format_float(a, -std::numeric_limits<float>::infinity()).error(), Errc::invalid_argument);
  EXPECT_EQ(format_float(a, 1e19f).error(), Errc::invalid_argument);
  // 1e18f is 999999984306749440 (< 1e18), but its 7 significant digits round up to 10^18: refused too.
  EXPECT_EQ(format_float(a, 1e18f).error(), Errc::invalid_argument);
  EXPECT_EQ(format_float(a, 9.99999e17f).value_or(0), 18U);
  EXPECT_EQ(format_float(a, std::numeric_limits<float>::denorm_min()).value_or(0), 1U);  // "0"
}

TEST(FormatFloat, RejectsNanInfinityAndHugeMagnitudes) {
  std::array<char, max_float_chars> buf{};
  EXPECT_EQ(format_float(buf, std::nan(""), double_format).error(), Errc::invalid_argument);
  EXPECT_EQ(format_float(buf, -std::nan(""), double_format).error(), Errc::invalid_argument);
  EXPECT_EQ(format_float(buf, std::numeric_limits<double>::infinity(), double_format).error(),
            Errc::invalid_argument);
  EXPECT_EQ(format_float(buf, -std::numeric_limits<double>::infinity(), double_format).error(),
            Errc::invalid_argument);
  EXPECT_EQ(format_float(buf, 1e18, double_format).error(), Errc::invalid_argument);
  EXPECT_EQ(format_float(buf, 999999999999999921.0, double_format).error(),
            Errc::invalid_argument);                                             // "1e18"
  EXPECT_EQ(format_float(buf, 999999999999999872.0, {17, 0}).value_or(0), 18U);  // 17 digits: stays below
  EXPECT_EQ(format_float(buf, -1e300, double_format).error(), Errc::invalid_argument);
  EXPECT_EQ(format_float(buf, std::numeric_limits<double>::max(), double_format).error(),
            Errc::invalid_argument);
}

TEST(FormatFloat, RejectsAFormatOutOfRange) {
  std::array<char, max_float_chars> buf{};
  EXPECT_EQ(format_float(buf, 1.0, {0, 3}).error(), Errc::invalid_argument);
  EXPECT_EQ(format_float(buf, 1.0, {18, 3}).error(), Errc::invalid_argument);
  EXPECT_EQ(format_float(buf, 1.0, {7, 18}).error(), Errc::invalid_argument);
}

TEST(FormatFloat, ReportsTooLargeWithoutWritingWhenTheBufferIsShort) {
  std::array<char, 4> buf{'#', '#', '#', '#'};
  EXPECT_EQ(format_float(buf, 12.5, double_format).value_or(0), 4U);
  buf = {'#', '#', '#', '#'};
  EXPECT_EQ(format_float(buf, -12.5, double_format).error(), Errc::too_large);
  EXPECT_EQ(std::string(buf.data(), 4), "####");
}

TEST(FormatFloat, NeverExceedsMaxFloatChars) {
  std::array<char, max_float_chars> buf{};
  for (double v :
       {-999999999999999872.0, -0.000000000000000011, -1.2345678901234567e17, -0.12345678901234567}) {
    EXPECT_TRUE(format_float(buf, v, {17, 17}).ok()) << v;
  }
}

// Reference: glibc prints the exact decimal expansion of a double with %.100e; round that string half away
// from zero at `significant` digits, then lay it out in plain decimal with trailing zeros trimmed.
std::string reference(double v, int significant) {
  char e[160];
  std::snprintf(e, sizeof e, "%.100e", v);
  std::string s(e);
  const bool negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  const std::size_t epos = s.find('e');
  int exponent = std::atoi(s.c_str() + epos + 1);
  std::string digits = s.substr(0, 1) + s.substr(2, epos - 2);  // d.ddd -> dddd
  const bool up = digits[static_cast<std::size_t>(significant)] >= '5';
  digits.resize(static_cast<std::size_t>(significant));
  if (up) {
    int i = significant - 1;
    while (i >= 0 && digits[static_cast<std::size_t>(i)] == '9')
      digits[static_cast<std::size_t>(i--)] = '0';
    if (i >= 0) {
      ++digits[static_cast<std::size_t>(i)];
    } else {
      digits.insert(digits.begin(), '1');
      ++exponent;
    }
  }
  std::string out;
  if (exponent >= 0) {
    while (static_cast<int>(digits.size()) < exponent + 1)
      digits += '0';
    out = digits.substr(0, static_cast<std::size_t>(exponent + 1));
    std::string frac = digits.substr(static_cast<std::size_t>(exponent + 1));
    while (!frac.empty() && frac.back() == '0')
      frac.pop_back();
    if (!frac.empty()) out += "." + frac;
  } else {
    std::string frac = std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    while (!frac.empty() && frac.back() == '0')
      frac.pop_back();
    out = frac.empty() ? "0" : "0." + frac;
  }
  if (negative && out != "0") out = "-" + out;
  return out;
}

TEST(FormatFloat, MatchesExactDigitsRoundedHalfAwayOnRandomValues) {
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> unit(1.0, 10.0);
  std::uniform_int_distribution<int> exponent(-2, 14);
  for (int i = 0; i < 50000; ++i) {
    const double v = unit(rng) * std::pow(10.0, exponent(rng)) * ((i & 1) != 0 ? -1 : 1);
    for (int significant : {1, 3, 7, 15}) {
      ASSERT_EQ(format(v, {static_cast<std::uint8_t>(significant), 17}), reference(v, significant))
          << std::hexfloat << v << " significant " << significant;
    }
  }
}

TEST(FormatFloat, RoundTripsDoublesWithSeventeenDigits) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit(1.0, 10.0);
  std::uniform_int_distribution<int> exponent(0, 16);
  for (int i = 0; i < 20000; ++i) {
    const double v = unit(rng) * std::pow(10.0, exponent(rng));
    const std::string text = format(v, {17, 17});
    ASSERT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
}

TEST(ParseInt, AcceptsStrictDecimal) {
  EXPECT_EQ(*parse_int<int>("0"), 0);
  EXPECT_EQ(*parse_int<int>("42"), 42);
  EXPECT_EQ(*parse_int<int>("-42"), -42);
  EXPECT_EQ(*parse_int<int>("+7"), 7);
  EXPECT_EQ(*parse_int<int>("007"), 7);
  EXPECT_EQ(*parse_int<int>("-0"), 0);
  EXPECT_EQ(*parse_int<std::int32_t>("2147483647"), 2147483647);
  EXPECT_EQ(*parse_int<std::int32_t>("-2147483648"), std::numeric_limits<std::int32_t>::min());
  EXPECT_EQ(*parse_int<std::uint8_t>("255"), 255);
  EXPECT_EQ(*parse_int<std::int64_t>("9223372036854775807"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(*parse_int<std::int64_t>("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(*parse_int<std::uint64_t>("18446744073709551615"), std::numeric_limits<std::uint64_t>::max());
}

TEST(ParseInt, RejectsGarbageAndOutOfRangeAsAProtocolError) {
  for (const char* bad :
       {"", "-", "+", " 1", "1 ", "1.0", "0x10", "1e3", "abc", "--1", "+-1", "1-", "\xd9\xa1"}) {
    EXPECT_EQ(parse_int<int>(bad).error(), Errc::protocol_error) << '"' << bad << '"';
  }
  EXPECT_EQ(parse_int<std::int32_t>("2147483648").error(), Errc::protocol_error);
  EXPECT_EQ(parse_int<std::int32_t>("-2147483649").error(), Errc::protocol_error);
  EXPECT_EQ(parse_int<std::uint8_t>("256").error(), Errc::protocol_error);
  EXPECT_EQ(parse_int<std::uint8_t>("-1").error(), Errc::protocol_error);
  EXPECT_EQ(parse_int<std::uint64_t>("18446744073709551616").error(), Errc::protocol_error);
  EXPECT_EQ(parse_int<std::int64_t>("99999999999999999999999").error(), Errc::protocol_error);
}

TEST(ParseDouble, AcceptsPlainAndExponentNotation) {
  EXPECT_EQ(*parse_double("0"), 0.0);
  EXPECT_TRUE(std::signbit(*parse_double("-0")));
  EXPECT_EQ(*parse_double("1.5"), 1.5);
  EXPECT_EQ(*parse_double("-1.5"), -1.5);
  EXPECT_EQ(*parse_double(".5"), 0.5);
  EXPECT_EQ(*parse_double("5."), 5.0);
  EXPECT_EQ(*parse_double("1e3"), 1000.0);
  EXPECT_EQ(*parse_double("1E-3"), 0.001);
  EXPECT_EQ(*parse_double("+2.5e+2"), 250.0);
  EXPECT_EQ(*parse_double("0.1"), 0.1);
  EXPECT_EQ(*parse_double("3.14159"), 3.14159);
  EXPECT_EQ(*parse_double("00001.5"), 1.5);
  EXPECT_EQ(*parse_double("123456789012345"), 123456789012345.0);
  EXPECT_EQ(*parse_double("1e22"), 1e22);
  EXPECT_EQ(*parse_double("1e-22"), 1e-22);
  EXPECT_EQ(*parse_double("1e-400"), 0.0);  // underflow is zero, not an error
  EXPECT_NEAR(*parse_double("1e300"), 1e300, 1e286);
  EXPECT_NEAR(*parse_double("0.000000000000000000000000000001"), 1e-30, 1e-44);
  EXPECT_NEAR(*parse_double("123456789012345678901234567890"), 1.2345678901234568e29, 1e15);
  EXPECT_EQ(*parse_float("23.4"), 23.4f);
}

TEST(ParseDouble, RejectsGarbageAndOverflowAsAProtocolError) {
  for (const char* bad :
       {"",    ".",   "-",    "+",        "e5",    "1e",  "1e+",   "1.2.3", " 1",  "1 ",    "nan",
        "NaN", "inf", "-inf", "Infinity", "0x1p3", "1,5", "1e400", "--1",   "1..", "1e5.5", "+.e1"}) {
    EXPECT_EQ(parse_double(bad).error(), Errc::protocol_error) << '"' << bad << '"';
  }
  EXPECT_EQ(parse_float("1e39").error(), Errc::protocol_error);
  EXPECT_EQ(parse_float("-1e39").error(), Errc::protocol_error);
}

TEST(ParseDouble, IsCorrectlyRoundedForFifteenDigitDecimals) {
  std::mt19937_64 rng(4);
  for (int i = 0; i < 50000; ++i) {
    const std::uint64_t mantissa = rng() % 1000000000000000ULL;
    const int exponent = static_cast<int>(rng() % 45) - 22;
    const std::string text = std::to_string(mantissa) + "e" + std::to_string(exponent);
    ASSERT_EQ(*parse_double(text), std::strtod(text.c_str(), nullptr)) << text;
  }
}

TEST(ParseDouble, ReadsBackWhatFormatFloatWrites) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(-1000.0, 1000.0);
  for (int i = 0; i < 20000; ++i) {
    const double v = unit(rng);
    const std::string text = format(v);
    const double back = *parse_double(text);
    EXPECT_EQ(format(back), text);
    EXPECT_NEAR(back, v, 1e-12);
  }
}

}  // namespace
}  // namespace weft::text
