#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "../core/test_support.hpp"
#include "io_test_support.hpp"
#include "linux/io/linux_socket_port.hpp"
#include "linux/linux_clock.hpp"

namespace weft {
namespace {

using linux_board::LinuxSocketPort;
using ResolveTest = test::IoTest;

// Fake lookups (they run on the resolver's helper threads).
std::atomic<int> g_calls{0};
std::atomic<int> g_running{0};
std::atomic<int> g_max_running{0};
std::atomic<bool> g_release{false};

Result<Endpoint> counting_lookup(const char*, std::uint16_t port) {
  ++g_calls;
  return Endpoint::v4(10, 0, 0, 1, port);
}

Result<Endpoint> unknown_lookup(const char*, std::uint16_t) {
  return Errc::name_not_found;
}

// Blocks until g_release (at most 5 s), tracking how many run at once.
Result<Endpoint> blocking_lookup(const char* host, std::uint16_t port) {
  int now = ++g_running;
  for (int seen = g_max_running; now > seen && !g_max_running.compare_exchange_weak(seen, now);) {
  }
  for (int i = 0; i < 5000 && !g_release; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  --g_running;
  return Endpoint::v4(10, 0, 0, static_cast<std::uint8_t>(std::string(host).size()), port);
}

// Runs until the resolver has nothing outstanding (late answers collected), at most 5 s.
Task<> settle(LinuxSocketPort& port) {
  for (int i = 0; i < 5000 && port.resolver().outstanding() > 0; ++i)
    co_await sleep_ms(1);
  EXPECT_EQ(port.resolver().outstanding(), 0);
}

class SlowLookup : public ResolveTest {
 protected:
  SlowLookup() {
    g_release = false;
    g_running = 0;
    g_max_running = 0;
  }
  ~SlowLookup() override { g_release = true; }
};

TEST_F(ResolveTest, NumericAddressesAnswerAtOnceWithoutALookup) {
  LinuxSocketPort sockets(linux_board::linux_clock(), &counting_lookup);
  g_calls = 0;
  run([](LinuxSocketPort& port) -> Task<> {
    Result<Endpoint> v4 = co_await resolve("192.168.4.1", 80, port);
    EXPECT_EQ(v4.value_or(Endpoint{}), Endpoint::v4(192, 168, 4, 1, 80));
    Result<Endpoint> v6 = co_await resolve("::1", 8080, port);
    EXPECT_EQ(v6.value_or(Endpoint{}), (Endpoint{IpAddress::loopback_v6(), 8080}));
  }(sockets));
  EXPECT_EQ(g_calls, 0);
}

TEST_F(ResolveTest, ANameIsLookedUpOffTheLoopAndGetsThePort) {
  LinuxSocketPort sockets(linux_board::linux_clock(), &counting_lookup);
  run([](LinuxSocketPort& port) -> Task<> {
    Result<Endpoint> e = co_await resolve("blynk.example", 443, port);
    EXPECT_EQ(e.value_or(Endpoint{}), Endpoint::v4(10, 0, 0, 1, 443));
    co_await settle(port);
  }(sockets));
}

TEST_F(ResolveTest, LocalhostResolvesToTheLoopbackAddress) {
  run([]() -> Task<> {
    Result<Endpoint> e = co_await wait_for(resolve("localhost", 80), sec(5));
    CO_ASSERT(e.ok());
    EXPECT_TRUE(e->address == IpAddress::loopback_v4() || e->address == IpAddress::loopback_v6());
    EXPECT_EQ(e->port, 80);
  }());
}

TEST_F(ResolveTest, AnUnknownNameIsNameNotFound) {
  LinuxSocketPort sockets(linux_board::linux_clock(), &unknown_lookup);
  run([](LinuxSocketPort& port) -> Task<> {
    EXPECT_EQ((co_await resolve("no-such-host.invalid", 80, port)).error(), Errc::name_not_found);
    co_await settle(port);
  }(sockets));
}

TEST_F(ResolveTest, TheSystemLookupOfAReservedInvalidNameFindsNothing) {
  // RFC 6761: ".invalid" never resolves. Without a reachable name server the system says "try again".
  Result<Endpoint> e = linux_board::LinuxResolver::system_lookup("no-such-host.invalid", 80);
  EXPECT_TRUE(e.error() == Errc::name_not_found || e.error() == Errc::timed_out) << to_string(e.error());
}

TEST_F(ResolveTest, EmptyOverlongAndNulContainingNamesAreInvalidArguments) {
  test::LogCapture log;
  run([]() -> Task<> {
    EXPECT_EQ((co_await resolve("", 80)).error(), Errc::invalid_argument);
    EXPECT_EQ((co_await resolve(std::string(254, 'a'), 80)).error(), Errc::invalid_argument);
    EXPECT_EQ((co_await resolve(std::string_view("a\0b", 3), 80)).error(), Errc::invalid_argument);
  }());
  EXPECT_TRUE(log.contains("empty host name"));
  EXPECT_TRUE(log.contains("longer than 253"));
  EXPECT_TRUE(log.contains("NUL"));
}

TEST_F(SlowLookup, ATimedOutLookupIsDroppedAndItsLateAnswerDiscarded) {
  LinuxSocketPort sockets(linux_board::linux_clock(), &blocking_lookup);
  run([](LinuxSocketPort& port) -> Task<> {
    Result<Endpoint> e = co_await wait_for(resolve("slow.example", 80, port), ms(20));
    EXPECT_EQ(e.error(), Errc::timed_out);
    EXPECT_EQ(port.resolver().outstanding(), 1) << "its thread is still busy";
    g_release = true;
    co_await settle(port);  // the late answer arrived and went nowhere
    e = co_await resolve("next.example", 81, port);
    EXPECT_EQ(e.value_or(Endpoint{}), Endpoint::v4(10, 0, 0, 12, 81));
  }(sockets));
}

TEST_F(SlowLookup, LookupsRunConcurrentlyOnHelperThreads) {
  LinuxSocketPort sockets(linux_board::linux_clock(), &blocking_lookup);
  run([](LinuxSocketPort& port) -> Task<> {
    auto one = [](LinuxSocketPort& p, const char* host) -> Task<> {
      EXPECT_TRUE((co_await resolve(host, 1, p)).ok());
    };
    Loop& here = Loop::current();
    auto a = here.spawn(one(port, "a.example"));
    auto b = here.spawn(one(port, "b.example"));
    for (int i = 0; i < 5000 && g_running < 2; ++i)
      co_await sleep_ms(1);
    EXPECT_EQ(g_max_running, 2) << "one slow name does not hold up the other";
    g_release = true;
    co_await a.join();
    co_await b.join();
    co_await settle(port);
  }(sockets));
}

TEST_F(SlowLookup, CancellingALookupThatHasNotStartedDropsItAtOnce) {
  LinuxSocketPort sockets(linux_board::linux_clock(), &blocking_lookup, 1);
  run([](LinuxSocketPort& port) -> Task<> {
    auto one = [](LinuxSocketPort& p, Errc& out) -> Task<> {
      out = (co_await resolve("q.example", 1, p)).error();
    };
    Loop& here = Loop::current();
    Errc first = Errc::io_error;
    Errc second = Errc::io_error;
    auto a = here.spawn(one(port, first));
    for (int i = 0; i < 5000 && g_running < 1; ++i)
      co_await sleep_ms(1);  // the only thread is busy
    auto b = here.spawn(one(port, second));
    co_await sleep_ms(1);
    EXPECT_EQ(port.resolver().outstanding(), 2);
    b.cancel();
    co_await b.join();
    EXPECT_EQ(second, Errc::cancelled);
    EXPECT_EQ(port.resolver().outstanding(), 1) << "the queued lookup was dropped without running";
    g_release = true;
    co_await a.join();
    EXPECT_EQ(first, Errc::ok);
    co_await settle(port);
  }(sockets));
}

TEST_F(SlowLookup, DestroyingThePortEndsWaitingLookupsWithClosed) {
  std::optional<LinuxSocketPort> sockets;
  sockets.emplace(linux_board::linux_clock(), &blocking_lookup);
  run([](std::optional<LinuxSocketPort>& port) -> Task<> {
    auto one = [](LinuxSocketPort& p, Errc& out) -> Task<> {
      out = (co_await resolve("gone.example", 1, p)).error();
    };
    Errc seen = Errc::ok;
    auto h = Loop::current().spawn(one(*port, seen));
    for (int i = 0; i < 5000 && g_running < 1; ++i)
      co_await sleep_ms(1);
    port.reset();  // its helper thread is still inside the lookup
    co_await h.join();
    EXPECT_EQ(seen, Errc::closed);
    g_release = true;  // the thread finishes, finds nobody, and frees what is left
  }(sockets));
}

}  // namespace
}  // namespace weft
