// The fixture of the session tests: a Blynk client on a virtual clock, talking through the in-memory network
// to a scripted server at blynk.cloud:80. Each test body is a coroutine (the server's script) run on the same
// loop as the session task; virtual time makes heartbeats and backoffs pass at once.
#pragma once
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "blynk/blynk.hpp"
#include "core/test_support.hpp"
#include "core/weft.hpp"
#include "fake_server.hpp"
#include "memory_network.hpp"

// gtest's ASSERT_* return from the function: inside a coroutine, fail and co_return instead.
#define CO_ASSERT(cond)                                 \
  do {                                                  \
    const bool co_assert_ok_ = static_cast<bool>(cond); \
    EXPECT_TRUE(co_assert_ok_) << #cond;                \
    if (!co_assert_ok_) co_return;                      \
  } while (0)

namespace weft::blynk::test {

inline constexpr std::string_view kToken = "abcdefghijklmnopqrstuvwxyz012345";  // 32 characters
inline constexpr std::string_view kOtherToken = "ZYXWVUTSRQPONMLKJIHGFEDCBA_-9876";

inline Config test_config() {
  Config c;
  c.token = kToken;
  c.template_id = "TMPL4abc123";
  c.firmware = "1.2.3";
  c.build = "Jan 1 2025";
  c.jitter_seed = 12345;
  return c;
}

inline Task<Status> within(Task<> body, Micros limit) {
  co_return co_await wait_for(std::move(body), limit);
}

// The clock the session runs on: a plain virtual clock, or the simulated board (pins, PWM, ADC) on one.
struct VirtualTime {
  weft::VirtualClock port;
};

template <typename Clock>
class BasicSessionTest : public ::testing::Test {
 public:  // test bodies are coroutines outside the fixture class
  Clock clock;
  MemoryNetwork net;
  MemoryTransport transport{net};
  MemoryNetwork::Listener& server = net.listen("blynk.cloud", 80);
  Config config = test_config();
  std::optional<Blynk> blynk;
  std::optional<ServerConn> conn;  // the server's side of the current connection (login())
  Loop loop{clock.port};           // destroyed before what the tasks refer to (declared after it)...
  JoinHandle<Status> session;      // ...and after the handle (declared after the loop)

  // Creates the client with `config` and spawns its task.
  Blynk& start() {
    blynk.emplace(config, transport);
    session = loop.spawn(blynk->run(), "blynk");
    return *blynk;
  }
  // Runs `body` (the server's script) until it ends; fails the test when it has not ended after `limit` of
  // virtual time.
  void run(Task<> body, Micros limit = sec(3600)) {
    Status s = loop.run_until_complete(within(std::move(body), limit));
    EXPECT_TRUE(s.ok()) << "test body: " << to_string(s.error());
  }
  Micros now() { return loop.now(); }

  // Accepts the device's next connection into `conn` and logs it in (the usual start of a test body).
  Task<Status> login(Micros limit = sec(600)) {
    Result<MemoryEnd> e = co_await server.accept(limit);
    if (!e) co_return e.error();
    conn.emplace(*e);
    Status s = co_await conn->accept_login();
    co_return s;
  }
  // The device's next frame of `command` on `conn` (skipping pings and others).
  Task<Result<ServerFrame>> expect(Command command, Micros limit = sec(600)) {
    Result<ServerFrame> f = co_await conn->next_of(command, limit);
    co_return f;
  }
  Task<Status> send(std::string bytes) {
    Status s = co_await conn->send(std::move(bytes));
    co_return s;
  }
};

using SessionTest = BasicSessionTest<VirtualTime>;

}  // namespace weft::blynk::test
