#include "blynk/hardware.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "blynk/internal_message.hpp"
#include "blynk/redirect.hpp"
#include "blynk/token_text.hpp"

namespace weft::blynk {
namespace {

using namespace std::literals;

std::vector<std::string> rest_of(BodyReader r) {
  std::vector<std::string> out;
  while (auto f = r.next())
    out.emplace_back(*f);
  return out;
}
using Fields = std::vector<std::string>;

TEST(HardwareOp, MatchesEveryOpOfTheReference) {
  EXPECT_EQ(to_hardware_op("vw"), HardwareOp::virtual_write);
  EXPECT_EQ(to_hardware_op("vr"), HardwareOp::virtual_read);
  EXPECT_EQ(to_hardware_op("dw"), HardwareOp::digital_write);
  EXPECT_EQ(to_hardware_op("dr"), HardwareOp::digital_read);
  EXPECT_EQ(to_hardware_op("aw"), HardwareOp::analog_write);
  EXPECT_EQ(to_hardware_op("ar"), HardwareOp::analog_read);
  EXPECT_EQ(to_hardware_op("pm"), HardwareOp::pin_mode);
  for (const char* other : {"", "v", "vww", "VW", "xw", "pr", "mp", "vm"}) {
    EXPECT_EQ(to_hardware_op(other), HardwareOp::unknown) << other;
  }
  for (auto op :
       {HardwareOp::virtual_write, HardwareOp::virtual_read, HardwareOp::digital_write,
        HardwareOp::digital_read, HardwareOp::analog_write, HardwareOp::analog_read, HardwareOp::pin_mode}) {
    EXPECT_EQ(to_hardware_op(to_string(op)), op);
  }
  static_assert(to_hardware_op("vw") == HardwareOp::virtual_write);
}

TEST(ParsePin, AcceptsZeroTo255Only) {
  EXPECT_EQ(*parse_pin("0"), 0);
  EXPECT_EQ(*parse_pin("5"), 5);
  EXPECT_EQ(*parse_pin("255"), 255);
  for (const char* bad : {"", "256", "999", "-1", "+1", "V5", " 5", "5 ", "1000", "0255"}) {
    EXPECT_EQ(parse_pin(bad).error(), Errc::protocol_error) << bad;
  }
}

TEST(ParseHardware, SplitsAVirtualWriteIntoPinAndValues) {
  Result<HardwareMessage> m = parse_hardware(
      "vw\0"
      "5\0"
      "21.5"sv);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->op, HardwareOp::virtual_write);
  EXPECT_EQ(m->pin, 5);
  EXPECT_EQ(rest_of(m->values), (Fields{"21.5"}));
}

TEST(ParseHardware, KeepsEveryValueOfAMultiValueWrite) {
  Result<HardwareMessage> m = parse_hardware(
      "vw\0"
      "255\0"
      "1\0"
      "two\0"
      "3.5"sv);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->pin, 255);
  EXPECT_EQ(rest_of(m->values), (Fields{"1", "two", "3.5"}));
}

TEST(ParseHardware, AcceptsATrailingNulAndReadsAnEmptyWriteAsNoValue) {
  Result<HardwareMessage> m = parse_hardware(
      "vw\0"
      "5\0"
      "1\0"sv);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(rest_of(m->values), (Fields{"1"}));
  Result<HardwareMessage> empty = parse_hardware(
      "vw\0"
      "5\0"sv);  // the official client's write of ""
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->values.at_end());
}

TEST(ParseHardware, ParsesReadsAndPhysicalWrites) {
  Result<HardwareMessage> vr = parse_hardware(
      "vr\0"
      "7"sv);
  ASSERT_TRUE(vr.ok());
  EXPECT_EQ(vr->op, HardwareOp::virtual_read);
  EXPECT_EQ(vr->pin, 7);
  EXPECT_TRUE(vr->values.at_end());
  Result<HardwareMessage> dw = parse_hardware(
      "dw\0"
      "2\0"
      "1"sv);
  ASSERT_TRUE(dw.ok());
  EXPECT_EQ(dw->op, HardwareOp::digital_write);
  EXPECT_EQ(rest_of(dw->values), (Fields{"1"}));
  Result<HardwareMessage> ar = parse_hardware(
      "ar\0"
      "17"sv);
  ASSERT_TRUE(ar.ok());
  EXPECT_EQ(ar->op, HardwareOp::analog_read);
  EXPECT_EQ(ar->pin, 17);
}

TEST(ParseHardware, RejectsMalformedBodiesAsAProtocolError) {
  const std::string_view bad[] = {
      ""sv,      // no op
      "vw"sv,    // no pin
      "vw\0"sv,  // no pin (trailing NUL)
      "vw\0"
      "x\0"
      "1"sv,  // pin not a number
      "vw\0"
      "256\0"
      "1"sv,  // pin out of range
      "vw\0"
      "-1\0"
      "1"sv,  // negative pin
      "vr\0"
      ""sv,  // empty pin
      "dw\0"
      "2"sv,  // digital write without value
      "dw\0"
      "2\0"
      "1\0"
      "0"sv,  // digital write with two values
      "aw\0"
      "2"sv,   // analog write without value
      "pm"sv,  // pin mode without pairs
      "pm\0"
      "2"sv,  // pin without mode
      "pm\0"
      "2\0"
      "out\0"
      "3"sv,  // odd field count
      "pm\0"
      "2\0"
      "sideways"sv,  // unknown mode
      "pm\0"
      "x\0"
      "out"sv,  // bad pin
  };
  for (std::string_view body : bad) {
    EXPECT_EQ(parse_hardware(body).error(), Errc::protocol_error) << '"' << body << '"';
  }
}

TEST(ParseHardware, SplitsOpsThatAreNotTwoLettersLikeAnyOtherField) {
  // An op field holding NULs or more than two bytes is unknown; the fields after it are kept as they are.
  Result<HardwareMessage> nuls = parse_hardware("\0\0\0"sv);
  ASSERT_TRUE(nuls.ok());
  EXPECT_EQ(nuls->op, HardwareOp::unknown);
  EXPECT_EQ(nuls->op_name, "");
  EXPECT_EQ(rest_of(nuls->values), (Fields{"", ""}));
  Result<HardwareMessage> longer = parse_hardware(
      "vwx\0"
      "1"sv);
  ASSERT_TRUE(longer.ok());
  EXPECT_EQ(longer->op, HardwareOp::unknown);
  EXPECT_EQ(longer->op_name, "vwx");
  EXPECT_EQ(rest_of(longer->values), (Fields{"1"}));
}

TEST(ParseHardware, LetsAnUnknownOpThroughSoTheSessionCanAnswerIllegalCommand) {
  Result<HardwareMessage> m = parse_hardware(
      "xx\0"
      "1\0"
      "2"sv);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->op, HardwareOp::unknown);
  EXPECT_EQ(m->op_name, "xx");
  EXPECT_EQ(rest_of(m->values), (Fields{"1", "2"}));
}

TEST(ParseHardware, ValidatesAndReadsPinModePairs) {
  Result<HardwareMessage> m = parse_hardware(
      "pm\0"
      "1\0"
      "in\0"
      "2\0"
      "out\0"
      "3\0"
      "pwm\0"
      "4\0"
      "pu\0"
      "5\0"
      "pd"sv);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->op, HardwareOp::pin_mode);
  PinModeReader pairs(m->values);
  std::vector<std::pair<int, PinMode>> got;
  while (auto e = pairs.next())
    got.emplace_back(e->pin, e->mode);
  const std::vector<std::pair<int, PinMode>> want = {{1, PinMode::input},
                                                     {2, PinMode::output},
                                                     {3, PinMode::pwm},
                                                     {4, PinMode::input_pullup},
                                                     {5, PinMode::input_pulldown}};
  EXPECT_EQ(got, want);
  for (auto mode :
       {PinMode::input, PinMode::output, PinMode::pwm, PinMode::input_pullup, PinMode::input_pulldown}) {
    EXPECT_EQ(*parse_pin_mode(to_string(mode)), mode);
  }
}

TEST(ParseInternal, MatchesEveryOpOfTheReference) {
  EXPECT_EQ(to_internal_op("rtc"), InternalOp::rtc);
  EXPECT_EQ(to_internal_op("utc"), InternalOp::utc);
  EXPECT_EQ(to_internal_op("acon"), InternalOp::app_connected);
  EXPECT_EQ(to_internal_op("adis"), InternalOp::app_disconnected);
  EXPECT_EQ(to_internal_op("ota"), InternalOp::ota);
  EXPECT_EQ(to_internal_op("meta"), InternalOp::meta);
  EXPECT_EQ(to_internal_op("what"), InternalOp::unknown);
  Result<InternalMessage> ota = parse_internal(
      "ota\0"
      "http://host/fw.bin"sv);
  ASSERT_TRUE(ota.ok());
  EXPECT_EQ(ota->op, InternalOp::ota);
  EXPECT_EQ(rest_of(ota->args), (Fields{"http://host/fw.bin"}));
  Result<InternalMessage> acon = parse_internal("acon"sv);
  ASSERT_TRUE(acon.ok());
  EXPECT_EQ(acon->op, InternalOp::app_connected);
  EXPECT_TRUE(acon->args.at_end());
  EXPECT_EQ(parse_internal("").error(), Errc::protocol_error);
  Result<InternalMessage> other = parse_internal(
      "xyz\0"
      "1"sv);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->op, InternalOp::unknown);
  EXPECT_EQ(other->op_name, "xyz");
}

TEST(ParseRtc, ReadsTheEpochSecondsOfTheServersAnswer) {
  EXPECT_EQ(*parse_rtc("rtc\0"
                       "1700000000"sv),
            1700000000);
  EXPECT_EQ(parse_rtc("rtc"sv).error(), Errc::protocol_error);
  EXPECT_EQ(parse_rtc("rtc\0"
                      "soon"sv)
                .error(),
            Errc::protocol_error);
  EXPECT_EQ(parse_rtc("rtc\0"
                      "-5"sv)
                .error(),
            Errc::protocol_error);
  EXPECT_EQ(parse_rtc("utc\0"
                      "5"sv)
                .error(),
            Errc::protocol_error);
}

TEST(ParseRedirect, ReadsHostAndOptionalPort) {
  Result<Redirect> r = parse_redirect(
      "blynk.example\0"
      "8080"sv);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->host, "blynk.example");
  EXPECT_EQ(r->port, 8080);
  Result<Redirect> no_port = parse_redirect("10.0.0.1"sv);
  ASSERT_TRUE(no_port.ok());
  EXPECT_FALSE(no_port->port.has_value());
  for (std::string_view bad : {""sv,
                               "\0"
                               "80"sv,
                               "h\0"
                               "0"sv,
                               "h\0"
                               "65536"sv,
                               "h\0"
                               "x"sv,
                               "h\0"
                               "80\0"
                               "x"sv}) {
    EXPECT_EQ(parse_redirect(bad).error(), Errc::protocol_error) << '"' << bad << '"';
  }
}

TEST(TokenText, ShowsTheFirstFourCharactersAndAHashNeverTheWholeToken) {
  const std::string token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
  const std::string text = token_text(token).c_str();
  EXPECT_EQ(text.substr(0, 4), "AbCd");
  EXPECT_EQ(text.find("EfGh"), std::string::npos) << text;
  EXPECT_EQ(text, token_text(token).c_str());  // the same token: the same text, to match log lines
  EXPECT_NE(text, token_text("AbCdEfGhIjKlMnOpQrStUvWxYz012346").c_str());
  EXPECT_EQ(std::string(token_text("a\nb").c_str()).substr(0, 3), "a?b");  // one printable line
  EXPECT_EQ(std::string(token_text("").c_str()).substr(0, 4), "\xE2\x80\xA6#");
}

}  // namespace
}  // namespace weft::blynk
