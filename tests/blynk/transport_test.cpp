// The Transport's reads and writes (transport.hpp): over plain TCP they are the socket's own awaiters, so
// they take nothing from the frame arena; a transport whose op is a coroutine reports a full arena in the
// IoResult. The TCP runs are over real loopback sockets (the Linux socket port, the real clock).
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "blynk/tcp_transport.hpp"
#include "core/test_support.hpp"
#include "core/weft.hpp"
#include "io/io.hpp"
#include "linux/linux_clock.hpp"
#include "session_fixture.hpp"

namespace weft::blynk::test {
namespace {

// The server's side: echoes `echo_bytes`, then reads `sink_bytes` without answering, then sends "k".
Task<> echo_then_sink(TcpStream& s, std::size_t echo_bytes, std::size_t sink_bytes) {
  std::vector<char> buf(std::size_t{64} << 10);
  std::size_t seen = 0;
  while (seen < echo_bytes + sink_bytes) {
    const std::size_t want = seen < echo_bytes ? echo_bytes - seen : buf.size();
    IoResult r = co_await s.read_some({buf.data(), std::min(want, buf.size())});
    if (!r) co_return;
    if (seen < echo_bytes) {
      IoResult w = co_await s.write_all(std::string_view(buf.data(), r.count));
      if (!w) co_return;
    }
    seen += r.count;
  }
  IoResult done = co_await s.write_all("k");
  (void)done;
}

constexpr int kRounds = 200;
constexpr std::size_t kMessage = 512;
constexpr std::size_t kBulk = std::size_t{8} << 20;   // more than loopback buffers hold: the write must wait
constexpr std::size_t kHuge = std::size_t{64} << 20;  // to a peer that never reads: the write waits for good

class TransportTest : public ::testing::Test {
 public:
  Loop loop{linux_board::linux_clock()};
  TcpListener listener = TcpListener::listen(Endpoint::v4(127, 0, 0, 1, 0)).value();
  std::uint16_t port = listener.local_endpoint()->port;
  TcpTransport transport;
  // The arena made current while the transport is measured: nothing should come from it.
  alignas(FrameArena::kAlign) std::array<unsigned char, 4096> probe_buffer{};
  FrameArena probe{probe_buffer.data(), probe_buffer.size()};

  // Opens the transport to the listener: the server's side of the connection.
  Task<Result<TcpStream>> connect() {
    Status opened = co_await transport.open("127.0.0.1", port, sec(5));
    if (!opened) co_return opened.error();
    Result<TcpStream> server = co_await wait_for(listener.accept(), sec(5));
    co_return server;
  }
  void run(Task<> body) {
    Status s = loop.run_until_complete(within(std::move(body), sec(30)));
    EXPECT_TRUE(s.ok()) << "test body: " << to_string(s.error());
  }
};

TEST_F(TransportTest, TcpReadsAndWritesTakeNothingFromTheFrameArena) {
  run([](TransportTest& t) -> Task<> {
    Result<TcpStream> server = co_await t.connect();
    CO_ASSERT(server);
    JoinHandle<void> peer = Loop::current().spawn(echo_then_sink(*server, kRounds * kMessage, kBulk), "peer");
    CO_ASSERT(peer);
    const std::string message(kMessage, 'm');
    const std::string bulk(kBulk, 'b');
    char buf[kMessage];
    std::size_t echoed = 0;
    bool all_ok = true;
    {
      FrameArena::Scope measured(t.probe);  // every frame made from here on would come from the probe
      for (int round = 0; round < kRounds && all_ok; ++round) {
        IoResult w = co_await t.transport.write_all(message, sec(10));
        all_ok = w.ok() && w.count == kMessage;
        std::size_t got = 0;
        while (got < kMessage && all_ok) {
          IoResult r = co_await t.transport.read_some({buf, kMessage - got});
          all_ok = r.ok() && r.count > 0;
          got += r.count;
        }
        echoed += got;
      }
      IoResult w = co_await t.transport.write_all(bulk, sec(20));
      EXPECT_TRUE(w.ok()) << to_string(w.error);
      EXPECT_EQ(w.count, kBulk);
      IoResult r = co_await t.transport.read_some({buf, 1});
      EXPECT_TRUE(r.ok() && r.count == 1 && buf[0] == 'k');
    }
    EXPECT_TRUE(all_ok);
    EXPECT_EQ(echoed, kRounds * kMessage);
    const ArenaStats s = t.probe.stats();
    EXPECT_EQ(s.peak, 0u) << "a read or write made a coroutine frame";
    EXPECT_EQ(s.failures, 0u);
    (void)co_await peer.join();
  }(*this));
}

TEST_F(TransportTest, ATcpWriteThePeerDoesNotTakeEndsAtItsTimeoutWithTheCountSent) {
  run([](TransportTest& t) -> Task<> {
    Result<TcpStream> server = co_await t.connect();
    CO_ASSERT(server);
    const std::string bulk(kHuge, 'b');
    IoResult w{};
    {
      FrameArena::Scope measured(t.probe);
      w = co_await t.transport.write_all(bulk, ms(200));
    }
    EXPECT_EQ(w.error, Errc::timed_out);
    EXPECT_GT(w.count, 0u);
    EXPECT_LT(w.count, kHuge);
    EXPECT_EQ(t.probe.stats().peak, 0u);
    // The session closes the transport after a timed-out write: reads then end with closed.
    t.transport.close();
    char c = 0;
    IoResult r = co_await t.transport.read_some({&c, 1});
    EXPECT_EQ(r.error, Errc::closed);
  }(*this));
}

Task<IoResult> coroutine_read(std::size_t n) {
  co_await yield();
  co_return IoResult{n, Errc::ok};
}

TEST_F(TransportTest, AnOpMadeOfACoroutineTakesAFrameAndReportsAFullArenaAsNoMemory) {
  std::array<unsigned char, 1> none{};
  FrameArena empty{none.data(), 0};
  run([](TransportTest& t, FrameArena& full) -> Task<> {
    {
      FrameArena::Scope measured(t.probe);
      Transport::ReadOp op = coroutine_read(3);
      IoResult r = co_await op;
      EXPECT_TRUE(r.ok());
      EXPECT_EQ(r.count, 3u);
    }
    EXPECT_GT(t.probe.stats().peak, 0u) << "the probe sees a coroutine's frame";
    weft::test::LogCapture log;
    {
      FrameArena::Scope measured(full);
      Transport::ReadOp op = coroutine_read(3);
      IoResult r = co_await op;
      EXPECT_EQ(r.error, Errc::no_memory);
      EXPECT_EQ(r.count, 0u);
    }
    EXPECT_EQ(full.stats().failures, 1u);
    EXPECT_FALSE(log.lines.empty()) << "the refused frame is logged";
    Transport::WriteOp closed = IoResult{0, Errc::closed};
    IoResult c = co_await closed;
    EXPECT_EQ(c.error, Errc::closed);
  }(*this, empty));
}

}  // namespace
}  // namespace weft::blynk::test
