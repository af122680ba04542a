#include <gtest/gtest.h>

#include <string>

#include "io_test_support.hpp"

namespace weft {
namespace {

using test::RawListener;
using test::text;
using BufferedReaderTest = test::IoTest;

struct Pair {
  RawListener listener;
  TcpStream stream;
  int peer = -1;
  ~Pair() {
    if (peer >= 0) close(peer);
  }
};

Task<> open_pair(Pair& p) {
  Result<TcpStream> s = co_await TcpStream::connect(p.listener.endpoint(), sec(5));
  CO_ASSERT(s.ok());
  p.stream = std::move(*s);
  p.peer = p.listener.accept_one();
}

Task<> trickle(int fd, std::string data) {
  for (char c : data) {
    test::raw_send(fd, std::string_view(&c, 1));
    co_await sleep_ms(1);
  }
}

TEST_F(BufferedReaderTest, ReadsALineThatArrivesOneByteAtATime) {
  Pair pair;
  run([](Pair& p) -> Task<> {
    co_await open_pair(p);
    auto h = Loop::current().spawn(trickle(p.peer, "hello\nworld\n"));
    char storage[32];
    BufferedReader in(p.stream, storage);
    Result<std::span<char>> line = co_await in.read_until('\n');
    CO_ASSERT(line.ok());
    EXPECT_EQ(text(*line), "hello\n");
    line = co_await in.read_until('\n');
    CO_ASSERT(line.ok());
    EXPECT_EQ(text(*line), "world\n");
    co_await h.join();
  }(pair));
}

TEST_F(BufferedReaderTest, ReturnsSeveralLinesThatArrivedTogetherOneByOne) {
  Pair pair;
  run([](Pair& p) -> Task<> {
    co_await open_pair(p);
    test::raw_send(p.peer, "a\nbb\nccc\n");
    char storage[64];
    BufferedReader in(p.stream, storage);
    for (const char* expected : {"a\n", "bb\n", "ccc\n"}) {
      Result<std::span<char>> line = co_await in.read_until('\n');
      CO_ASSERT(line.ok());
      EXPECT_EQ(text(*line), expected);
    }
    EXPECT_TRUE(in.buffered().empty());
  }(pair));
}

TEST_F(BufferedReaderTest, ALineLongerThanTheBufferIsTooLargeAndItsBytesStayBuffered) {
  Pair pair;
  run([](Pair& p) -> Task<> {
    co_await open_pair(p);
    test::raw_send(p.peer, "0123456789abcdef-and-more\n");
    char storage[8];
    BufferedReader in(p.stream, storage);
    Result<std::span<char>> line = co_await in.read_until('\n');
    EXPECT_EQ(line.error(), Errc::too_large);
    EXPECT_EQ(text(in.buffered()), "01234567") << "nothing was lost: the caller decides";
  }(pair));
}

TEST_F(BufferedReaderTest, ReadUntilKeepsThePartialLineWhenItTimesOut) {
  Pair pair;
  run([](Pair& p) -> Task<> {
    co_await open_pair(p);
    test::raw_send(p.peer, "partial");
    char storage[32];
    BufferedReader in(p.stream, storage);
    Result<std::span<char>> line = co_await wait_for(in.read_until('\n'), ms(30));
    EXPECT_EQ(line.error(), Errc::timed_out);
    EXPECT_EQ(text(in.buffered()), "partial");
    test::raw_send(p.peer, " line\n");
    line = co_await in.read_until('\n');
    CO_ASSERT(line.ok());
    EXPECT_EQ(text(*line), "partial line\n");
  }(pair));
}

TEST_F(BufferedReaderTest, EndOfStreamWithoutADelimiterIsClosedAndKeepsTheTail) {
  Pair pair;
  run([](Pair& p) -> Task<> {
    co_await open_pair(p);
    test::raw_send(p.peer, "one\ntail");
    close(std::exchange(p.peer, -1));
    char storage[32];
    BufferedReader in(p.stream, storage);
    Result<std::span<char>> line = co_await in.read_until('\n');
    CO_ASSERT(line.ok());
    EXPECT_EQ(text(*line), "one\n");
    line = co_await in.read_until('\n');
    EXPECT_EQ(line.error(), Errc::closed);
    EXPECT_EQ(text(in.buffered()), "tail");
  }(pair));
}

TEST_F(BufferedReaderTest, ReadsLengthPrefixedFramesWithFillAndConsume) {
  Pair pair;
  run([](Pair& p) -> Task<> {
    co_await open_pair(p);
    // Frames: one length byte, then the body; the buffer wraps around several times.
    std::string wire;
    for (int i = 1; i <= 20; ++i) {
      wire += static_cast<char>(i);
      wire += std::string(static_cast<std::size_t>(i), static_cast<char>('a' + i));
    }
    auto h = Loop::current().spawn(trickle(p.peer, wire));
    char storage[24];
    BufferedReader in(p.stream, storage);
    for (int i = 1; i <= 20; ++i) {
      CO_ASSERT((co_await in.fill(1)).ok());
      auto n = static_cast<std::size_t>(in.buffered()[0]);
      in.consume(1);
      CO_ASSERT((co_await in.fill(n)).ok());
      EXPECT_EQ(text(in.buffered().first(n)), std::string(n, static_cast<char>('a' + i)));
      in.consume(n);
    }
    co_await h.join();
  }(pair));
}

TEST_F(BufferedReaderTest, FillingMoreThanTheCapacityIsTooLargeAtOnce) {
  Pair pair;
  run([](Pair& p) -> Task<> {
    co_await open_pair(p);
    char storage[4];
    BufferedReader in(p.stream, storage);
    EXPECT_EQ((co_await in.fill(5)).error(), Errc::too_large);
  }(pair));
}

TEST_F(BufferedReaderTest, ReadExactlyTakesTheBufferedBytesFirst) {
  Pair pair;
  run([](Pair& p) -> Task<> {
    co_await open_pair(p);
    test::raw_send(p.peer, "line\nbody");
    char storage[16];
    BufferedReader in(p.stream, storage);
    CO_ASSERT((co_await in.read_until('\n')).ok());
    auto h = Loop::current().spawn(trickle(p.peer, "-rest"));
    char body[9];
    IoResult r = co_await in.read_exactly(body);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(text(body), "body-rest");
    test::raw_send(p.peer, "z");
    char one[4];
    r = co_await in.read_some(one);
    EXPECT_EQ(text({one, r.count}), "z");
    co_await h.join();
  }(pair));
}

TEST_F(BufferedReaderTest, CancellingAWaitingReadUntilLosesNothing) {
  Pair pair;
  run([](Pair& p) -> Task<> {
    co_await open_pair(p);
    char storage[32];
    BufferedReader in(p.stream, storage);
    auto reader = [](BufferedReader& r, Errc& out) -> Task<> { out = (co_await r.read_until('\n')).error(); };
    Errc seen = Errc::ok;
    auto h = Loop::current().spawn(reader(in, seen), "reader");
    test::raw_send(p.peer, "half");
    co_await sleep_ms(10);
    h.cancel();
    co_await h.join();
    EXPECT_EQ(seen, Errc::cancelled);
    test::raw_send(p.peer, "-done\n");
    Result<std::span<char>> line = co_await in.read_until('\n');
    CO_ASSERT(line.ok());
    EXPECT_EQ(text(*line), "half-done\n");
  }(pair));
}

}  // namespace
}  // namespace weft
