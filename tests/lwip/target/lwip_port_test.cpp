// The lwIP socket port (board/esp8266/lwip) on the lx106 under QEMU, compiled against the NONOS SDK's lwIP
// 1.4 headers and driven through a fake of the raw calls it uses (fake_lwip.hpp): connect, read, write and
// close with back-pressure and errors, as the SDK's lwIP would call back.
#include "core/log.hpp"
#include "support/fake_lwip.hpp"
#include "harness.hpp"
#include "io/io.hpp"
#include "lwip_socket_port.hpp"
#include "target_support.hpp"

namespace weft {
namespace {

using lwip::LwipSocketPort;

const Endpoint kServer = Endpoint::v4(192, 168, 4, 1, 8080);

struct Rig {
  Rig() { fake_lwip::reset(); }
  target::VirtualLoop v;
  LwipSocketPort port{v.clock};
  TcpStream stream;
  Errc connect_result = Errc::cancelled;
  IoResult io{};
  char buf[64] = {};
  bool done = false;

  void step(int ms_more = 1) { (void)v.loop.run_until(v.loop.now() + ms(ms_more)); }
};

Task<> connect_task(Rig& r) {
  Result<TcpStream> s = co_await TcpStream::connect(kServer, r.port);
  r.connect_result = s.ok() ? Errc::ok : s.error();
  if (s.ok()) r.stream = std::move(*s);
}

Task<> read_task(Rig& r) {
  r.io = co_await r.stream.read_some(r.buf);
  r.done = true;
}

Task<> write_task(Rig& r, std::string_view data) {
  r.io = co_await r.stream.write_all(data);
  r.done = true;
}

// Connects r.stream through the fake handshake; the connection's pcb.
tcp_pcb* connected(Rig& r) {
  r.v.loop.spawn(connect_task(r), "connect");
  r.step();
  tcp_pcb* pcb = fake_lwip::last_pcb();
  fake_lwip::establish(pcb);
  r.step();
  return pcb;
}

TEST(LwipPort, ConnectsWritesReadsAndClosesLeavingNothingBehind) {
  Rig r;
  r.v.loop.spawn(connect_task(r), "connect");
  r.step();
  EXPECT_EQ(r.connect_result, Errc::cancelled);  // still in the handshake
  tcp_pcb* pcb = fake_lwip::last_pcb();
  ASSERT_TRUE(pcb != nullptr);
  EXPECT_EQ(pcb->remote_port, 8080);
  fake_lwip::establish(pcb);
  r.step();
  ASSERT_EQ(r.connect_result, Errc::ok);

  r.v.loop.spawn(write_task(r, "hello"), "write");
  r.step();
  EXPECT_TRUE(r.done);
  EXPECT_STREQ(fake_lwip::wire(), "hello");

  r.done = false;
  r.v.loop.spawn(read_task(r), "read");
  r.step();
  EXPECT_FALSE(r.done);  // nothing arrived: the read waits (no polling)
  fake_lwip::deliver(pcb, "world");
  r.step();
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.io.error, Errc::ok);
  EXPECT_EQ(r.io.count, 5u);
  EXPECT_EQ(std::memcmp(r.buf, "world", 5), 0);
  EXPECT_EQ(fake_lwip::recved_total(), 5ul);  // the window reopens by what the app consumed
  EXPECT_EQ(fake_lwip::pbufs_in_use(), 0);

  r.done = false;
  r.v.loop.spawn(read_task(r), "read");
  fake_lwip::deliver_fin(pcb);
  r.step();
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.io.error, Errc::closed);

  r.stream.close();
  EXPECT_EQ(fake_lwip::closes(), 1);
  EXPECT_EQ(fake_lwip::closed_with_callbacks(), 0);  // callbacks cleared before the pcb was let go
  EXPECT_EQ(fake_lwip::pcbs_in_use(), 0);
  EXPECT_EQ(r.port.sockets_in_use(), 0u);
}

TEST(LwipPort, AWriterWaitsForTcpSentWhenTheSendBufferIsFull) {
  Rig r;
  tcp_pcb* pcb = connected(r);
  static char big[4000];
  for (std::size_t i = 0; i < sizeof big; ++i)
    big[i] = static_cast<char>('a' + i % 26);
  r.v.loop.spawn(write_task(r, std::string_view(big, sizeof big)), "write");
  r.step(10);
  EXPECT_FALSE(r.done);  // the send buffer (2 x 1460) is full: the writer sleeps
  EXPECT_EQ(fake_lwip::wire_length(), static_cast<std::size_t>(TCP_SND_BUF));
  fake_lwip::ack(pcb, 1000);  // tcp_sent: space for 1000 more
  r.step();
  EXPECT_FALSE(r.done);
  EXPECT_EQ(fake_lwip::wire_length(), static_cast<std::size_t>(TCP_SND_BUF) + 1000);
  fake_lwip::ack(pcb, 2920);
  r.step();
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.io.error, Errc::ok);
  EXPECT_EQ(r.io.count, sizeof big);
  EXPECT_EQ(std::memcmp(fake_lwip::wire(), big, sizeof big), 0);
}

TEST(LwipPort, AResetAnsweringTheSynIsRefused) {
  Rig r;
  r.v.loop.spawn(connect_task(r), "connect");
  r.step();
  fake_lwip::fail(fake_lwip::last_pcb(), ERR_RST);
  r.step();
  EXPECT_EQ(r.connect_result, Errc::refused);
  EXPECT_EQ(r.port.sockets_in_use(), 0u);
  EXPECT_EQ(fake_lwip::pcbs_in_use(), 0);
}

TEST(LwipPort, ARouteErrorFromTcpConnectIsUnreachable) {
  Rig r;
  fake_lwip::set_connect_error(ERR_RTE);
  r.v.loop.spawn(connect_task(r), "connect");
  r.step();
  EXPECT_EQ(r.connect_result, Errc::unreachable);
  EXPECT_EQ(fake_lwip::pcbs_in_use(), 0);
  EXPECT_EQ(r.port.sockets_in_use(), 0u);
}

TEST(LwipPort, AResetGivesTheBytesThatArrivedFirstThenReset) {
  Rig r;
  tcp_pcb* pcb = connected(r);
  fake_lwip::deliver(pcb, "ab");
  fake_lwip::fail(pcb, ERR_RST);  // lwIP freed the pcb: the port must never touch it again
  r.v.loop.spawn(read_task(r), "read");
  r.step();
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.io.count, 2u);  // what arrived before the reset is still the app's
  EXPECT_EQ(fake_lwip::pbufs_in_use(), 0);
  r.done = false;
  r.v.loop.spawn(read_task(r), "read");
  r.step();
  r.step();
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.io.error, Errc::reset);
  r.done = false;
  r.v.loop.spawn(write_task(r, "x"), "write");
  r.step();
  EXPECT_EQ(r.io.error, Errc::reset);
  r.stream.close();
  EXPECT_EQ(fake_lwip::closes(), 0);  // nothing left to close
  EXPECT_EQ(r.port.sockets_in_use(), 0u);
}

TEST(LwipPort, TheStackGivingUpIsTimedOut) {
  Rig r;
  tcp_pcb* pcb = connected(r);
  r.v.loop.spawn(read_task(r), "read");
  fake_lwip::fail(pcb, ERR_ABRT);  // retransmissions ran out
  r.step();
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.io.error, Errc::timed_out);
}

TEST(LwipPort, ClosingWithUnreadDataFreesEveryPbuf) {
  Rig r;
  tcp_pcb* pcb = connected(r);
  fake_lwip::deliver(pcb, "first");
  fake_lwip::deliver(pcb, "second");
  EXPECT_EQ(fake_lwip::pbufs_in_use(), 2);
  char three[3];
  r.io = {};
  r.v.loop.spawn(
      [](Rig& rig, std::span<char> into) -> Task<> { rig.io = co_await rig.stream.read_exactly(into); }(
                                             r, three),
      "read3");
  r.step();
  EXPECT_EQ(r.io.count, 3u);
  EXPECT_EQ(fake_lwip::pbufs_in_use(), 2);  // "first" is half read
  r.stream.close();
  EXPECT_EQ(fake_lwip::pbufs_in_use(), 0);
  EXPECT_EQ(fake_lwip::pcbs_in_use(), 0);
}

Task<> accept_task(TcpListener& l, Rig& r) {
  Result<TcpStream> s = co_await l.accept();
  r.connect_result = s.ok() ? Errc::ok : s.error();
  if (s.ok()) r.stream = std::move(*s);
}

TEST(LwipPort, AListenerAcceptsAndAFullPoolAbortsTheExtraConnection) {
  Rig r;
  Result<TcpListener> l = TcpListener::listen(Endpoint::v4(0, 0, 0, 0, 80), 2, r.port);
  ASSERT_TRUE(l.ok());
  tcp_pcb* listener = fake_lwip::last_listener();
  r.v.loop.spawn(accept_task(*l, r), "accept");
  r.step();
  EXPECT_EQ(r.connect_result, Errc::cancelled);  // waiting for a connection
  tcp_pcb* first = fake_lwip::accept_incoming(listener);
  ASSERT_TRUE(first != nullptr);
  fake_lwip::deliver(first, "hi");  // data before the app accepted: queued on the new socket
  r.step();
  ASSERT_EQ(r.connect_result, Errc::ok);
  Result<Endpoint> peer = r.stream.peer_endpoint();
  ASSERT_TRUE(peer.ok());
  EXPECT_TRUE(*peer == Endpoint::v4(192, 168, 4, 2, 50000));
  r.v.loop.spawn(read_task(r), "read");
  r.step();
  EXPECT_EQ(r.io.count, 2u);

  for (std::size_t i = r.port.sockets_in_use(); i < LwipSocketPort::kMaxSockets; ++i)
    EXPECT_TRUE(fake_lwip::accept_incoming(listener) != nullptr);
  EXPECT_TRUE(fake_lwip::accept_incoming(listener) == nullptr);  // the pool is full: aborted
  EXPECT_EQ(fake_lwip::aborts(), 1);
  Result<TcpListener> again = TcpListener::listen(Endpoint::v4(0, 0, 0, 0, 80), 2, r.port);
  EXPECT_EQ(again.error(), Errc::no_memory);  // no socket left for it
  l->close();                                 // and the connections nobody accepted with it
  r.stream.close();
  EXPECT_EQ(r.port.sockets_in_use(), 0u);
  EXPECT_EQ(fake_lwip::pcbs_in_use(), 0);
  EXPECT_EQ(fake_lwip::closed_with_callbacks(), 0);
}

TEST(LwipPort, ListeningOnAPortInUseIsAnError) {
  Rig r;
  Result<TcpListener> l = TcpListener::listen(Endpoint::v4(0, 0, 0, 0, 80), 2, r.port);
  ASSERT_TRUE(l.ok());
  Result<TcpListener> again = TcpListener::listen(Endpoint::v4(0, 0, 0, 0, 80), 2, r.port);
  EXPECT_EQ(again.error(), Errc::io_error);  // ERR_USE
  EXPECT_EQ(r.port.sockets_in_use(), 1u);
}

TEST(LwipPort, ShutdownWriteSendsFinAndReadingGoesOn) {
  Rig r;
  tcp_pcb* pcb = connected(r);
  EXPECT_TRUE(r.stream.shutdown_write().ok());
  EXPECT_TRUE(fake_lwip::shut_tx());
  r.v.loop.spawn(read_task(r), "read");
  fake_lwip::deliver(pcb, "tail");
  r.step();
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.io.count, 4u);
}

TEST(LwipPort, PrintsItsMemoryPerConnection) {
  WEFT_LOG_INFO(
      "lwIP socket port on lx106: %u B per pool slot (LwipSocket), %u B per tcp_pcb (SDK lwIP), "
      "%u B for the port with %u slots",
      static_cast<unsigned>(sizeof(lwip::LwipSocket)), static_cast<unsigned>(sizeof(tcp_pcb)),
      static_cast<unsigned>(sizeof(LwipSocketPort)), static_cast<unsigned>(LwipSocketPort::kMaxSockets));
  EXPECT_LE(sizeof(lwip::LwipSocket), 64u);  // budget: a slot stays smaller than a SDK tcp_pcb's third
}

}  // namespace
}  // namespace weft
