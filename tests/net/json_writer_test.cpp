#include "net/http/json_writer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "core/test_support.hpp"

namespace weft::net {
namespace {

std::string finished(const JsonWriter& w) {
  Result<std::string_view> r = w.finish();
  if (!r) return std::string("error: ") + to_string(r.error());
  return std::string(*r);
}

TEST(JsonWriter, WritesTheSeedsWebhookBody) {
  char buf[64];
  JsonWriter json(buf);
  json.begin_object().member("value1", "micropython1").end_object();
  EXPECT_EQ(finished(json), R"({"value1":"micropython1"})");
}

TEST(JsonWriter, NestsObjectsAndArraysWithEveryValueType) {
  char buf[256];
  JsonWriter json(buf);
  json.begin_object()
      .member("n", -42)
      .member("u", std::uint64_t{18446744073709551615u})
      .member("min", std::numeric_limits<std::int64_t>::min())
      .member("f", 0.1)
      .member("big", 1e300)
      .member("t", true)
      .key("list")
      .begin_array()
      .value(1)
      .value("two")
      .null()
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .end_array()
      .end_object();
  EXPECT_EQ(finished(json),
            R"({"n":-42,"u":18446744073709551615,"min":-9223372036854775808,"f":0.1,"big":1e+300,"t":true,)"
            R"("list":[1,"two",null,{},[]]})");
}

TEST(JsonWriter, WritesDoublesAsTheShortestTextThatReadsBackWithoutPrintf) {
  char buf[256];
  JsonWriter json(buf);
  json.begin_array()
      .value(0.1 + 0.2)
      .value(1.0 / 3)
      .value(23.5)
      .value(100.0)
      .value(-0.0)
      .value(1e21)
      .value(1.5e-7)
      .value(0.000001)
      .value(5e-324)
      .value(std::numeric_limits<double>::max())
      .end_array();
  EXPECT_EQ(finished(json),
            "[0.30000000000000004,0.3333333333333333,23.5,100,-0,1e+21,1.5e-7,0.000001,5e-324,"
            "1.7976931348623157e+308]");
}

TEST(JsonWriter, RefusesADoubleThatDoesNotFitAndWritesNoPartOfIt) {
  char buf[12];
  JsonWriter json(buf);
  json.begin_array().value(1.0).value(0.1 + 0.2).end_array();
  EXPECT_EQ(finished(json), "error: too large");
  EXPECT_EQ(json.text(), "[1,");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  char buf[128];
  JsonWriter json(buf);
  json.value("a\"b\\c\n\r\t\b\f\x01\x1f\x7f/é");
  EXPECT_EQ(finished(json), "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\x7f/é\"");
}

TEST(JsonWriter, EscapesKeysToo) {
  char buf[64];
  JsonWriter json(buf);
  json.begin_object().member("k\"\n", 1).end_object();
  EXPECT_EQ(finished(json), R"({"k\"\n":1})");
}

TEST(JsonWriter, CopiesValidUtf8AsItIs) {
  char buf[64];
  JsonWriter ok(buf);
  ok.value("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd");  // é € 😀 and a real U+FFFD
  EXPECT_EQ(finished(ok), "\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd\"");
}

TEST(JsonWriter, ReplacesEachIllFormedUtf8SubpartWithOneReplacementCharacter) {
  const std::pair<const char*, const char*> cases[] = {
      {"\xff", R"("\ufffd")"},  // never a UTF-8 byte
      {"a\x80"
       "b",
       R"("a\ufffdb")"},        // a lone continuation byte
      {"\xc3", R"("\ufffd")"},  // truncated at the end
      {"\xe2\x82"
       "a",
       R"("\ufffda")"},                                         // truncated 3-byte sequence: one subpart
      {"\xf0\x9f\x98", R"("\ufffd")"},                          // truncated 4-byte sequence: one subpart
      {"\xc0\xaf", R"("\ufffd\ufffd")"},                        // overlong: C0 never starts a sequence
      {"\xe0\x80\x80", R"("\ufffd\ufffd\ufffd")"},              // overlong 3-byte form
      {"\xed\xa0\x80", R"("\ufffd\ufffd\ufffd")"},              // a UTF-16 surrogate
      {"\xf4\x90\x80\x80", R"("\ufffd\ufffd\ufffd\ufffd")"},    // beyond U+10FFFF
      {"\xc3\xa9\xff\xc3\xa9", "\"\xc3\xa9\\ufffd\xc3\xa9\""},  // valid text around it is kept
  };
  for (const auto& [bad, want] : cases) {
    char buf[64];
    JsonWriter w(buf);
    w.value(bad);
    EXPECT_EQ(finished(w), want) << "input " << ::testing::PrintToString(std::string(bad));
  }
}

TEST(JsonWriter, EscapesEveryControlCharacterAndAnEmbeddedNul) {
  std::string all;
  for (int c = 0; c < 0x20; ++c)
    all += static_cast<char>(c);
  char buf[256];
  JsonWriter w(buf);
  w.value(all);
  EXPECT_EQ(
      finished(w),
      R"("\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f)"
      R"(\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f")");
  JsonWriter nul(buf);
  nul.value(std::string_view("a\0b", 3));
  EXPECT_EQ(finished(nul), R"("a\u0000b")");
}

TEST(JsonText, GrowsForAMegabyteStringAndKeepsTheEscapingRules) {
  std::string big(1 << 20, 'x');
  big[1000] = '"';
  big[5000] = '\xff';
  JsonText json;
  json.begin_array().value(big).value(big).end_array();
  std::string want = big;
  want.replace(5000, 1, "\\ufffd");
  want.replace(1000, 1, "\\\"");
  want = "[\"" + want + "\",\"" + want + "\"]";
  ASSERT_TRUE(json.finish().ok());
  EXPECT_EQ(json.str(), want);
}

TEST(JsonText, ReportsMisuseLikeJsonWriter) {
  JsonText json;
  json.begin_object().value(1);
  EXPECT_EQ(json.finish().error(), Errc::invalid_argument);
}

TEST(JsonWriter, ALongStringThatDoesNotFitIsTooLarge) {
  char buf[64];
  JsonWriter w(buf);
  w.value(std::string(100, 'a'));
  EXPECT_EQ(finished(w), "error: too large");
}

TEST(JsonWriter, ReportsAFullBufferAndWritesNothingPastIt) {
  char buf[12];
  std::fill(std::begin(buf), std::end(buf), '#');
  JsonWriter json(std::span<char>(buf, 10));
  json.begin_object().member("value1", "micropython1").end_object();
  EXPECT_EQ(finished(json), "error: too large");
  EXPECT_EQ(buf[10], '#');
  EXPECT_EQ(buf[11], '#');
}

TEST(JsonWriter, RefusesMisuseWithAStickyError) {
  char buf[64];
  auto error_of = [&](auto build) {
    JsonWriter w(buf);
    build(w);
    return finished(w);
  };
  EXPECT_EQ(error_of([](JsonWriter& w) { w.begin_object().value(1); }), "error: invalid argument");
  EXPECT_EQ(error_of([](JsonWriter& w) { w.begin_array().key("k"); }), "error: invalid argument");
  EXPECT_EQ(error_of([](JsonWriter& w) { w.begin_object().end_array(); }), "error: invalid argument");
  EXPECT_EQ(error_of([](JsonWriter& w) { w.begin_object().key("a").end_object(); }),
            "error: invalid argument");
  EXPECT_EQ(error_of([](JsonWriter& w) { w.begin_object(); }), "error: invalid argument");
  EXPECT_EQ(error_of([](JsonWriter&) {}), "error: invalid argument");
  EXPECT_EQ(error_of([](JsonWriter& w) { w.value(1).value(2); }), "error: invalid argument");
  EXPECT_EQ(error_of([](JsonWriter& w) { w.value(std::numeric_limits<double>::quiet_NaN()); }),
            "error: invalid argument");
  EXPECT_EQ(error_of([](JsonWriter& w) { w.value(std::numeric_limits<double>::infinity()); }),
            "error: invalid argument");
  EXPECT_EQ(error_of([](JsonWriter& w) {
              for (int i = 0; i <= JsonWriter::kMaxDepth; ++i)
                w.begin_array();
            }),
            "error: invalid argument");
  JsonWriter w(buf);
  w.begin_object().value(1).key("late").value(2).end_object();  // calls after the error do nothing
  EXPECT_EQ(w.error(), Errc::invalid_argument);
  EXPECT_EQ(w.text(), "{");
}

TEST(JsonWriter, NestsUpToTheMaximumDepth) {
  char buf[64];
  JsonWriter w(buf);
  for (int i = 0; i < JsonWriter::kMaxDepth; ++i)
    w.begin_array();
  for (int i = 0; i < JsonWriter::kMaxDepth; ++i)
    w.end_array();
  EXPECT_EQ(finished(w), std::string(16, '[') + std::string(16, ']'));
}

}  // namespace
}  // namespace weft::net
