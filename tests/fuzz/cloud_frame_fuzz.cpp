// libFuzzer target for the local cloud's per-frame handlers (board/linux/cloud/blynk_connection.cpp): a
// connection fed the input as the bytes a device sent, on a stream that is closed (the cloud's answers fail
// to send, as to a device that vanished), on a virtual clock.
// Invariants: serve() returns within its deadlines whatever the bytes (no hang, no crash, no leak); afterwards
// no device is left online, no stored value is over the body limit, and the device's JSON is whole.
//
// Input layout: byte 0 bit 0 set: the bytes follow a valid login of device A (so the logged-in handlers are
// reached); the rest is what the device sent.
#include <cstdint>
#include <string>
#include <string_view>

#include "blynk/protocol.hpp"
#include "blynk_connection.hpp"
#include "cloud.hpp"
#include "cloud_files_common.hpp"
#include "core/log.hpp"
#include "core/loop.hpp"
#include "core/virtual_clock.hpp"
#include "peer_stream.hpp"
#include "rest_api.hpp"
#include "store.hpp"

namespace {

using namespace weft;
using namespace weft::cloud;

constexpr char kTokenA[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
constexpr char kTokenB[] = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

std::string login_frame() {
  std::string f(5, '\0');
  f[0] = static_cast<char>(blynk::Command::hw_login);
  f[2] = 1;  // id 1
  f[4] = 32;
  return f + kTokenA;
}

}  // namespace

// The board's default clock and I/O poller (a program's board provides them; Loop() without one asks for
// them): never used here.
weft::ClockPort& weft::default_clock_port() {
  static VirtualClock clock;
  return clock;
}
weft::IoPoller* weft::default_io_poller() {
  return nullptr;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  set_log_level(LogLevel::error);
  set_log_sink([](LogLevel, const char*, void*) {}, nullptr);
  std::string input = (data[0] & 1) != 0 ? login_frame() : std::string();
  input.append(reinterpret_cast<const char*>(data) + 1, size - 1);

  VirtualClock clock;
  Loop loop(clock);
  Store store;
  (void)store.add(DeviceSpec{.name = "a", .token = kTokenA});
  (void)store.add(DeviceSpec{.name = "b", .token = kTokenB});
  {
    Cloud cloud(store, CloudOptions{.http = false, .failed_login_burst = 1e9});
    PeerStream stream{TcpStream()};  // not connected: every write fails with Errc::closed
    BlynkConnection conn(cloud, stream, "127.0.0.1:4242");
    AwaitResult<void> r = loop.run_until_complete(conn.serve(std::move(input)), "conn");
    CHECK(r.ok());
  }
  for (const auto& d : store.devices()) {
    CHECK(!d->online());
    for (const auto& [pin, value] : d->values)
      CHECK(value.size() <= CloudOptions{}.max_body);
    const std::string json = device_json(*d);  // what GET /{token}/project prints
    CHECK(!json.empty() && json.front() == '{' && json.back() == '}');
  }
  return 0;
}
