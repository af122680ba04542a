// libFuzzer target for the Blynk client's session (framework/blynk: session.cpp, dispatcher.cpp,
// handlers.cpp): the input is what a server sends, through the in-memory network (tests/blynk), to a client
// with pin handlers, a virtual pin with a read handler, and an INTERNAL handler, on a virtual clock.
// Invariants: whatever the server sends, the session never crashes or hangs (the script and a disconnect()
// complete within virtual-time limits), ends in a state it documents, and answers no more than it was asked.
//
// Input layout: byte 0: bit 0 set, the server first answers the login with 200 (so the logged-in dispatcher
// is reached); bits 1..7 seed the sizes of the writes the rest is cut into (1..64 bytes, 50 ms apart).
#include <cstdint>
#include <string>
#include <string_view>

#include "blynk/blynk.hpp"
#include "cloud_files_common.hpp"
#include "core/console.hpp"
#include "core/log.hpp"
#include "core/sleep.hpp"
#include "core/virtual_clock.hpp"
#include "core/weft.hpp"
#include "memory_network.hpp"

namespace {

using namespace weft;
using namespace weft::blynk;
using namespace weft::blynk::test;

void read_counter(int, int& c, Reply& reply) {
  (void)reply.write(++c);
}
void write_counter(int, Values, int& c) {
  ++c;
}

Task<Status> within(Task<> body, Micros limit) {
  co_return co_await wait_for(std::move(body), limit);
}

// What the server sends, cut into writes; it reads (and drops) whatever the device sends meanwhile.
Task<> server(MemoryNetwork::Listener& listener, std::string_view input, bool answer_login,
              std::uint8_t seed) {
  Result<MemoryEnd> accepted = co_await listener.accept(sec(60));
  if (!accepted) co_return;
  MemoryEnd end = *accepted;
  JoinHandle<void> drain = Loop::current().spawn(
      [](MemoryEnd e) -> Task<> {
        char buf[512];
        for (;;) {
          AwaitResult<IoResult> r = co_await e.read_some(buf);
          if (!r || !*r) co_return;
        }
      }(end),
      "drain");
  if (answer_login) {
    const char ok[] = {0, 0, 1, 0, static_cast<char>(200)};  // RESPONSE id 1: 200
    AwaitResult<IoResult> w = co_await end.write_all(std::string_view(ok, sizeof ok));
    if (!w || !*w) co_return;
  }
  std::uint32_t rng = seed * 2654435761u + 1;
  for (std::size_t at = 0; at < input.size();) {
    rng = rng * 1103515245u + 12345u;
    const std::size_t piece = 1 + (rng >> 16) % 64;
    AwaitResult<IoResult> w = co_await end.write_all(input.substr(at, piece));
    if (!w || !*w) break;
    at += piece;
    co_await sleep_ms(50);
  }
  co_await sleep_ms(1000);
  end.close();
  drain.cancel();
}

}  // namespace

// What a program's board provides (the fuzzer is its own board): a default clock and I/O poller (never used:
// the loop is given a clock) and a console (logging is off).
weft::ClockPort& weft::default_clock_port() {
  static VirtualClock clock;
  return clock;
}
weft::IoPoller* weft::default_io_poller() {
  return nullptr;
}
void weft::console_write(const char*, std::size_t) {}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  set_log_level(LogLevel::error);
  set_log_sink([](LogLevel, const char*, void*) {}, nullptr);
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  VirtualClock clock;
  MemoryNetwork net;
  MemoryTransport transport{net};
  MemoryNetwork::Listener& listener = net.listen("blynk.cloud", 80);
  Config config;
  config.token = "abcdefghijklmnopqrstuvwxyz012345";
  config.jitter_seed = 7;
  int writes = 0, internals = 0;
  {
    Blynk blynk(config, transport);
    (void)blynk.on_write(1, [&writes](int, Values v) { writes += v.size() > 0 ? 1 : 0; });
    (void)blynk.on_write(200, [&writes](int, Values) { ++writes; });
    int counter = 0;
    (void)blynk.add_virtual_pin(2, counter, &read_counter, &write_counter);
    blynk.on_internal([&internals](std::string_view, Values) { ++internals; });
    Loop loop(clock);
    JoinHandle<Status> session = loop.spawn(blynk.run(), "blynk");
    AwaitResult<Status> s =
        loop.run_until_complete(within(server(listener, input, (data[0] & 1) != 0, data[0] >> 1), sec(3600)));
    CHECK(s.ok());  // the script ended: the session never blocked it for an hour
    blynk.disconnect();
    session.cancel();
    for (int i = 0; i < 100 && !session.done(); ++i)
      (void)loop.run_for(ms(100));
    CHECK(session.done());
    const State st = blynk.state();
    CHECK(st == State::idle || st == State::waiting || st == State::auth_failed || st == State::connecting ||
          st == State::logging_in || st == State::connected || st == State::bad_config);
  }
  return 0;
}
