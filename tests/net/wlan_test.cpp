#include "net/wlan.hpp"

#include <gtest/gtest.h>

#include "core/test_support.hpp"
#include "sim/sim_board.hpp"

namespace weft::net {
namespace {

using test::ChangeLog;
using test::LogCapture;
using test::SimBoard;

// A board with one access point, "HomeAP" (password "secret123", 2 s to associate).
struct WifiBoard : SimBoard {
  WifiBoard() {
    sim::AccessPoint ap;
    ap.ssid = "HomeAP";
    ap.password = "secret123";
    ap.connect_delay = sec(2);
    ap.address = IpAddress::v4(192, 168, 0, 45);
    EXPECT_TRUE(world.radio().add(ap).ok());
  }
};

Task<Status> connect(Wlan& sta, const char* ssid, const char* password, Micros timeout = sec(30)) {
  co_return co_await sta.connect(ssid, password, timeout);
}

TEST(Wlan, ConnectsAndGetsTheAccessPointsAddress) {
  WifiBoard board;
  ChangeLog wifi(board.world, sim::Change::Kind::wifi);
  Wlan sta(Interface::station);
  sta.active(true);
  EXPECT_EQ(sta.status(), WlanStatus::idle);
  Status s = board.loop.run_until_complete(connect(sta, "HomeAP", "secret123"));
  EXPECT_TRUE(s.ok()) << to_string(s.error());
  EXPECT_EQ(board.loop.now(), sec(2));
  EXPECT_TRUE(sta.isconnected());
  EXPECT_EQ(wifi.lines, (std::vector<std::string>{"wifi connecting", "wifi got IP"}));
  IfConfig c = sta.ifconfig();
  EXPECT_EQ(c.ip, IpAddress::v4(192, 168, 0, 45));
  EXPECT_EQ(c.gateway, IpAddress::v4(192, 168, 0, 1));
  EXPECT_EQ(c.netmask, IpAddress::v4(255, 255, 255, 0));
  EXPECT_EQ(sta.rssi(), -60);
  EXPECT_STREQ(sta.essid(), "HomeAP");
}

TEST(Wlan, WrongPasswordEndsTheAttemptWithRefused) {
  WifiBoard board;
  ChangeLog wifi(board.world, sim::Change::Kind::wifi);
  Wlan sta(Interface::station);
  sta.active(true);
  Status s = board.loop.run_until_complete(connect(sta, "HomeAP", "not-the-password"));
  EXPECT_EQ(s.error(), Errc::refused);
  EXPECT_EQ(sta.status(), WlanStatus::wrong_password);
  EXPECT_FALSE(sta.isconnected());
  EXPECT_EQ(wifi.lines, (std::vector<std::string>{"wifi connecting", "wifi wrong password"}));
}

TEST(Wlan, AMissingAccessPointEndsWithUnreachableAfterTheSearch) {
  WifiBoard board;
  Wlan sta(Interface::station);
  sta.active(true);
  Status s = board.loop.run_until_complete(connect(sta, "CoffeeShop", ""));
  EXPECT_EQ(s.error(), Errc::unreachable);
  EXPECT_EQ(sta.status(), WlanStatus::no_ap_found);
  EXPECT_EQ(board.loop.now(), board.world.radio().search_time);
  EXPECT_EQ(sta.ifconfig().ip, IpAddress{});
}

TEST(Wlan, AnAccessPointThatFailsEndsWithConnectFail) {
  WifiBoard board;
  sim::AccessPoint broken;
  broken.ssid = "Broken";
  broken.fail = true;
  ASSERT_TRUE(board.world.radio().add(broken).ok());
  Wlan sta(Interface::station);
  sta.active(true);
  Status s = board.loop.run_until_complete(connect(sta, "Broken", ""));
  EXPECT_EQ(s.error(), Errc::io_error);
  EXPECT_EQ(sta.status(), WlanStatus::connect_fail);
}

TEST(Wlan, ConnectTimesOutButTheAttemptGoesOn) {
  WifiBoard board;
  Wlan sta(Interface::station);
  sta.active(true);
  Status s = board.loop.run_until_complete(connect(sta, "HomeAP", "secret123", sec(1)));
  EXPECT_EQ(s.error(), Errc::timed_out);
  EXPECT_EQ(sta.status(), WlanStatus::connecting);
  board.loop.run_until(sec(3));
  EXPECT_TRUE(sta.isconnected());
}

TEST(Wlan, RejectsBadCredentialsAndAnInactiveStation) {
  WifiBoard board;
  LogCapture log;
  Wlan sta(Interface::station);
  EXPECT_EQ(sta.begin_connect("HomeAP", "secret123").error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("the station interface is not active; call active(true) first"));
  sta.active(true);
  EXPECT_EQ(sta.begin_connect("", "secret123").error(), Errc::invalid_argument);
  EXPECT_EQ(sta.begin_connect(std::string(33, 'x'), "secret123").error(), Errc::invalid_argument);
  EXPECT_EQ(sta.begin_connect("HomeAP", "short").error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("use \"\" (open), 8..63 characters or 64 hex digits"));
  EXPECT_EQ(sta.status(), WlanStatus::idle) << "nothing was started";
  Status s = board.loop.run_until_complete(connect(sta, "HomeAP", "short"));
  EXPECT_EQ(s.error(), Errc::invalid_argument) << "the awaitable form reports the same error at once";
}

Task<> wait_link(Wlan& sta, std::vector<Micros>& up_at, int times) {
  for (int i = 0; i < times; ++i) {
    Status s = co_await sta.wait_connected();
    if (!s) co_return;
    up_at.push_back(Loop::current().now());
    while (sta.isconnected())
      co_await sleep_ms(100);
  }
}

TEST(Wlan, WaitConnectedWakesWhenTheLinkComesUp) {
  WifiBoard board;
  Wlan sta(Interface::station);
  sta.active(true);
  std::vector<Micros> up_at;
  board.loop.spawn(wait_link(sta, up_at, 1));
  board.world.schedule(sec(5), [&] { (void)sta.begin_connect("HomeAP", "secret123"); });
  board.loop.run_until(sec(10));
  EXPECT_EQ(up_at, (std::vector<Micros>{sec(7)}));
}

TEST(Wlan, WaitConnectedTimesOut) {
  WifiBoard board;
  Wlan sta(Interface::station);
  auto wait = [&]() -> Task<Status> { co_return co_await sta.wait_connected(sec(3)); };
  Status s = board.loop.run_until_complete(wait());
  EXPECT_EQ(s.error(), Errc::timed_out);
  EXPECT_EQ(board.loop.now(), sec(3));
}

TEST(Wlan, AutoReconnectBringsTheLinkBackAfterADropOut) {
  WifiBoard board;
  ChangeLog wifi(board.world, sim::Change::Kind::wifi);
  Wlan sta(Interface::station);
  sta.active(true);
  sta.auto_reconnect({sec(1), sec(8), 2});
  std::vector<Micros> up_at;
  board.loop.spawn(wait_link(sta, up_at, 2));
  ASSERT_TRUE(sta.begin_connect("HomeAP", "secret123").ok());
  board.world.schedule(sec(10), [&] { (void)board.world.radio().set_up("HomeAP", false); });
  board.world.schedule(sec(20), [&] { (void)board.world.radio().set_up("HomeAP", true); });
  board.loop.run_until(sec(60));
  // Link lost at 10 s; retries 1 s, 2 s, 4 s, 8 s after each failure (a search takes 2 s):
  // 11 -> no AP at 13; 15 -> 17; 21 -> connects at 23 (the AP is back at 20).
  ASSERT_EQ(up_at.size(), 2u);
  EXPECT_EQ(up_at[0], sec(2));
  EXPECT_EQ(up_at[1], sec(23));
  EXPECT_EQ(sta.reconnect_attempts(), 3u);
  EXPECT_EQ(wifi.lines, (std::vector<std::string>{"wifi connecting", "wifi got IP", "wifi idle",
                                                  "wifi connecting", "wifi no AP found", "wifi connecting",
                                                  "wifi no AP found", "wifi connecting", "wifi got IP"}));
}

TEST(Wlan, WithoutAutoReconnectALostLinkStaysDown) {
  WifiBoard board;
  Wlan sta(Interface::station);
  sta.active(true);
  ASSERT_TRUE(board.loop.run_until_complete(connect(sta, "HomeAP", "secret123")).ok());
  board.world.schedule(sec(5), [&] { (void)board.world.radio().set_up("HomeAP", false); });
  board.world.schedule(sec(6), [&] { (void)board.world.radio().set_up("HomeAP", true); });
  board.loop.run_until(sec(60));
  EXPECT_EQ(sta.status(), WlanStatus::idle);
  EXPECT_EQ(sta.reconnect_attempts(), 0u);
}

TEST(Wlan, DisconnectStopsAutoReconnect) {
  WifiBoard board;
  Wlan sta(Interface::station);
  sta.active(true);
  sta.auto_reconnect({});
  ASSERT_TRUE(board.loop.run_until_complete(connect(sta, "HomeAP", "secret123")).ok());
  sta.disconnect();
  board.loop.run_until(sec(60));
  EXPECT_EQ(sta.status(), WlanStatus::idle);
  EXPECT_EQ(sta.reconnect_attempts(), 0u);
}

TEST(Wlan, ScanListsTheAccessPointsThatAreUp) {
  WifiBoard board;
  sim::AccessPoint other;
  other.ssid = "test-net";
  other.channel = 11;
  other.rssi = -73;
  ASSERT_TRUE(board.world.radio().add(other).ok());
  sim::AccessPoint off;
  off.ssid = "Off";
  off.up = false;
  ASSERT_TRUE(board.world.radio().add(off).ok());
  Wlan sta(Interface::station);
  sta.active(true);
  std::array<ScanResult, 8> found;
  auto scan = [&]() -> Task<Result<std::size_t>> { co_return co_await sta.scan(found); };
  Result<std::size_t> n = board.loop.run_until_complete(scan());
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(*n, 2u);
  EXPECT_STREQ(found[0].ssid, "HomeAP");
  EXPECT_EQ(found[0].auth, AuthMode::wpa2_psk);
  EXPECT_STREQ(found[1].ssid, "test-net");
  EXPECT_EQ(found[1].channel, 11);
  EXPECT_EQ(found[1].rssi, -73);
  EXPECT_EQ(found[1].auth, AuthMode::open);
}

TEST(Wlan, ScanNeedsAnActiveStation) {
  WifiBoard board;
  LogCapture log;
  Wlan sta(Interface::station);
  std::array<ScanResult, 2> found;
  auto scan = [&]() -> Task<Result<std::size_t>> { co_return co_await sta.scan(found); };
  EXPECT_EQ(board.loop.run_until_complete(scan()).error(), Errc::invalid_argument);
}

TEST(Wlan, AccessPointHasMicroPythonsDefaultsAndTakesANewName) {
  WifiBoard board;
  LogCapture log;
  Wlan ap(Interface::access_point);
  EXPECT_TRUE(ap.active());
  EXPECT_STREQ(ap.essid(), "MicroPython-a1b2c3");
  IfConfig c = ap.ifconfig();
  EXPECT_EQ(c.ip, IpAddress::v4(192, 168, 4, 1));
  EXPECT_EQ(c.dns, IpAddress::v4(208, 67, 222, 222));
  ASSERT_TRUE(ap.config("network name", "password").ok());
  EXPECT_STREQ(ap.essid(), "network name");
  EXPECT_EQ(ap.config("x", "1234567").error(), Errc::invalid_argument);
  ap.active(false);
  EXPECT_FALSE(ap.active());
  Wlan sta(Interface::station);
  EXPECT_EQ(sta.config("name", "password").error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("only the access point has a name and password to set"));
}

}  // namespace
}  // namespace weft::net
