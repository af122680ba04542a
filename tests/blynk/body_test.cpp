#include "blynk/body.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace weft::blynk {
namespace {

using namespace std::literals;

std::vector<std::string> fields_of(std::string_view body) {
  std::vector<std::string> out;
  BodyReader r(body);
  while (auto f = r.next())
    out.emplace_back(*f);
  return out;
}
using Fields = std::vector<std::string>;

TEST(BodyReader, SplitsFieldsOnNul) {
  EXPECT_EQ(fields_of("vw\0"
                      "5\0"
                      "1"sv),
            (Fields{"vw", "5", "1"}));
  EXPECT_EQ(fields_of("acon"), (Fields{"acon"}));
}

TEST(BodyReader, AcceptsATrailingNul) {
  EXPECT_EQ(fields_of("vw\0"
                      "5\0"
                      "1\0"sv),
            (Fields{"vw", "5", "1"}));
  EXPECT_EQ(fields_of("acon\0"sv), (Fields{"acon"}));
}

TEST(BodyReader, KeepsEmptyFieldsOtherThanTheTrailingNul) {
  EXPECT_EQ(fields_of("a\0\0b"sv), (Fields{"a", "", "b"}));
  EXPECT_EQ(fields_of("a\0\0"sv), (Fields{"a", ""}));
  EXPECT_EQ(fields_of("\0a"sv), (Fields{"", "a"}));
  EXPECT_EQ(fields_of("\0\0"sv), (Fields{"", ""}));
}

TEST(BodyReader, FindsNoFieldsInAnEmptyBody) {
  EXPECT_TRUE(fields_of("").empty());
  EXPECT_TRUE(fields_of("\0"sv).empty());
  BodyReader none;
  EXPECT_TRUE(none.at_end());
  EXPECT_EQ(none.remaining(), 0U);
  EXPECT_FALSE(none.next().has_value());
}

TEST(BodyReader, HandsOutViewsIntoTheBody) {
  const std::string body =
      "vw\0"
      "5\0"
      "1"s;
  BodyReader r(body);
  EXPECT_EQ(r.next()->data(), body.data());
  EXPECT_EQ(r.next()->data(), body.data() + 3);
}

TEST(BodyReader, CountsAndExposesTheRemainingFields) {
  BodyReader r(
      "vw\0"
      "5\0"
      "1\0"
      "2\0"sv);
  EXPECT_EQ(r.remaining(), 4U);
  (void)r.next();
  (void)r.next();
  EXPECT_EQ(r.remaining(), 2U);
  EXPECT_EQ(r.rest(),
            "1\0"
            "2"sv);
  (void)r.next();
  (void)r.next();
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(r.remaining(), 0U);
}

TEST(BodyReader, ReportsAMissingRequiredFieldAsAProtocolError) {
  BodyReader r("vw"sv);
  EXPECT_EQ(*r.next_required(), "vw");
  EXPECT_EQ(r.next_required().error(), Errc::protocol_error);
}

TEST(BodyReader, ParsesNumericFieldsStrictly) {
  BodyReader r(
      "12\0"
      "-7\0"
      "1.5\0"
      "x\0"
      "2.5"sv);
  EXPECT_EQ(*r.next_int<int>(), 12);
  EXPECT_EQ(*r.next_int<int>(), -7);
  EXPECT_EQ(*r.next_double(), 1.5);
  EXPECT_EQ(r.next_int<int>().error(), Errc::protocol_error);
  EXPECT_EQ(r.next_int<int>().error(), Errc::protocol_error);  // "2.5" is not an int
  EXPECT_EQ(r.next_double().error(), Errc::protocol_error);    // no field left
}

TEST(BodyReader, ConsumesANumericFieldEvenWhenItIsGarbage) {
  BodyReader r(
      "12x\0"
      "+\0"
      "\0"
      "2147483648\0"
      "-2147483648\0"
      "0000000000012"sv);
  EXPECT_EQ(r.next_int<int>().error(), Errc::protocol_error);  // digits, then garbage
  EXPECT_EQ(r.next_int<int>().error(), Errc::protocol_error);  // a sign alone
  EXPECT_EQ(r.next_int<int>().error(), Errc::protocol_error);  // an empty field
  EXPECT_EQ(r.next_int<int>().error(), Errc::protocol_error);  // one past INT_MAX
  EXPECT_EQ(*r.next_int<int>(), -2147483647 - 1);
  EXPECT_EQ(*r.next_int<int>(), 12);  // leading zeros past digits10 are checked, and fine
  EXPECT_TRUE(r.at_end());
}

TEST(BodyReader, ReadsShortUnsignedFieldsWithNextDigits) {
  BodyReader r(
      "7\0"
      "255\0"
      "0255\0"
      "+1\0"
      "\0"
      "1x\0"
      "42"sv);
  EXPECT_EQ(*r.next_digits(3), 7U);
  EXPECT_EQ(*r.next_digits(3), 255U);
  EXPECT_EQ(r.next_digits(3).error(), Errc::protocol_error);  // four digits
  EXPECT_EQ(r.next_digits(3).error(), Errc::protocol_error);  // a sign
  EXPECT_EQ(r.next_digits(3).error(), Errc::protocol_error);  // empty
  EXPECT_EQ(r.next_digits(3).error(), Errc::protocol_error);  // garbage, consumed
  EXPECT_EQ(*r.next_digits(3), 42U);
  EXPECT_EQ(r.next_digits(3).error(), Errc::protocol_error);  // no field left
}

TEST(Value, ViewsStringsWithoutCopying) {
  const std::string s = "hello";
  const Value v(s);
  EXPECT_EQ(v.text(), "hello");
  EXPECT_EQ(v.text().data(), s.data());
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(Value("lit").text(), "lit");
  EXPECT_EQ(Value(std::string_view{}).text(), "");
  EXPECT_EQ(Value("").size(), 0U);
}

TEST(Value, RejectsTextContainingANul) {
  const Value v("a\0b"sv);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.error(), Errc::invalid_argument);
}

TEST(Value, FormatsIntegersOfEveryWidth) {
  EXPECT_EQ(Value(0).text(), "0");
  EXPECT_EQ(Value(-42).text(), "-42");
  EXPECT_EQ(Value(std::uint8_t{255}).text(), "255");
  EXPECT_EQ(Value(std::int8_t{-128}).text(), "-128");
  EXPECT_EQ(Value(65535U).text(), "65535");
  EXPECT_EQ(Value(std::numeric_limits<std::int64_t>::min()).text(), "-9223372036854775808");
  EXPECT_EQ(Value(std::numeric_limits<std::uint64_t>::max()).text(), "18446744073709551615");
  EXPECT_EQ(Value(true).text(), "1");
  EXPECT_EQ(Value(false).text(), "0");
}

TEST(Value, RefusesPlainCharactersAtCompileTime) {
  static_assert(!std::is_constructible_v<Value, char>);
  static_assert(!std::is_constructible_v<Value, char8_t>);
  static_assert(std::is_constructible_v<Value, unsigned char>);
  static_assert(std::is_constructible_v<Value, const char*>);
  static_assert(std::is_constructible_v<Value, std::string>);
  SUCCEED();
}

TEST(Value, FormatsFloatsAndDoublesWithTheirOwnPrecision) {
  EXPECT_EQ(Value(23.4f).text(), "23.4");
  EXPECT_EQ(Value(23.4).text(), "23.4");
  EXPECT_EQ(Value(1.0f / 3).text(), "0.3333333");
  EXPECT_EQ(Value(1.0 / 3).text(), "0.333333333333333");
  EXPECT_EQ(Value::number(21.4567, {4, 1}).text(), "21.5");
}

TEST(Value, CarriesAnErrorForNanAndInfinity) {
  EXPECT_EQ(Value(std::nan("")).error(), Errc::invalid_argument);
  EXPECT_EQ(Value(std::numeric_limits<float>::infinity()).error(), Errc::invalid_argument);
  EXPECT_EQ(Value(-std::numeric_limits<double>::infinity()).error(), Errc::invalid_argument);
}

TEST(Value, StaysValidWhenCopied) {
  const Value a(12345);
  const Value b = a;  // the text lives inside the Value: the copy must not point into `a`
  EXPECT_EQ(b.text(), "12345");
  EXPECT_NE(b.text().data(), a.text().data());
}

TEST(BodyWriter, JoinsFieldsWithSingleNuls) {
  std::array<char, 32> buf{};
  BodyWriter w(buf);
  EXPECT_TRUE(w.add("vw").ok());
  EXPECT_TRUE(w.add(5).ok());
  EXPECT_TRUE(w.add_all(1.5, "x").ok());
  EXPECT_EQ(w.body(),
            "vw\0"
            "5\0"
            "1.5\0"
            "x"sv);
  EXPECT_EQ(w.fields(), 4U);
}

TEST(BodyWriter, WritesNothingOfAFieldThatDoesNotFitAndStaysFailed) {
  std::array<char, 8> buf{};
  BodyWriter w(buf);
  EXPECT_TRUE(w.add("vw").ok());
  EXPECT_TRUE(w.add(123).ok());                     // "vw\0123" = 6 bytes
  EXPECT_EQ(w.add("ab").error(), Errc::too_large);  // would need 3 more
  EXPECT_EQ(w.body(),
            "vw\0"
            "123"sv);
  EXPECT_EQ(w.add("a").error(), Errc::too_large);  // sticky, although it would fit
  EXPECT_EQ(w.error(), Errc::too_large);
  w.clear();
  EXPECT_TRUE(w.add("12345678").ok());  // exactly full
  EXPECT_EQ(w.size(), 8U);
}

TEST(BodyWriter, RejectsAnInvalidValueWithoutWriting) {
  std::array<char, 16> buf{};
  BodyWriter w(buf);
  EXPECT_EQ(w.add(std::nan("")).error(), Errc::invalid_argument);
  EXPECT_EQ(w.size(), 0U);
}

TEST(BodyWriter, CopiesAlreadySeparatedFieldsAsTheyAre) {
  std::array<char, 16> buf{};
  BodyWriter w(buf);
  EXPECT_TRUE(w.add_all("vw", 5).ok());
  EXPECT_TRUE(w.add_fields("a\0b"sv).ok());
  EXPECT_EQ(w.body(),
            "vw\0"
            "5\0"
            "a\0"
            "b"sv);
  EXPECT_EQ(w.fields(), 4U);
  EXPECT_TRUE(w.add_fields("").ok());  // an empty value is one empty field, as add("") writes it
  EXPECT_EQ(w.body(),
            "vw\0"
            "5\0"
            "a\0"
            "b\0"sv);
  EXPECT_EQ(w.add_fields("too long"sv).error(), Errc::too_large);  // all or nothing
  EXPECT_EQ(w.size(), 9U);
}

TEST(Utf8Length, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8_length("abc"), 3U);
  EXPECT_EQ(utf8_length("\xc3\xa9t\xc3\xa9"), 3U);  // "été"
  EXPECT_EQ(utf8_length("\xe2\x82\xac"), 1U);       // euro sign
  EXPECT_EQ(utf8_length("\xf0\x9f\x98\x80"), 1U);   // an emoji
}

}  // namespace
}  // namespace weft::blynk
