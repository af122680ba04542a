#include "blynk/frame_writer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "blynk/frame_parser.hpp"
#include "blynk/message_id.hpp"
#include "test_util.hpp"

namespace weft::blynk {
namespace {

using namespace std::literals;
using test::hex;
using test::raw_frame;

constexpr std::string_view kToken = "0123456789abcdefABCDEF_-xyzXYZ09";

// A writer over a buffer pre-filled with '#', so that tests can see whether anything was written.
struct Fixture {
  explicit Fixture(std::size_t n = 512) : buffer(n, '#'), writer(buffer) {}
  [[nodiscard]] bool untouched_after(std::size_t from) const {
    for (std::size_t i = from; i < buffer.size(); ++i) {
      if (buffer[i] != '#') return false;
    }
    return true;
  }
  std::vector<char> buffer;
  FrameWriter writer;
};

// Builds one frame with `build` and returns its bytes as hex.
template <typename Build>
std::string built(Build build) {
  Fixture f;
  const Status s = build(f.writer);
  EXPECT_TRUE(s.ok()) << to_string(s.error());
  return hex(f.writer.data());
}

TEST(FrameWriter, BuildsAResponseWithTheStatusInTheLengthField) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.response(1, StatusCode::ok); }), "00 00 01 00 c8");
  EXPECT_EQ(built([](FrameWriter& w) { return w.response(0xABCD, StatusCode::illegal_command); }),
            "00 ab cd 00 02");
  EXPECT_EQ(built([](FrameWriter& w) { return w.response(2, static_cast<StatusCode>(0x1234)); }),
            "00 00 02 12 34");
}

TEST(FrameWriter, BuildsAPingWithAnEmptyBody) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.ping(2); }), "06 00 02 00 00");
}

TEST(FrameWriter, BuildsHwLoginAndLegacyLoginWithTheTokenAsBody) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.hw_login(1, kToken); }), "1d 00 01 00 20 " + hex(kToken));
  EXPECT_EQ(built([](FrameWriter& w) { return w.login(1, kToken); }), "02 00 01 00 20 " + hex(kToken));
}

TEST(FrameWriter, BuildsAVirtualWriteOfAnInt) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.virtual_write(7, 5, 1); }),
            "14 00 07 00 06 76 77 00 35 00 31");
}

TEST(FrameWriter, BuildsAVirtualWriteOfAFloat) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.virtual_write(8, 10, 21.5); }),
            "14 00 08 00 0a 76 77 00 31 30 00 32 31 2e 35");
  EXPECT_EQ(built([](FrameWriter& w) { return w.virtual_write(8, 10, -0.0); }),
            "14 00 08 00 07 76 77 00 31 30 00 30");
}

TEST(FrameWriter, BuildsAVirtualWriteOfAString) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.virtual_write(9, 0, "hi"); }),
            "14 00 09 00 07 76 77 00 30 00 68 69");
  EXPECT_EQ(built([](FrameWriter& w) { return w.virtual_write(9, 0, std::string("hi")); }),
            "14 00 09 00 07 76 77 00 30 00 68 69");
}

TEST(FrameWriter, BuildsAMultiValueVirtualWrite) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.virtual_write(10, 255, 1, 2.5f, "x", true); }),
            "14 00 0a 00 10 76 77 00 32 35 35 00 31 00 32 2e 35 00 78 00 31");
}

TEST(FrameWriter, BuildsAVirtualWriteFromARuntimeListOfValues) {
  std::vector<Value> values;
  for (int i = 1; i <= 3; ++i)
    values.emplace_back(i * 10);
  EXPECT_EQ(built([&](FrameWriter& w) { return w.virtual_write(1, 2, values); }),
            "14 00 01 00 0d 76 77 00 32 00 31 30 00 32 30 00 33 30");
  EXPECT_EQ(built([](FrameWriter& w) { return w.virtual_write(1, 2, std::span<const Value>{}); }),
            "14 00 01 00 04 76 77 00 32");
}

TEST(FrameWriter, BuildsDigitalAndAnalogWrites) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.digital_write(11, 2, 1); }),
            "14 00 0b 00 06 64 77 00 32 00 31");
  EXPECT_EQ(built([](FrameWriter& w) { return w.analog_write(12, 4, 1023); }),
            "14 00 0c 00 09 61 77 00 34 00 31 30 32 33");
}

TEST(FrameWriter, BuildsLcdPrintAndClear) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.lcd_print(13, 1, 0, 1, "Hi"); }),
            "14 00 0d 00 0d 76 77 00 31 00 70 00 30 00 31 00 48 69");
  EXPECT_EQ(built([](FrameWriter& w) { return w.lcd_clear(14, 1); }),
            "14 00 0e 00 08 76 77 00 31 00 63 6c 72");
}

TEST(FrameWriter, BuildsSyncOfAllPinsAndOfListedVirtualPins) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.sync_all(15); }), "10 00 0f 00 00");
  EXPECT_EQ(built([](FrameWriter& w) {
              return w.sync_virtual(16, {1, 20});
            }),
            "10 00 10 00 07 76 72 00 31 00 32 30");
}

TEST(FrameWriter, BuildsBridgeBodies) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.bridge_token(17, 64, kToken); }),
            "0f 00 11 00 25 36 34 00 69 00 " + hex(kToken));
  EXPECT_EQ(built([](FrameWriter& w) { return w.bridge_virtual_write(18, 64, 3, 1); }),
            "0f 00 12 00 09 36 34 00 76 77 00 33 00 31");
  EXPECT_EQ(built([](FrameWriter& w) {
              const Value v[] = {0};
              return w.bridge_write(19, 64, HardwareOp::digital_write, 13, v);
            }),
            "0f 00 13 00 0a 36 34 00 64 77 00 31 33 00 30");
}

TEST(FrameWriter, BuildsPropertyBodies) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.property(20, 5, "color", "#D3435C"); }),
            "13 00 14 00 0f 35 00 63 6f 6c 6f 72 00 23 44 33 34 33 35 43");
  EXPECT_EQ(built([](FrameWriter& w) { return w.property(21, 5, "labels", "a", "b"); }),
            "13 00 15 00 0c 35 00 6c 61 62 65 6c 73 00 61 00 62");
}

TEST(FrameWriter, BuildsNotificationBodies) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.notify(22, "Hi!"); }), "0e 00 16 00 03 48 69 21");
  EXPECT_EQ(built([](FrameWriter& w) { return w.tweet(23, "t"); }), "0c 00 17 00 01 74");
  EXPECT_EQ(built([](FrameWriter& w) { return w.sms(24, "s"); }), "12 00 18 00 01 73");
  EXPECT_EQ(built([](FrameWriter& w) { return w.email(25, "a@b", "S", "B"); }),
            "0d 00 19 00 07 61 40 62 00 53 00 42");
  EXPECT_EQ(built([](FrameWriter& w) { return w.email(26, "S", "B"); }), "0d 00 1a 00 03 53 00 42");
}

TEST(FrameWriter, BuildsEventLogAndClearBodies) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.event_log(27, "door"); }), "40 00 1b 00 04 64 6f 6f 72");
  EXPECT_EQ(built([](FrameWriter& w) { return w.event_log(28, "door", "open"); }),
            "40 00 1c 00 09 64 6f 6f 72 00 6f 70 65 6e");
  EXPECT_EQ(built([](FrameWriter& w) { return w.event_clear(29, "door"); }), "41 00 1d 00 04 64 6f 6f 72");
  EXPECT_EQ(built([](FrameWriter& w) { return w.event_clear_all(30, "door"); }),
            "41 00 1e 00 08 64 6f 6f 72 00 61 6c 6c");
}

TEST(FrameWriter, BuildsInternalBodies) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.rtc_sync(31); }), "11 00 1f 00 08 72 74 63 00 73 79 6e 63");
  EXPECT_EQ(built([](FrameWriter& w) {
              return w.internal(32, {"utc", "time"});
            }),
            "11 00 20 00 08 75 74 63 00 74 69 6d 65");
}

TEST(FrameWriter, BuildsTheInfoMessageFromDeviceInfoLeavingOutEmptyEntries) {
  DeviceInfo info;
  info.version = "0.1.0";
  info.device = "ESP8266";
  info.template_id = "TMPL1234";
  const std::string body =
      "ver\0"
      "0.1.0\0"
      "h-beat\0"
      "45\0"
      "buff-in\0"
      "256\0"
      "dev\0"
      "ESP8266\0"
      "tmpl\0"
      "TMPL1234"s;
  EXPECT_EQ(built([&](FrameWriter& w) { return w.info(1, info); }),
            hex(raw_frame(Command::internal, 1, body)));
}

TEST(FrameWriter, BuildsTheInfoMessageFromKeyValuePairs) {
  const std::string body =
      "ver\0"
      "1.0\0"
      "h-beat\0"
      "10\0"
      "cpu\0"
      "lx106"s;
  EXPECT_EQ(built([](FrameWriter& w) {
              return w.info(2, {{"ver", "1.0"}, {"h-beat", 10}, {"cpu", "lx106"}});
            }),
            hex(raw_frame(Command::internal, 2, body)));
}

TEST(FrameWriter, BuildsGenericFramesAndRawBodies) {
  EXPECT_EQ(built([](FrameWriter& w) { return w.append(Command::group, 0x0102, {"b"}); }),
            "15 01 02 00 01 62");
  EXPECT_EQ(built([](FrameWriter& w) {
              return w.append_body(Command::hardware, 3,
                                   "vw\0"
                                   "1\0"
                                   "x\0"sv);
            }),
            "14 00 03 00 07 76 77 00 31 00 78 00");
}

TEST(FrameWriter, AppendsFramesBackToBackAndConsumesSentBytes) {
  Fixture f;
  MessageIdGenerator ids;
  ASSERT_TRUE(f.writer.ping(ids.next()).ok());
  ASSERT_TRUE(f.writer.virtual_write(ids.next(), 1, 2).ok());
  EXPECT_EQ(hex(f.writer.data()), "06 00 01 00 00 14 00 02 00 06 76 77 00 31 00 32");
  f.writer.consume(5);
  EXPECT_EQ(hex(f.writer.data()), "14 00 02 00 06 76 77 00 31 00 32");
  f.writer.consume(100);
  EXPECT_TRUE(f.writer.empty());
  EXPECT_EQ(f.writer.remaining(), f.writer.capacity());
}

TEST(FrameWriter, FillsTheBufferExactlyAndThenRejectsTheNextFrame) {
  Fixture f(11);
  EXPECT_TRUE(f.writer.virtual_write(1, 5, 1).ok());  // 5 + 6 bytes
  EXPECT_EQ(f.writer.remaining(), 0U);
  EXPECT_EQ(f.writer.ping(2).error(), Errc::too_large);
  EXPECT_EQ(f.writer.response(2, StatusCode::ok).error(), Errc::too_large);
  EXPECT_EQ(f.writer.size(), 11U);
}

TEST(FrameWriter, RejectsAValueTooLongForTheBufferBeforeWritingAnything) {
  Fixture f(64);
  ASSERT_TRUE(f.writer.ping(1).ok());
  EXPECT_EQ(f.writer.virtual_write(2, 5, std::string(60, 'x')).error(), Errc::too_large);
  EXPECT_EQ(f.writer.size(), 5U);
  EXPECT_TRUE(f.untouched_after(5));  // not a byte of the rejected frame, not even its header
  EXPECT_EQ(
      f.writer
          .virtual_write(2, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22)
          .error(),
      Errc::too_large);
  EXPECT_EQ(f.writer.lcd_print(3, 1, 0, 0, std::string(60, 'y')).error(), Errc::too_large);
  EXPECT_EQ(f.writer.notify(4, std::string(60, 'z')).error(), Errc::too_large);
  EXPECT_EQ(f.writer.append_body(Command::hardware, 6, std::string(60, 'w')).error(), Errc::too_large);
  DeviceInfo info;
  info.build = "a very long build description that will not fit in the buffer";
  EXPECT_EQ(f.writer.info(7, info).error(), Errc::too_large);
  EXPECT_EQ(f.writer.size(), 5U);
  EXPECT_TRUE(f.untouched_after(5));
}

TEST(FrameWriter, RejectsABodyOver65535Bytes) {
  Fixture f(70000);
  EXPECT_EQ(f.writer.append_body(Command::hardware, 1, std::string(65536, 'x')).error(), Errc::too_large);
  EXPECT_EQ(f.writer.virtual_write(1, 5, std::string(65531, 'x')).error(), Errc::too_large);
  EXPECT_TRUE(f.untouched_after(0));
  EXPECT_TRUE(f.writer.virtual_write(1, 5, std::string(65530, 'x')).ok());  // body exactly 65535
  EXPECT_EQ(f.writer.size(), 5U + 65535U);
}

TEST(FrameWriter, RejectsPinsOutsideZeroTo255) {
  Fixture f;
  for (int pin : {-1, 256, 1000}) {
    EXPECT_EQ(f.writer.virtual_write(1, pin, 1).error(), Errc::invalid_argument) << pin;
    EXPECT_EQ(f.writer.digital_write(1, pin, 1).error(), Errc::invalid_argument) << pin;
    EXPECT_EQ(f.writer.analog_write(1, pin, 1).error(), Errc::invalid_argument) << pin;
    EXPECT_EQ(f.writer.lcd_print(1, pin, 0, 0, "x").error(), Errc::invalid_argument) << pin;
    EXPECT_EQ(f.writer.lcd_clear(1, pin).error(), Errc::invalid_argument) << pin;
    EXPECT_EQ(f.writer.sync_virtual(1, {1, pin}).error(), Errc::invalid_argument) << pin;
    EXPECT_EQ(f.writer.bridge_token(1, pin, kToken).error(), Errc::invalid_argument) << pin;
    EXPECT_EQ(f.writer.bridge_virtual_write(1, pin, 1, 1).error(), Errc::invalid_argument) << pin;
    EXPECT_EQ(f.writer.bridge_virtual_write(1, 1, pin, 1).error(), Errc::invalid_argument) << pin;
    EXPECT_EQ(f.writer.property(1, pin, "color", "#fff").error(), Errc::invalid_argument) << pin;
  }
  EXPECT_TRUE(f.writer.virtual_write(1, 0, 1).ok());
  EXPECT_TRUE(f.writer.virtual_write(1, 255, 1).ok());
  EXPECT_TRUE(f.untouched_after(2 * 11 + 2));
}

TEST(FrameWriter, RejectsOtherInvalidArgumentsWithoutWriting) {
  Fixture f;
  EXPECT_EQ(f.writer.virtual_write(0, 1, 1).error(), Errc::invalid_argument);  // message id 0
  EXPECT_EQ(f.writer.ping(0).error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.response(0, StatusCode::ok).error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.append(Command::response, 1, {"200"}).error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.append_body(Command::response, 1, "").error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.digital_write(1, 2, 2).error(), Errc::invalid_argument);  // level 0 or 1
  EXPECT_EQ(f.writer.lcd_print(1, 1, 16, 0, "x").error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.lcd_print(1, 1, -1, 0, "x").error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.lcd_print(1, 1, 0, 2, "x").error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.sync_virtual(1, std::span<const int>{}).error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.bridge_write(1, 1, HardwareOp::virtual_read, 1, std::span<const Value>{}).error(),
            Errc::invalid_argument);
  EXPECT_EQ(f.writer.bridge_write(1, 1, HardwareOp::virtual_write, 1, std::span<const Value>{}).error(),
            Errc::invalid_argument);
  EXPECT_EQ(f.writer.property(1, 1, "", "x").error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.property(1, 1, "color", std::span<const Value>{}).error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.notify(1, "").error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.sms(1, "").error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.email(1, "", "s", "b").error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.event_log(1, "").error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.info(1, {{"", "x"}}).error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.virtual_write(1, 1, std::nan("")).error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.virtual_write(1, 1, 1, std::numeric_limits<float>::infinity()).error(),
            Errc::invalid_argument);
  EXPECT_EQ(f.writer.virtual_write(1, 1, "a\0b"sv).error(), Errc::invalid_argument);
  EXPECT_EQ(f.writer.notify(1, "a\0b"sv).error(), Errc::invalid_argument);
  EXPECT_TRUE(f.writer.empty());
  EXPECT_TRUE(f.untouched_after(0));
}

TEST(FrameWriter, RejectsTokensThatAreNot32TokenCharacters) {
  Fixture f;
  const std::string token(kToken);
  // Built with append, not operator+: GCC 12 at -O3 reports a false -Werror=restrict in `"\"" + string`.
  const std::string quoted = std::string(1, '"').append(token, 1);
  for (const std::string& bad :
       {token.substr(0, 31), token + "0", std::string(), quoted, token.substr(0, 31) + "\n"}) {
    EXPECT_EQ(f.writer.hw_login(1, bad).error(), Errc::invalid_argument) << bad;
    EXPECT_EQ(f.writer.login(1, bad).error(), Errc::invalid_argument) << bad;
    EXPECT_EQ(f.writer.bridge_token(1, 1, bad).error(), Errc::invalid_argument) << bad;
  }
  EXPECT_TRUE(f.untouched_after(0));
}

TEST(FrameWriter, EnforcesNotificationLengthsInCharacters) {
  Fixture f(2048);
  EXPECT_TRUE(f.writer.notify(1, std::string(255, 'n')).ok());
  EXPECT_EQ(f.writer.notify(1, std::string(256, 'n')).error(), Errc::too_large);
  std::string accents;
  for (int i = 0; i < 255; ++i)
    accents += "\xc3\xa9";  // 255 characters, 510 bytes
  EXPECT_TRUE(f.writer.notify(2, accents).ok());
  EXPECT_TRUE(f.writer.tweet(3, std::string(140, 't')).ok());
  EXPECT_EQ(f.writer.tweet(3, std::string(141, 't')).error(), Errc::too_large);
}

TEST(FrameWriter, ProducesFramesTheParserReadsBack) {
  Fixture f;
  ASSERT_TRUE(f.writer.virtual_write(1, 42, 1.25, "on", -7).ok());
  ASSERT_TRUE(f.writer.response(2, StatusCode::ok).ok());
  ASSERT_TRUE(f.writer.lcd_print(3, 9, 15, 1, "end").ok());
  StaticFrameParser<64> parser;
  std::string_view in = f.writer.data();
  Result<Frame> vw = parser.next(in);
  ASSERT_TRUE(vw.ok());
  Result<HardwareMessage> m = parse_hardware(vw->body);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->pin, 42);
  EXPECT_EQ(*m->values.next_double(), 1.25);
  EXPECT_EQ(*m->values.next(), "on");
  EXPECT_EQ(*m->values.next_int<int>(), -7);
  Result<Frame> ok = parser.next(in);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status(), StatusCode::ok);
  Result<Frame> lcd = parser.next(in);
  ASSERT_TRUE(lcd.ok());
  EXPECT_EQ(lcd->body,
            "vw\0"
            "9\0"
            "p\0"
            "15\0"
            "1\0"
            "end"sv);
  EXPECT_TRUE(in.empty());
}

TEST(FrameWriter, AnswersAVirtualReadWithTheRequestsId) {
  // The session's use: a `vr` arrives, the answer is a `vw` carrying the request's id.
  const std::string request = raw_frame(Command::hardware, 0x4242,
                                        "vr\0"
                                        "3"sv);
  StaticFrameParser<64> parser;
  std::string_view in = request;
  Result<Frame> f = parser.next(in);
  ASSERT_TRUE(f.ok());
  Result<HardwareMessage> m = parse_hardware(f->body);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->op, HardwareOp::virtual_read);
  Fixture out;
  ASSERT_TRUE(out.writer.virtual_write(f->id, m->pin, 17).ok());
  EXPECT_EQ(hex(out.writer.data()), "14 42 42 00 07 76 77 00 33 00 31 37");
}

}  // namespace
}  // namespace weft::blynk
