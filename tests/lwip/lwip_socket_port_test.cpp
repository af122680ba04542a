// The lwIP socket port (board/esp8266/lwip) against Debian's real lwIP 2.1, two interfaces wired in-process
// (lwip_wire.hpp): every operation goes through lwIP's TCP state machine and its callbacks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../io/io_test_support.hpp"
#include "core/weft.hpp"
#include "io/io.hpp"
#include "linux/linux_clock.hpp"
#include "lwip_compat.hpp"
#include "lwip_socket_port.hpp"
#include "support/lwip_wire.hpp"

extern "C" {
#include "lwip/timeouts.h"
}

namespace weft::test {
namespace {

constexpr std::uint16_t kPort = 7000;

Endpoint server(std::uint16_t port = kPort) {
  return Endpoint{LwipWire::kServer, port};
}
Endpoint listen_at(std::uint16_t port = kPort) {
  return Endpoint{LwipWire::kListen, port};
}

Task<Status> within(Task<> body, Micros limit) {
  co_return co_await wait_for(std::move(body), limit);
}

class LwipPort : public ::testing::Test {
 protected:
  LwipWire wire;
  Loop loop;
  lwip::LwipSocketPort port{linux_board::linux_clock()};

  // Runs `body` with the wire pumping; fails after 20 s. Every socket must be back in the pool afterwards.
  void run(Task<> body) {
    loop.spawn(wire.pump(), "lwip").detach();
    Status s = loop.run_until_complete(within(std::move(body), sec(20)));
    EXPECT_TRUE(s.ok()) << "test body: " << to_string(s.error());
    EXPECT_EQ(port.sockets_in_use(), 0u) << "a socket leaked";
  }

  // A connected pair: the client `c` and the server's side `a` of one connection through listener `l`.
  struct Pair {
    TcpListener l;
    TcpStream c;
    TcpStream a;
  };
  Task<> connect_pair(Pair& p) {
    Result<TcpListener> lr = TcpListener::listen(listen_at(), 4, port);
    CO_ASSERT(lr.ok());
    p.l = std::move(*lr);
    Result<TcpStream> c = co_await TcpStream::connect(server(), sec(5), port);
    CO_ASSERT(c.ok());
    p.c = std::move(*c);
    Result<TcpStream> a = co_await p.l.accept();
    CO_ASSERT(a.ok());
    p.a = std::move(*a);
  }
};

std::string text(std::span<const char> s) {
  return {s.data(), s.size()};
}

Task<> write_everything(TcpStream& s, std::span<const char> data, IoResult& written, bool& done) {
  written = co_await s.write_all(data);
  done = true;
}

Task<IoResult> read_some_of(TcpStream& s) {
  char buf[16];
  co_return co_await s.read_some(buf);
}

TEST_F(LwipPort, ConnectsExchangesBytesAndClosesBothWays) {
  run([this]() -> Task<> {
    Pair p;
    co_await connect_pair(p);
    auto& [l, c, a] = p;
    CO_ASSERT(c.is_open() && a.is_open());
    EXPECT_EQ(*c.peer_endpoint(), server());
    EXPECT_EQ(a.peer_endpoint()->address, LwipWire::kClientSeenByServer);
    EXPECT_EQ(*a.local_endpoint(), listen_at());

    IoResult w = co_await c.write_all("hello");
    EXPECT_EQ(w.error, Errc::ok);
    char got[5];
    IoResult r = co_await a.read_exactly(got);
    EXPECT_EQ(r.error, Errc::ok);
    EXPECT_EQ(text(got), "hello");

    w = co_await a.write_all("world!");
    EXPECT_EQ(w.error, Errc::ok);
    char back[6];
    r = co_await c.read_exactly(back);
    EXPECT_EQ(text(back), "world!");

    EXPECT_TRUE(c.shutdown_write().ok());  // FIN: the server reads the end of stream
    char more[8];
    r = co_await a.read_some(more);
    EXPECT_EQ(r.error, Errc::closed);
    EXPECT_EQ(r.count, 0u);
    w = co_await a.write_all("bye");  // the other direction still works after a half-close
    EXPECT_EQ(w.error, Errc::ok);
    a.close();
    char last[8];
    r = co_await c.read_some(last);
    EXPECT_EQ(text({last, r.count}), "bye");
    r = co_await c.read_some(last);
    EXPECT_EQ(r.error, Errc::closed);
  }());
}

TEST_F(LwipPort, AWriterWaitsForThePeerToReadThenFinishes) {
  run([this]() -> Task<> {
    Pair p;
    co_await connect_pair(p);
    auto& [l, c, a] = p;
    // 1 MiB never fits lwIP's send buffer (64 KiB) plus the peer's window (64 KiB): the writer must wait.
    std::vector<char> data(1 << 20);
    for (std::size_t i = 0; i < data.size(); ++i)
      data[i] = static_cast<char>(i * 7 + i / 251);
    bool done = false;
    IoResult written;
    JoinHandle<void> writer = loop.spawn(write_everything(c, data, written, done));
    co_await sleep_ms(300);  // the wire goes quiet with both buffers full
    EXPECT_FALSE(done) << "the writer finished although nobody read";

    std::vector<char> got(data.size());
    IoResult r = co_await a.read_exactly(std::span<char>(got));
    EXPECT_EQ(r.error, Errc::ok);
    EXPECT_TRUE(got == data) << "the bytes arrived changed or out of order";
    Status j = co_await writer.join();
    EXPECT_TRUE(j.ok());
    EXPECT_TRUE(done);
    EXPECT_EQ(written.error, Errc::ok);
    EXPECT_EQ(written.count, data.size());
  }());
}

TEST_F(LwipPort, APeerResetEndsAWaitingReadWithReset) {
  run([this]() -> Task<> {
    Pair p;
    co_await connect_pair(p);
    auto& [l, c, a] = p;
    IoResult w = co_await c.write_all("0123456789");
    EXPECT_EQ(w.error, Errc::ok);
    char half[5];
    IoResult r = co_await a.read_exactly(half);  // the server has the data and reads half of it
    EXPECT_EQ(r.error, Errc::ok);
    JoinHandle<IoResult> reader = loop.spawn(read_some_of(c));
    co_await sleep_ms(20);
    a.close();  // unread data left: lwIP answers with a reset, as Linux does
    Result<IoResult> got = co_await reader.join();
    CO_ASSERT(got.ok());
    EXPECT_EQ(got->error, Errc::reset);
    w = co_await c.write_all("more");  // a reset connection stays reset
    EXPECT_EQ(w.error, Errc::reset);
  }());
}

TEST_F(LwipPort, ConnectingToAPortNobodyListensOnIsRefused) {
  run([this]() -> Task<> {
    Result<TcpStream> c = co_await TcpStream::connect(server(7999), sec(5), port);
    EXPECT_EQ(c.error(), Errc::refused);
  }());
}

TEST_F(LwipPort, ConnectingToAHostThatNeverAnswersTimesOutAndLeavesNothing) {
  run([this]() -> Task<> {
    Endpoint silent{IpAddress::v4(10, 1, 0, 9), 80};  // the wire drops everything sent there
    Result<TcpStream> c = co_await TcpStream::connect(silent, ms(300), port);
    EXPECT_EQ(c.error(), Errc::timed_out);
  }());
}

TEST_F(LwipPort, AnIpv6AddressWithoutARouteIsUnreachable) {
  run([this]() -> Task<> {
    Result<IpAddress> v6 = IpAddress::parse("fd00::7");
    CO_ASSERT(v6.ok());
    Result<TcpStream> c = co_await TcpStream::connect(Endpoint{*v6, 80}, sec(5), port);
    EXPECT_EQ(c.error(), Errc::unreachable);
  }());
}

TEST(LwipAddresses, ConvertBothFamiliesBackAndForth) {
  for (const char* text : {"10.1.0.7", "255.0.128.1", "fd00::7", "2001:db8::ff00:42:8329"}) {
    IpAddress a = *IpAddress::parse(text);
    ip_addr_t l;
    ASSERT_TRUE(lwip::to_lwip(a, l)) << text;
    EXPECT_TRUE(lwip::from_lwip(l) == a) << text;
  }
}

TEST_F(LwipPort, PortZeroIsRejectedWithAClearError) {
  run([this]() -> Task<> {
    Result<TcpStream> c = co_await TcpStream::connect(Endpoint{LwipWire::kServer, 0}, port);
    EXPECT_EQ(c.error(), Errc::invalid_argument);
  }());
}

TEST_F(LwipPort, ListeningTwiceOnOnePortIsAnError) {
  run([this]() -> Task<> {
    Result<TcpListener> first = TcpListener::listen(listen_at(), 4, port);
    CO_ASSERT(first.ok());
    Result<TcpListener> second = TcpListener::listen(listen_at(), 4, port);
    EXPECT_EQ(second.error(), Errc::io_error);
    co_return;
  }());
}

TEST_F(LwipPort, ACancelledReadTakesNothingAndTheNextReadGetsTheData) {
  run([this]() -> Task<> {
    Pair p;
    co_await connect_pair(p);
    auto& [l, c, a] = p;
    char buf[16];
    IoResult r = co_await wait_for(c.read_some(buf), ms(50));
    EXPECT_EQ(r.error, Errc::timed_out);
    EXPECT_EQ(r.count, 0u);
    IoResult w = co_await a.write_all("late");
    EXPECT_EQ(w.error, Errc::ok);
    r = co_await c.read_some(buf);
    EXPECT_EQ(r.error, Errc::ok);
    EXPECT_EQ(text({buf, r.count}), "late");
  }());
}

TEST_F(LwipPort, AFullSocketPoolRefusesWithNoMemoryAndRecovers) {
  run([this]() -> Task<> {
    Pair first;
    co_await connect_pair(first);
    TcpListener& l = first.l;
    Result<TcpStream> c2 = co_await TcpStream::connect(server(), sec(5), port);
    CO_ASSERT(c2.ok());
    Result<TcpStream> a2 = co_await l.accept();
    CO_ASSERT(a2.ok());
    EXPECT_EQ(port.sockets_in_use(), lwip::LwipSocketPort::kMaxSockets);
    Result<TcpStream> c3 = co_await TcpStream::connect(server(), sec(5), port);
    EXPECT_EQ(c3.error(), Errc::no_memory);
    c2->close();
    Result<TcpStream> c4 = co_await TcpStream::connect(server(), sec(5), port);
    EXPECT_TRUE(c4.ok());
  }());
}

TEST_F(LwipPort, ClosingAListenerFreesConnectionsNobodyAccepted) {
  run([this]() -> Task<> {
    Result<TcpListener> l = TcpListener::listen(listen_at(), 4, port);
    CO_ASSERT(l.ok());
    Result<TcpStream> c = co_await TcpStream::connect(server(), sec(5), port);
    CO_ASSERT(c.ok());
    IoResult w = co_await c->write_all("queued before accept");
    EXPECT_EQ(w.error, Errc::ok);
    co_await sleep_ms(20);
    EXPECT_EQ(port.sockets_in_use(), 3u);  // listener, client and the connection lwIP accepted
    l->close();
    EXPECT_EQ(port.sockets_in_use(), 1u);
    char buf[4];
    IoResult r = co_await c->read_some(buf);  // the unread data made it a reset
    EXPECT_EQ(r.error, Errc::reset);
  }());
}

// --- DNS: Debian's lwIP has no DNS client (LWIP_DNS 0); a lookup with dns_gethostbyname's signature that
// answers from lwIP's timers, as the real one answers from its UDP callback.
struct PendingAnswer {
  lwip::DnsFound found;
  void* arg;
  bool known;
  bool used;
};
PendingAnswer g_answers[4];

void answer(void* slot) {
  auto* a = static_cast<PendingAnswer*>(slot);
  a->used = false;
  ip_addr_t ip;
  IP_ADDR4(&ip, 10, 1, 0, 7);
  a->found("name", a->known ? &ip : nullptr, a->arg);
}

err_t fake_lookup(const char* name, ip_addr_t* /*address*/, lwip::DnsFound found, void* arg) {
  for (PendingAnswer& a : g_answers) {
    if (a.used) continue;
    a = {found, arg, std::string(name) == "cloud.test", true};
    sys_timeout(std::string(name) == "slow.test" ? 500 : 10, &answer, &a);
    return ERR_INPROGRESS;
  }
  return ERR_MEM;
}

TEST_F(LwipPort, ResolvesANameThroughTheLookupAndAnUnknownNameIsNameNotFound) {
  lwip::set_dns_lookup(port, &fake_lookup);
  run([this]() -> Task<> {
    Result<Endpoint> e = co_await resolve("cloud.test", 8080, port);
    CO_ASSERT(e.ok());
    EXPECT_EQ(*e, server(8080));
    e = co_await resolve("nowhere.test", 80, port);
    EXPECT_EQ(e.error(), Errc::name_not_found);
    e = co_await resolve("10.1.0.7", 81, port);  // numeric: no lookup
    EXPECT_EQ(*e, server(81));
  }());
}

TEST_F(LwipPort, ACancelledLookupDropsItsLateAnswer) {
  lwip::set_dns_lookup(port, &fake_lookup);
  run([this]() -> Task<> {
    Result<Endpoint> e = co_await wait_for(resolve("slow.test", 80, port), ms(20));
    EXPECT_EQ(e.error(), Errc::timed_out);
    co_await sleep_ms(700);  // the answer comes and is dropped
    e = co_await resolve("cloud.test", 80, port);
    EXPECT_TRUE(e.ok());
  }());
}

TEST_F(LwipPort, WithoutADnsClientANameIsNameNotFound) {
  run([this]() -> Task<> {
    Result<Endpoint> e = co_await resolve("cloud.test", 80, port);
    EXPECT_EQ(e.error(), Errc::name_not_found);
  }());
}

}  // namespace
}  // namespace weft::test
