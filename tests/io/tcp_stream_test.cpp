#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

#include "../core/test_support.hpp"
#include "io_test_support.hpp"

namespace weft {
namespace {

using test::IoTest;
using test::RawListener;
using test::text;

using TcpStreamTest = IoTest;

// A weft client connected to a raw peer: `peer` is the accepted raw fd.
struct Connected {
  TcpStream stream;
  int peer = -1;
  ~Connected() {
    if (peer >= 0) close(peer);
  }
};

Task<> connect_to(RawListener& l, Connected& c) {
  Result<TcpStream> s = co_await TcpStream::connect(l.endpoint(), sec(5));
  CO_ASSERT(s.ok());
  c.stream = std::move(*s);
  c.peer = l.accept_one();
  CO_ASSERT(c.peer >= 0);
}

TEST_F(TcpStreamTest, ConnectsToAListenerAndExchangesBytesBothWays) {
  run([]() -> Task<> {
    Result<TcpListener> l = TcpListener::listen(Endpoint::v4(127, 0, 0, 1, 0));
    CO_ASSERT(l.ok());
    Result<Endpoint> at = l->local_endpoint();
    CO_ASSERT(at.ok() && at->port != 0);
    auto server = [](TcpListener& listener) -> Task<> {
      Result<TcpStream> c = co_await listener.accept();
      CO_ASSERT(c.ok());
      char buf[4];
      IoResult r = co_await c->read_exactly(buf);
      EXPECT_TRUE(r.ok());
      EXPECT_EQ(text(buf), "ping");
      EXPECT_TRUE((co_await c->write_all("pong")).ok());
    };
    auto h = Loop::current().spawn(server(*l), "server");
    Result<TcpStream> s = co_await TcpStream::connect(*at);
    CO_ASSERT(s.ok());
    EXPECT_EQ(s->peer_endpoint().value_or(Endpoint{}), *at);
    EXPECT_TRUE(s->local_endpoint().ok());
    IoResult w = co_await s->write_all("ping");
    EXPECT_TRUE(w.ok());
    EXPECT_EQ(w.count, 4u);
    char reply[4];
    IoResult r = co_await s->read_exactly(reply);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(text(reply), "pong");
    EXPECT_TRUE((co_await h.join()).ok());
  }());
}

TEST_F(TcpStreamTest, WorksOverIpv6Loopback) {
  Result<TcpListener> l = TcpListener::listen(Endpoint{IpAddress::loopback_v6(), 0});
  if (!l) GTEST_SKIP() << "no IPv6 loopback on this machine";
  run([](TcpListener& listener) -> Task<> {
    Result<Endpoint> at = listener.local_endpoint();
    CO_ASSERT(at.ok() && !at->address.is_v4());
    Result<TcpStream> c = co_await TcpStream::connect(*at, sec(5));
    CO_ASSERT(c.ok());
    Result<TcpStream> s = co_await listener.accept();
    CO_ASSERT(s.ok());
    EXPECT_TRUE((co_await c->write_all("v6")).ok());
    char buf[2];
    EXPECT_TRUE((co_await s->read_exactly(buf)).ok());
    EXPECT_EQ(text(buf), "v6");
  }(*l));
}

TEST(SocketErrors, MapTheSystemsErrorsToErrc) {
  using linux_board::errc_from_errno;
  EXPECT_EQ(errc_from_errno(ECONNREFUSED), Errc::refused);
  EXPECT_EQ(errc_from_errno(ETIMEDOUT), Errc::timed_out);
  EXPECT_EQ(errc_from_errno(ECONNRESET), Errc::reset);
  EXPECT_EQ(errc_from_errno(EPIPE), Errc::reset);
  EXPECT_EQ(errc_from_errno(ENETUNREACH), Errc::unreachable);
  EXPECT_EQ(errc_from_errno(EHOSTUNREACH), Errc::unreachable);
  EXPECT_EQ(errc_from_errno(EAGAIN), Errc::would_block);
  EXPECT_EQ(errc_from_errno(EMFILE), Errc::io_error);
}

TEST_F(TcpStreamTest, ReadSomeReturnsWhatHasArrivedWithoutWaitingForMore) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    test::raw_send(c.peer, "abc");
    char buf[100];
    IoResult r = co_await c.stream.read_some(buf);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(text({buf, r.count}), "abc");
  }(listener, conn));
}

TEST_F(TcpStreamTest, ReadExactlyAssemblesOneByteFragments) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    auto trickle = [](int fd) -> Task<> {
      for (char ch : std::string("fragmented")) {
        test::raw_send(fd, std::string_view(&ch, 1));
        co_await sleep_ms(2);  // each byte its own segment, and the reader waits for each
      }
    };
    auto h = Loop::current().spawn(trickle(c.peer), "trickle");
    char buf[10];
    IoResult r = co_await c.stream.read_exactly(buf);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.count, 10u);
    EXPECT_EQ(text(buf), "fragmented");
    co_await h.join();
  }(listener, conn));
}

TEST_F(TcpStreamTest, ReadSomeOfOneByteReadsAStreamOneByteAtATime) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    test::raw_send(c.peer, "xyz");
    std::string got;
    for (int i = 0; i < 3; ++i) {
      char one;
      IoResult r = co_await c.stream.read_some({&one, 1});
      CO_ASSERT(r.ok() && r.count == 1);
      got += one;
    }
    EXPECT_EQ(got, "xyz");
  }(listener, conn));
}

TEST_F(TcpStreamTest, ReportsTheEndOfTheStreamAsClosed) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    test::raw_send(c.peer, "bye");
    close(std::exchange(c.peer, -1));
    char buf[16];
    IoResult r = co_await c.stream.read_some(buf);
    EXPECT_EQ(text({buf, r.count}), "bye");
    r = co_await c.stream.read_some(buf);
    EXPECT_EQ(r.error, Errc::closed);
    EXPECT_EQ(r.count, 0u);
    r = co_await c.stream.read_some(buf);  // and stays so
    EXPECT_EQ(r.error, Errc::closed);
  }(listener, conn));
}

TEST_F(TcpStreamTest, ReadExactlyCountsTheBytesItGotBeforeThePeerClosed) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    test::raw_send(c.peer, "12345");
    close(std::exchange(c.peer, -1));
    char buf[8];
    IoResult r = co_await c.stream.read_exactly(buf);
    EXPECT_EQ(r.error, Errc::closed);
    EXPECT_EQ(r.count, 5u);
    EXPECT_EQ(text({buf, r.count}), "12345");
  }(listener, conn));
}

TEST_F(TcpStreamTest, KeepsBytesReadBeforeATimeout) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    test::raw_send(c.peer, "1234");
    char buf[10];
    IoResult r = co_await wait_for(c.stream.read_exactly(buf), ms(50));
    EXPECT_EQ(r.error, Errc::timed_out);
    CO_ASSERT(r.count == 4u);
    EXPECT_EQ(text({buf, 4}), "1234");
    // Nothing was lost: the rest arrives and the next read continues right after.
    test::raw_send(c.peer, "567890");
    r = co_await c.stream.read_exactly(std::span<char>(buf).subspan(4));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(text(buf), "1234567890");
  }(listener, conn));
}

TEST_F(TcpStreamTest, ATimedOutReadTakesNothingFromTheSocket) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    char buf[4];
    IoResult r = co_await wait_for(c.stream.read_some(buf), ms(30));
    EXPECT_EQ(r.error, Errc::timed_out);
    EXPECT_EQ(r.count, 0u);
    test::raw_send(c.peer, "late");
    r = co_await c.stream.read_exactly(buf);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(text(buf), "late");
  }(listener, conn));
}

TEST_F(TcpStreamTest, AWriterToASlowReaderSuspendsUntilTheReaderCatchesUp) {
  RawListener listener(16, 4096);  // a small receive buffer on the peer
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    int small = 4096;
    setsockopt(c.stream.native_handle(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    std::string data(1 << 20, '\0');
    for (std::size_t i = 0; i < data.size(); ++i)
      data[i] = static_cast<char>('a' + i % 23);
    IoResult result;
    auto writer = [](TcpStream& s, const std::string& d, IoResult& out) -> Task<> {
      out = co_await s.write_all(d);
    };
    Loop& here = Loop::current();
    auto h = here.spawn(writer(c.stream, data, result), "writer");
    co_await sleep_ms(100);  // the peer reads nothing: the writer must be parked, not spinning
    EXPECT_FALSE(h.done()) << "the kernel buffers cannot hold 1 MiB: the writer is still waiting";
    EXPECT_LT(h.stats().runs, 50u) << "a blocked writer must not busy-loop";
    std::string got;  // now the peer catches up, a little at a time
    while (got.size() < data.size()) {
      char buf[65536];
      ssize_t n = recv(c.peer, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) {
        got.append(buf, static_cast<std::size_t>(n));
      } else {
        co_await sleep_ms(1);
      }
    }
    co_await h.join();
    EXPECT_TRUE(result.ok()) << to_string(result.error);
    EXPECT_EQ(result.count, data.size());
    EXPECT_TRUE(got == data) << "the bytes arrived intact and in order";
  }(listener, conn));
}

TEST_F(TcpStreamTest, ReportsAPeerResetOnRead) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    auto resetter = [](int& fd) -> Task<> {
      co_await sleep_ms(10);  // the read below is already waiting
      test::raw_reset(std::exchange(fd, -1));
    };
    auto h = Loop::current().spawn(resetter(c.peer), "resetter");
    char buf[8];
    IoResult r = co_await c.stream.read_some(buf);
    EXPECT_EQ(r.error, Errc::reset);
    co_await h.join();
  }(listener, conn));
}

TEST_F(TcpStreamTest, WritingToAPeerThatIsGoneFailsWithResetAndNeverRaisesSigpipe) {
  struct sigaction old {};
  sigaction(SIGPIPE, nullptr, &old);
  ASSERT_EQ(old.sa_handler, SIG_DFL)
      << "SIGPIPE must be at its default (fatal) action for this test to mean it";
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    test::raw_reset(std::exchange(c.peer, -1));
    co_await sleep_ms(10);
    std::string chunk(4096, 'x');
    IoResult r;
    for (int i = 0; i < 100 && r.ok(); ++i)
      r = co_await c.stream.write_all(chunk);
    EXPECT_EQ(r.error, Errc::reset);
  }(listener, conn));
}

TEST_F(TcpStreamTest, ConnectingToAPortWithoutListenerIsRefused) {
  run([]() -> Task<> {
    Endpoint closed_port;
    {
      RawListener l;  // take a free port, then free it again
      closed_port = l.endpoint();
    }
    Result<TcpStream> s = co_await TcpStream::connect(closed_port, sec(5));
    EXPECT_EQ(s.error(), Errc::refused);
  }());
}

TEST_F(TcpStreamTest, ConnectTimesOutWhenTheListenerCannotTakeMoreConnections) {
  // listen(fd, 0) without accepting: the first client fills the accept queue, and the kernel then drops the
  // SYNs of the next ones, so their handshakes never complete (works on loopback-only machines).
  RawListener listener(0);
  int first = test::raw_connect(listener.endpoint());
  int fds = test::open_fds();
  run([](RawListener& l) -> Task<> {
    Result<TcpStream> s = co_await TcpStream::connect(l.endpoint(), ms(200));
    EXPECT_EQ(s.error(), Errc::timed_out);
  }(listener));
  EXPECT_EQ(test::open_fds(), fds) << "the abandoned half-open socket was closed";
  close(first);
}

TEST_F(TcpStreamTest, ConnectingToPortZeroIsAnInvalidArgument) {
  test::LogCapture log;
  run([]() -> Task<> {
    Result<TcpStream> s = co_await TcpStream::connect(Endpoint::v4(127, 0, 0, 1, 0));
    EXPECT_EQ(s.error(), Errc::invalid_argument);
  }());
  EXPECT_TRUE(log.contains("port 0"));
}

TEST_F(TcpStreamTest, HalfCloseSendsEndOfStreamButKeepsReading) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    EXPECT_TRUE((co_await c.stream.write_all("request")).ok());
    EXPECT_TRUE(c.stream.shutdown_write().ok());
    EXPECT_EQ(test::raw_recv(c.peer, 100), "request") << "the peer read up to our FIN";
    test::raw_send(c.peer, "response");
    close(std::exchange(c.peer, -1));
    char buf[8];
    IoResult r = co_await c.stream.read_exactly(buf);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(text(buf), "response");
  }(listener, conn));
}

TEST_F(TcpStreamTest, ASecondConcurrentReadIsBusy) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    auto reader = [](TcpStream& s) -> Task<IoResult> {
      char buf[4];
      co_return co_await s.read_exactly(buf);
    };
    auto first = Loop::current().spawn(reader(c.stream), "first");
    co_await sleep_ms(5);
    char buf[4];
    IoResult second = co_await c.stream.read_some(buf);
    EXPECT_EQ(second.error, Errc::busy);
    test::raw_send(c.peer, "data");
    Result<IoResult> r = co_await first.join();
    EXPECT_TRUE(r.ok() && r->ok());
  }(listener, conn));
}

TEST_F(TcpStreamTest, OperationsOnAStreamThatIsNotOpenFailWithClosed) {
  run([]() -> Task<> {
    TcpStream s;
    char buf[4];
    EXPECT_EQ((co_await s.read_some(buf)).error, Errc::closed);
    EXPECT_EQ((co_await s.read_exactly(buf)).error, Errc::closed);
    EXPECT_EQ((co_await s.write_all("x")).error, Errc::closed);
    EXPECT_EQ(s.shutdown_write().error(), Errc::closed);
    EXPECT_EQ(s.local_endpoint().error(), Errc::closed);
    EXPECT_EQ(s.native_handle(), -1);
    s.close();  // idempotent
  }());
}

TEST_F(TcpStreamTest, ClosingTheStreamEndsAWaitingReadWithClosed) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    auto closer = [](TcpStream& s) -> Task<> {
      co_await sleep_ms(5);
      s.close();
    };
    auto h = Loop::current().spawn(closer(c.stream), "closer");
    char buf[4];
    IoResult r = co_await c.stream.read_some(buf);
    EXPECT_EQ(r.error, Errc::closed);
    co_await h.join();
    EXPECT_FALSE(c.stream.is_open());
  }(listener, conn));
}

TEST_F(TcpStreamTest, AnEmptyReadOrWriteCompletesAtOnce) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    IoResult r = co_await c.stream.read_some({});
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.count, 0u);
    EXPECT_TRUE((co_await c.stream.read_exactly({})).ok());
    EXPECT_TRUE((co_await c.stream.write_all("")).ok());
  }(listener, conn));
}

// --- cancellation during each operation -------------------------------------------------------------------

TEST_F(TcpStreamTest, CancellingAWaitingReadLeavesTheStreamUsable) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    auto reader = [](TcpStream& s, IoResult& out) -> Task<> {
      char buf[4];
      out = co_await s.read_exactly(buf);
    };
    IoResult seen;
    auto h = Loop::current().spawn(reader(c.stream, seen), "reader");
    co_await sleep_ms(5);
    h.cancel();
    co_await h.join();
    EXPECT_EQ(seen.error, Errc::cancelled);
    test::raw_send(c.peer, "next");
    char buf[4];
    IoResult r = co_await c.stream.read_exactly(buf);
    EXPECT_TRUE(r.ok()) << "the cancelled read left the read slot free";
    EXPECT_EQ(text(buf), "next");
  }(listener, conn));
}

TEST_F(TcpStreamTest, CancellingAReadExactlyHalfWayReportsTheBytesItHas) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    auto reader = [](TcpStream& s, char* buf, IoResult& out) -> Task<> {
      out = co_await s.read_exactly({buf, 6});
    };
    char buf[6];
    IoResult seen;
    auto h = Loop::current().spawn(reader(c.stream, buf, seen), "reader");
    test::raw_send(c.peer, "abc");
    co_await sleep_ms(10);
    h.cancel();
    co_await h.join();
    EXPECT_EQ(seen.error, Errc::cancelled);
    EXPECT_EQ(seen.count, 3u);
    EXPECT_EQ(text({buf, 3}), "abc");
  }(listener, conn));
}

TEST_F(TcpStreamTest, CancellingAWriteReportsTheBytesAlreadySent) {
  RawListener listener(16, 4096);
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    int small = 4096;
    setsockopt(c.stream.native_handle(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    std::string data(1 << 20, 'w');
    IoResult seen;
    auto writer = [](TcpStream& s, const std::string& d, IoResult& out) -> Task<> {
      out = co_await s.write_all(d);
    };
    auto h = Loop::current().spawn(writer(c.stream, data, seen), "writer");
    co_await sleep_ms(20);
    h.cancel();
    co_await h.join();
    EXPECT_EQ(seen.error, Errc::cancelled);
    EXPECT_GT(seen.count, 0u);
    EXPECT_LT(seen.count, data.size());
    std::string got = test::raw_recv(c.peer, seen.count);
    EXPECT_EQ(got.size(), seen.count) << "exactly `count` bytes were handed to the stack";
    // Nothing more than that was sent: after the counted bytes the socket has nothing.
    char extra;
    EXPECT_EQ(recv(c.peer, &extra, 1, MSG_DONTWAIT), -1);
    // And the stream is still usable for writes.
    EXPECT_TRUE((co_await c.stream.write_all("more")).ok());
    EXPECT_EQ(test::raw_recv(c.peer, 4), "more");
  }(listener, conn));
}

TEST_F(TcpStreamTest, CancellingAConnectInProgressClosesTheHalfOpenSocket) {
  RawListener listener(0);
  int first = test::raw_connect(listener.endpoint());
  int fds = test::open_fds();
  run([](RawListener& l) -> Task<> {
    auto connector = [](Endpoint to, Errc& out) -> Task<> {
      Result<TcpStream> s = co_await TcpStream::connect(to);
      out = s.error();
    };
    Errc seen = Errc::ok;
    auto h = Loop::current().spawn(connector(l.endpoint(), seen), "connector");
    co_await sleep_ms(20);
    EXPECT_FALSE(h.done()) << "the handshake cannot complete: the backlog is full";
    h.cancel();
    co_await h.join();
    EXPECT_EQ(seen, Errc::cancelled);
  }(listener));
  EXPECT_EQ(test::open_fds(), fds);
  close(first);
}

// --- fairness and idleness --------------------------------------------------------------------------------

TEST_F(TcpStreamTest, ATaskReadingASocketThatIsAlwaysReadyStillLetsOthersRun) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    test::raw_send(c.peer, std::string(4000, 'r'));
    co_await sleep_ms(10);  // all of it is in our receive buffer
    long ticks = 0;
    bool reading = true;
    auto ticker = [](long& n, bool& go) -> Task<> {
      while (go) {
        ++n;
        co_await yield();
      }
    };
    auto h = Loop::current().spawn(ticker(ticks, reading), "ticker");
    co_await yield();  // the ticker starts
    long before = ticks;
    for (int i = 0; i < 4000; ++i) {
      char one;
      IoResult r = co_await c.stream.read_some({&one, 1});  // always ready: would never suspend
      CO_ASSERT(r.ok());
    }
    EXPECT_GE(ticks - before, 4000 / detail::kFastPathBudget - 1) << "the reader yielded every few reads";
    reading = false;
    co_await h.join();
  }(listener, conn));
}

TEST_F(TcpStreamTest, ATaskWaitingOnASocketCostsNoLoopPassesWhileIdle) {
  RawListener listener;
  Connected conn;
  run([](RawListener& l, Connected& c) -> Task<> {
    co_await connect_to(l, c);
    auto sender = [](int fd) -> Task<> {
      co_await sleep_ms(100);
      test::raw_send(fd, "!");
    };
    auto h = Loop::current().spawn(sender(c.peer), "sender");
    std::uint64_t passes = Loop::current().stats().passes;
    char buf[1];
    IoResult r = co_await c.stream.read_some(buf);
    EXPECT_TRUE(r.ok());
    EXPECT_LT(Loop::current().stats().passes - passes, 20u) << "100 ms of waiting took a handful of passes";
    co_await h.join();
  }(listener, conn));
}

}  // namespace
}  // namespace weft

namespace weft {
namespace {

// A task that yields in a loop keeps the loop from ever idling; the loop must still look at sockets.
TEST_F(TcpStreamTest, AReadCompletesWhileAnotherTaskYieldsForever) {
  RawListener listener;
  Connected conn;
  bool stop = false;
  auto spinner = [](bool& done) -> Task<> {
    while (!done) co_await yield();
  };
  loop.spawn(spinner(stop), "spinner").detach();
  run([](RawListener& l, Connected& c, bool& done) -> Task<> {
    co_await connect_to(l, c);
    Timer send_later([&c] { test::raw_send(c.peer, "late"); });
    EXPECT_TRUE(send_later.start_once(ms(10)).ok());
    char buf[16];
    IoResult r = co_await wait_for(c.stream.read_some(buf), sec(5));
    done = true;
    EXPECT_TRUE(r.ok()) << to_string(r.error);
    EXPECT_EQ(text({buf, r.count}), "late");
  }(listener, conn, stop));
}

}  // namespace
}  // namespace weft
