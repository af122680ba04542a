#include "blynk/frame_parser.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace weft::blynk {
namespace {

using namespace std::literals;
using test::raw_frame;

// A frame copied out of the parser, so it can be compared after the views expire.
struct Owned {
  Command command;
  std::uint16_t id;
  std::uint16_t length;
  std::string body;
  friend bool operator==(const Owned&, const Owned&) = default;
};
Owned own(const Frame& f) {
  return {f.command, f.id, f.length, std::string(f.body)};
}

// Feeds `stream` to `parser` in chunks of the given sizes (the last chunk takes the rest) and collects
// frames. Fails the test on any error other than would_block.
std::vector<Owned> feed(FrameParser& parser, std::string_view stream,
                        const std::vector<std::size_t>& chunks) {
  std::vector<Owned> out;
  std::size_t at = 0;
  for (std::size_t c = 0; at < stream.size(); ++c) {
    const std::size_t n = c < chunks.size() ? std::min(chunks[c], stream.size() - at) : stream.size() - at;
    std::string copy(stream.substr(at, n));  // a fresh buffer per read, as a socket would give
    std::string_view in = copy;
    at += n;
    for (;;) {
      Result<Frame> f = parser.next(in);
      if (f.error() == Errc::would_block) {
        EXPECT_TRUE(in.empty());
        break;
      }
      EXPECT_TRUE(f.ok()) << to_string(f.error());
      if (!f) return out;
      out.push_back(own(*f));
    }
  }
  return out;
}

const std::string kStream = raw_frame(Command::hardware, 1,
                                      "vw\0"
                                      "5\0"
                                      "1"sv) +                 // a virtual write
                            raw_frame(0, 2, 200, "") +         // RESPONSE OK, no body
                            raw_frame(Command::ping, 3, "") +  // empty body
                            raw_frame(Command::internal, 4, "acon"sv) +
                            raw_frame(Command::hardware, 65535,
                                      "vw\0"
                                      "255\0"
                                      "-12.5\0"
                                      "abc\0"sv);

const std::vector<Owned> kExpected = {
    {Command::hardware, 1, 6,
     "vw\0"
     "5\0"
     "1"s},
    {Command::response, 2, 200, ""},
    {Command::ping, 3, 0, ""},
    {Command::internal, 4, 4, "acon"},
    {Command::hardware, 65535, 17,
     "vw\0"
     "255\0"
     "-12.5\0"
     "abc\0"s},
};

TEST(FrameParser, ParsesAWholeFrameAsAViewIntoTheInput) {
  StaticFrameParser<64> parser;
  const std::string bytes = raw_frame(Command::hardware, 7,
                                      "vw\0"
                                      "1\0"
                                      "42"sv);
  std::string_view in = bytes;
  Result<Frame> f = parser.next(in);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->command, Command::hardware);
  EXPECT_EQ(f->id, 7);
  EXPECT_EQ(f->body,
            "vw\0"
            "1\0"
            "42"sv);
  EXPECT_EQ(f->body.data(), bytes.data() + header_size);  // no copy
  EXPECT_TRUE(in.empty());
  EXPECT_TRUE(parser.idle());
  EXPECT_EQ(parser.next(in).error(), Errc::would_block);
}

TEST(FrameParser, ParsesSeveralFramesFromOneRead) {
  StaticFrameParser<64> parser;
  EXPECT_EQ(feed(parser, kStream, {kStream.size()}), kExpected);
  EXPECT_TRUE(parser.idle());
}

TEST(FrameParser, ReassemblesAFrameSplitAtEveryByteBoundary) {
  const std::string bytes = raw_frame(Command::hardware, 9,
                                      "vw\0"
                                      "12\0"
                                      "hello"sv);
  for (std::size_t split = 1; split < bytes.size(); ++split) {
    StaticFrameParser<64> parser;
    const std::vector<Owned> frames = feed(parser, bytes, {split});
    ASSERT_EQ(frames.size(), 1U) << "split at " << split;
    EXPECT_EQ(frames[0], (Owned{Command::hardware, 9, 11,
                                "vw\0"
                                "12\0"
                                "hello"s}))
        << "split at " << split;
  }
}

TEST(FrameParser, ReassemblesAStreamOfSeveralFramesSplitAtEveryByteBoundary) {
  for (std::size_t split = 1; split < kStream.size(); ++split) {
    StaticFrameParser<64> parser;
    EXPECT_EQ(feed(parser, kStream, {split}), kExpected) << "split at " << split;
  }
}

TEST(FrameParser, ReassemblesAStreamOfSeveralFramesFedOneByteAtATime) {
  StaticFrameParser<64> parser;
  EXPECT_EQ(feed(parser, kStream, std::vector<std::size_t>(kStream.size(), 1)), kExpected);
  EXPECT_TRUE(parser.idle());
}

TEST(FrameParser, ReassemblesAStreamFedInChunksOfEverySize) {
  for (std::size_t chunk = 1; chunk <= kStream.size(); ++chunk) {
    StaticFrameParser<64> parser;
    EXPECT_EQ(feed(parser, kStream, std::vector<std::size_t>(kStream.size(), chunk)), kExpected) << chunk;
  }
}

TEST(FrameParser, CopiesOnlyASplitBodyAndViewsTheInputWhenJustTheHeaderWasSplit) {
  std::array<char, 64> buffer{};
  FrameParser parser(buffer);
  const std::string bytes = raw_frame(Command::hardware, 1,
                                      "vw\0"
                                      "1\0"
                                      "2"sv);
  std::string_view first = std::string_view(bytes).substr(0, 3);
  EXPECT_EQ(parser.next(first).error(), Errc::would_block);
  EXPECT_EQ(parser.pending(), 3U);
  std::string_view second = std::string_view(bytes).substr(3);
  Result<Frame> f = parser.next(second);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->body.data(), bytes.data() + header_size);  // body whole in the second read: still a view

  const std::string split_body = raw_frame(Command::hardware, 2,
                                           "vw\0"
                                           "1\0"
                                           "2"sv);
  std::string_view a = std::string_view(split_body).substr(0, 7);
  std::string_view b = std::string_view(split_body).substr(7);
  EXPECT_EQ(parser.next(a).error(), Errc::would_block);
  EXPECT_EQ(parser.pending(), 7U);
  Result<Frame> g = parser.next(b);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->body,
            "vw\0"
            "1\0"
            "2"sv);
  EXPECT_EQ(g->body.data(), buffer.data());  // reassembled in the parser's buffer
}

TEST(FrameParser, ReadsTheStatusOfAResponseFromTheLengthFieldAndConsumesNoBody) {
  StaticFrameParser<8> parser;  // a status of 200 is not a body: it must not be checked against buff-in
  const std::string bytes =
      raw_frame(0, 1, 200, "") + raw_frame(0, 2, 9, "") + raw_frame(Command::ping, 3, "");
  std::string_view in = bytes;
  Result<Frame> ok = parser.next(in);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->is_response());
  EXPECT_EQ(ok->status(), StatusCode::ok);
  EXPECT_TRUE(ok->body.empty());
  Result<Frame> invalid = parser.next(in);
  ASSERT_TRUE(invalid.ok());
  EXPECT_EQ(invalid->id, 2);
  EXPECT_EQ(invalid->status(), StatusCode::invalid_token);
  Result<Frame> ping = parser.next(in);
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ(ping->command, Command::ping);
}

TEST(FrameParser, RejectsMessageIdZero) {
  StaticFrameParser<64> parser;
  const std::string bytes = raw_frame(Command::hardware, 0,
                                      "vw\0"
                                      "1\0"
                                      "2"sv);
  std::string_view in = bytes;
  EXPECT_EQ(parser.next(in).error(), Errc::protocol_error);
  EXPECT_TRUE(parser.failed());
  EXPECT_EQ(parser.error(), Errc::protocol_error);
  EXPECT_EQ(parser.header().id, 0);
}

TEST(FrameParser, RejectsMessageIdZeroOnAResponseToo) {
  StaticFrameParser<64> parser;
  const std::string bytes = raw_frame(0, 0, 200, "");
  std::string_view in = bytes;
  EXPECT_EQ(parser.next(in).error(), Errc::protocol_error);
}

TEST(FrameParser, RejectsABodyLargerThanBuffInAndStaysFailedUntilReset) {
  StaticFrameParser<16> parser;
  const std::string big = raw_frame(Command::hardware, 5, std::string(17, 'x'));
  const std::string good = raw_frame(Command::ping, 6, "");
  const std::string bytes = big + good;
  std::string_view in = bytes;
  Result<Frame> f = parser.next(in);
  EXPECT_EQ(f.error(), Errc::too_large);
  // What the parser reports, and where it stopped: right after the rejected header, nothing of the body read.
  EXPECT_TRUE(parser.failed());
  EXPECT_FALSE(parser.idle());
  EXPECT_EQ(parser.error(), Errc::too_large);
  EXPECT_EQ(parser.header(), (FrameHeader{Command::hardware, 5, 17}));
  EXPECT_EQ(in.size(), bytes.size() - header_size);
  // Sticky: later calls return the same error and consume nothing.
  EXPECT_EQ(parser.next(in).error(), Errc::too_large);
  EXPECT_EQ(in.size(), bytes.size() - header_size);
  // A new connection starts clean.
  parser.reset();
  EXPECT_TRUE(parser.idle());
  EXPECT_EQ(parser.error(), Errc::ok);
  std::string_view fresh = good;
  Result<Frame> g = parser.next(fresh);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->command, Command::ping);
}

TEST(FrameParser, RejectsAnOversizedBodyBeforeReadingItWhenItArrivesSplit) {
  StaticFrameParser<16> parser;
  const std::string big = raw_frame(Command::hardware, 5, std::string(300, 'x'));
  std::string_view head = std::string_view(big).substr(0, 4);
  EXPECT_EQ(parser.next(head).error(), Errc::would_block);
  std::string_view rest = std::string_view(big).substr(4, 10);
  EXPECT_EQ(parser.next(rest).error(), Errc::too_large);
  EXPECT_EQ(rest.size(), 9U);  // only the last header byte was taken
}

TEST(FrameParser, AcceptsABodyOfExactlyBuffInBytesSplitOrWhole) {
  const std::string bytes = raw_frame(Command::hardware, 1, std::string(16, 'y'));
  for (std::size_t split = 1; split <= bytes.size(); ++split) {
    StaticFrameParser<16> parser;
    const std::vector<Owned> frames = feed(parser, bytes, {split});
    ASSERT_EQ(frames.size(), 1U);
    EXPECT_EQ(frames[0].body, std::string(16, 'y'));
  }
}

TEST(FrameParser, PassesAnUnknownCommandThroughWithItsCodeAndBody) {
  StaticFrameParser<64> parser;
  const std::string bytes = raw_frame(99, 12, 3, "abc") + raw_frame(Command::ping, 13, "");
  std::string_view in = bytes;
  Result<Frame> f = parser.next(in);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(static_cast<int>(f->command), 99);
  EXPECT_FALSE(is_known(f->command));
  EXPECT_EQ(f->id, 12);
  EXPECT_EQ(f->body, "abc");
  Result<Frame> g = parser.next(in);  // the stream stays in sync after it
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->id, 13);
}

TEST(FrameParser, HandsOutABodyWithATrailingNulUnchanged) {
  StaticFrameParser<64> parser;
  const std::string bytes = raw_frame(Command::hardware, 1,
                                      "vw\0"
                                      "1\0"
                                      "2\0"sv);
  std::string_view in = bytes;
  Result<Frame> f = parser.next(in);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->body,
            "vw\0"
            "1\0"
            "2\0"sv);  // the body reader drops the trailing NUL (body_test.cpp)
}

TEST(FrameParser, ReportsWouldBlockOnEmptyInputWithoutChangingState) {
  StaticFrameParser<64> parser;
  std::string_view empty;
  EXPECT_EQ(parser.next(empty).error(), Errc::would_block);
  EXPECT_TRUE(parser.idle());
  EXPECT_FALSE(parser.failed());
}

TEST(FrameParser, ResetDropsAPartialFrame) {
  StaticFrameParser<64> parser;
  const std::string bytes = raw_frame(Command::hardware, 1,
                                      "vw\0"
                                      "1\0"
                                      "2"sv);
  std::string_view part = std::string_view(bytes).substr(0, 8);
  EXPECT_EQ(parser.next(part).error(), Errc::would_block);
  EXPECT_FALSE(parser.idle());
  parser.reset();
  EXPECT_TRUE(parser.idle());
  EXPECT_EQ(parser.pending(), 0U);
  EXPECT_EQ(feed(parser, bytes, {bytes.size()}).size(), 1U);
}

TEST(FrameParser, CapsBuffInAt65535) {
  std::vector<char> huge(70000);
  FrameParser parser(huge);
  EXPECT_EQ(parser.buff_in(), 65535U);
  StaticFrameParser<256> small;
  EXPECT_EQ(small.buff_in(), 256U);
}

TEST(FrameParser, AZeroSizedBufferAcceptsOnlyFramesWithoutBody) {
  FrameParser parser(std::span<char>{});
  const std::string ok = raw_frame(Command::ping, 1, "") + raw_frame(0, 2, 200, "");
  EXPECT_EQ(feed(parser, ok, {1}).size(), 2U);
  const std::string body = raw_frame(Command::hardware, 3, "x");
  std::string_view in = body;
  EXPECT_EQ(parser.next(in).error(), Errc::too_large);
}

}  // namespace
}  // namespace weft::blynk
