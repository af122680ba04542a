// The local cloud against peers that do not play by the rules: floods that never read, logins dripped a byte
// at a time, more connections than it serves, a spawn that fails. Each is a regression test of a way the
// cloud could be stalled, bloated or kept from stopping.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "blynk/token_text.hpp"
#include "cloud_test_support.hpp"
#include "core/frame_arena.hpp"
#include "core/log.hpp"

namespace weft::cloud::test {
namespace {

using blynk::Command;
using blynk::StatusCode;

class CloudHostile : public CloudTest {};

// Every log line while alive, joined.
struct LogLines {
  std::string all;
  LogLines() {
    set_log_sink([](LogLevel, const char* line, void* self) { static_cast<LogLines*>(self)->all += line; },
                 this);
  }
  ~LogLines() { set_log_sink(nullptr, nullptr); }
};

// A connected loopback socket, blocking, outside the loop: a peer that never reads.
int raw_connect(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST_F(CloudHostile, DropsADeviceThatFloodsPingsAndNeverReadsAtTheQueueCap) {
  store.add(DeviceSpec{.name = "flooder", .token = kTokenA});
  store.add(DeviceSpec{.name = "good", .token = kTokenB});
  start({.max_queued = 64 * 1024});
  run(
      [this]() -> Task<> {
        RawDevice flooder;
        RawDevice good;
        CO_ASSERT(co_await flooder.come_online(at(), kTokenA));
        CO_ASSERT(co_await good.come_online(at(), kTokenB));
        std::string pings;
        for (std::uint16_t id = 1; pings.size() < 64 * 1024; ++id)
          pings += RawDevice::frame(Command::ping, static_cast<std::uint16_t>(id % 60000 + 1), "");
        // The answers fill the socket buffers, then the cloud's queue: at its cap the flooder is dropped
        // (writing then fails), long before 64 MiB of pings.
        bool dropped = false;
        for (int chunk = 0; chunk < 1024 && !dropped; ++chunk) {
          Status s = co_await flooder.send_raw(pings);
          dropped = !s.ok();
        }
        EXPECT_TRUE(dropped);
        CO_ASSERT(co_await good.send(Command::ping, 7));
        Result<Received> r = co_await good.next_of(Command::response);
        CO_ASSERT(r);
        EXPECT_EQ(r->id, 7);
        EXPECT_FALSE(store.find(kTokenA)->online());
      }(),
      sec(120));
}

TEST_F(CloudHostile, ClosesALoginDrippedAByteAtATimeAtTheLoginDeadline) {
  store.add(DeviceSpec{.name = "dev", .token = kTokenA});
  start({.login_timeout = ms(800)});
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    const std::string login = RawDevice::frame(Command::hw_login, 1, kTokenA);
    // 37 bytes, one every 150 ms: every read arrives well within the timeout, the login as a whole does not.
    bool closed = false;
    for (std::size_t i = 0; i + 1 < login.size() && !closed; ++i) {
      Status w = co_await d.send_raw(login.substr(i, 1));
      closed = !w.ok();
      Result<Received> f = co_await d.next(ms(150));
      closed = closed || (!f && f.error() != Errc::timed_out);
    }
    EXPECT_TRUE(closed) << "the dripped login was still open after 5 s";
    EXPECT_FALSE(store.find(kTokenA)->online());
  }());
}

TEST_F(CloudHostile, RefusesConnectionsOverTheCapWhileTheDevicesOnlineKeepWorking) {
  store.add(DeviceSpec{.name = "dev", .token = kTokenA});
  start({.max_connections = 4});
  run([this]() -> Task<> {
    RawDevice device;
    CO_ASSERT(co_await device.come_online(at(), kTokenA));
    RawDevice idle[3];
    for (RawDevice& i : idle)
      CO_ASSERT(co_await i.connect(at()));
    RawDevice over;
    CO_ASSERT(co_await over.connect(at()));  // the kernel accepts; the cloud closes it at once
    Status closed = co_await over.wait_closed(sec(3));
    EXPECT_TRUE(closed.ok());
    CO_ASSERT(co_await device.send(Command::ping, 9));
    Result<Received> r = co_await device.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 9);
    for (RawDevice& i : idle)
      i.close();
  }());
}

TEST_F(CloudHostile, LogsUnknownTokensAsTheirFirstFourCharactersAndAHashOnly) {
  store.add(DeviceSpec{.name = "dev", .token = kTokenA});
  start();
  LogLines log;
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    Result<StatusCode> s = co_await d.login(kTokenB);
    CO_ASSERT(s);
    EXPECT_EQ(*s, StatusCode::invalid_token);
    RawDevice bridge;
    CO_ASSERT(co_await bridge.come_online(at(), kTokenA));
    const std::string unknown = "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
    CO_ASSERT(co_await bridge.send(Command::bridge, 5, "64", "i", unknown));
    Result<Received> r = co_await bridge.next_of(Command::response);
    CO_ASSERT(r);
  }());
  EXPECT_EQ(log.all.find(kTokenB), std::string::npos) << log.all;
  EXPECT_EQ(log.all.find("CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"), std::string::npos) << log.all;
  EXPECT_NE(log.all.find(blynk::token_text(kTokenB).c_str()), std::string::npos) << log.all;
  EXPECT_NE(log.all.find(blynk::token_text("CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC").c_str()), std::string::npos)
      << log.all;
}

TEST_F(CloudHostile, ThrottlesFailedLoginsFromAnAddressAndSaysSo) {
  store.add(DeviceSpec{.name = "dev", .token = kTokenA});
  start({.failed_login_burst = 3, .failed_logins_per_second = 0.001});
  LogLines log;
  run([this]() -> Task<> {
    for (int i = 0; i < 3; ++i) {  // the burst: answered
      RawDevice guess;
      CO_ASSERT(co_await guess.connect(at()));
      Result<StatusCode> s = co_await guess.login(kTokenB);
      CO_ASSERT(s);
      EXPECT_EQ(*s, StatusCode::invalid_token);
    }
    // Over the budget: even the right token is closed unchecked, so guessing gains nothing.
    RawDevice right;
    CO_ASSERT(co_await right.connect(at()));
    Result<StatusCode> s = co_await right.login(kTokenA);
    EXPECT_FALSE(s.ok());
    EXPECT_FALSE(store.find(kTokenA)->online());
  }());
  EXPECT_NE(log.all.find("too many failed logins from 127.0.0.1"), std::string::npos) << log.all;
}

TEST(CloudWithAFullArena, StopsEvenAfterAConnectionCouldNotBeServed) {
  alignas(std::max_align_t) static unsigned char buffer[40 * 1024];
  FrameArena arena(buffer, sizeof buffer);
  std::vector<int> peers;
  {
    FrameArena::Scope scope(arena);
    Loop loop(linux_board::linux_clock());
    Store store;
    std::optional<Cloud> cloud(std::in_place, store, CloudOptions{.port = 0});
    ASSERT_TRUE(cloud->start().ok());
    JoinHandle<void> run = loop.spawn(cloud->run(), "cloud");
    ASSERT_TRUE(run);
    for (int i = 0; i < 40; ++i) {
      const int fd = raw_connect(cloud->blynk_endpoint().port);
      if (fd >= 0) peers.push_back(fd);
      (void)loop.run_for(ms(5));
    }
    (void)loop.run_for(ms(300));
    EXPECT_GT(arena.stats().failures, 0u) << "the arena never ran out: make it smaller";
    cloud->stop();
    for (int i = 0; i < 200 && !run.done(); ++i)
      (void)loop.run_for(ms(50));
    EXPECT_TRUE(run.done()) << "run() did not return after stop()";
    cloud.reset();
  }
  for (int fd : peers)
    ::close(fd);
}

}  // namespace
}  // namespace weft::cloud::test
