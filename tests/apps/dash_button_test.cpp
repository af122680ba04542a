// dash_button (seed 003) on the simulated ESP8266, through power-on, deep sleeps and presses of the button
// (RST), with its webhook going to a real HTTP server on loopback (tests/net/http_receiver.py).
#include "dash_button.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "core/test_support.hpp"
#include "io/io_test_support.hpp"
#include "linux/sim/runner.hpp"
#include "linux/sim/scenario.hpp"
#include "linux/sim/world.hpp"
#include "net/http_receiver.hpp"
#include "net/tls_test_certs.hpp"
#include "sim/sim_board.hpp"

namespace dash_button {
namespace {

using weft::Micros;
using weft::ms;
using weft::sec;
namespace sim = weft::sim;

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// A simulated world with the home access point, the webhook receiver, and a record of what happened.
class DashButtonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server.started()) << server.error();
    use_url(server.url("/trigger/button_pressed/with/key/test"));
  }

  void use_url(const std::string& url) {
    url_ = url;
    config.webhook_url = url_;
  }

  // Plays `scenario` (after the line defining "HomeAP" with `ap_options`) with the app until it ends.
  void run(const std::string& scenario, const std::string& ap_options = "password \"your Wi-Fi password\"") {
    std::string why;
    std::string text = "wifi ap \"HomeAP\" " + ap_options + "\n" + scenario;
    weft::Result<sim::Scenario> s = sim::Scenario::parse(text, "dash_button_test", why);
    ASSERT_TRUE(s.ok()) << why;
    world.run_scenario(std::make_shared<const sim::Scenario>(std::move(*s)));
    sim::DeviceRun r = sim::run_device(world, [this] { return dash_button::run(config); });
    EXPECT_TRUE(r.status.ok()) << weft::to_string(r.status.error());
    EXPECT_EQ(world.failure(), "");
  }

  // The level of `gpio` at world time t (its last change at or before t; 0 before any).
  [[nodiscard]] int level_at(int gpio, Micros t) const {
    int level = 0;
    for (const auto& [at, g, l] : pins) {
      if (at > t) break;
      if (g == gpio) level = l;
    }
    return level;
  }

  // "10 01 10 01 10 01": the two LEDs (GPIO2, GPIO16) in the middle of each half-second from `start`.
  [[nodiscard]] std::string blink_pattern(Micros start) const {
    std::string out;
    for (int half = 0; half < 6; ++half) {
      Micros t = start + ms(250) + half * ms(500);
      if (!out.empty()) out += ' ';
      out += std::to_string(level_at(2, t)) + std::to_string(level_at(16, t));
    }
    return out;
  }

  // When the error blinking started: the first time GPIO16 went low after being driven; -1 if never.
  [[nodiscard]] Micros blink_start() const {
    for (const auto& [at, g, l] : pins) {
      if (g == 16 && l == 0) return at;
    }
    return -1;
  }

  [[nodiscard]] std::size_t led_changes() const {
    std::size_t n = 0;
    for (const auto& [at, g, l] : pins)
      n += g == 2 || g == 16 ? 1 : 0;
    return n;
  }

  // Checks the error signal: 3 alternate blinks of 0.5 s each, both LEDs left high, then deep sleep.
  void expect_error_blinks() {
    Micros start = blink_start();
    ASSERT_GE(start, 0) << "the LEDs never blinked";
    EXPECT_EQ(blink_pattern(start), "10 01 10 01 10 01");
    EXPECT_EQ(level_at(2, start + sec(3) - 1), 0);  // the last half: GPIO2 low, GPIO16 high
    EXPECT_EQ(level_at(16, start + sec(3) - 1), 1);
    bool both_high_at_end = false;
    for (const auto& [at, g, l] : pins) {
      if (at == start + sec(3) && g == 2 && l == 1) both_high_at_end = level_at(16, at - 1) == 1;
    }
    EXPECT_TRUE(both_high_at_end) << "led.on(); led2.on() after the loop, as the seed";
    ASSERT_FALSE(power.lines.empty());
    EXPECT_EQ(power.lines.back(), "deep sleep until RST");
    EXPECT_EQ(power.times.back(), start + sec(3));
    EXPECT_TRUE(world.asleep());
  }

  weft::test::HttpReceiver server;
  std::string url_;
  Config config = kConfig;
  sim::World world{sim::ClockMode::virtual_time};
  weft::test::ChangeLog power{world, sim::Change::Kind::power};
  weft::test::ChangeLog wifi{world, sim::Change::Kind::wifi};
  std::vector<std::tuple<Micros, int, int>> pins;  // (world time, gpio, level)
  std::uint64_t pin_observer = world.observe([this](const sim::Change& c) {
    if (c.kind == sim::Change::Kind::pin) pins.emplace_back(c.at, c.gpio, c.level);
  });
};

TEST_F(DashButtonTest, APowerOnResetGoesStraightToDeepSleepWithoutTheWebhook) {
  run("at 5s end\n");
  EXPECT_EQ(power.lines, (std::vector<std::string>{"boot 1 (power-on)", "deep sleep until RST"}));
  EXPECT_EQ(power.times.at(1), 0);
  EXPECT_TRUE(world.asleep());
  EXPECT_TRUE(server.records().empty());
  EXPECT_TRUE(wifi.lines.empty()) << "no Wi-Fi without a press";
  EXPECT_EQ(led_changes(), 0u);
}

TEST_F(DashButtonTest, APressWakesTheChipWhichPostsTheWebhookAndSleepsAgain) {
  run("at 2s reset\nat 10s end\n");
  EXPECT_EQ(power.lines, (std::vector<std::string>{"boot 1 (power-on)", "deep sleep until RST",
                                                   "boot 2 (deep-sleep)", "deep sleep until RST"}));
  EXPECT_TRUE(world.asleep());
  std::vector<std::string> records = server.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(contains(records[0], R"("method":"POST")")) << records[0];
  EXPECT_TRUE(contains(records[0], R"("path":"/trigger/button_pressed/with/key/test")")) << records[0];
  EXPECT_TRUE(contains(records[0], R"("json":{"value1":"micropython1"})")) << records[0];
  EXPECT_TRUE(contains(records[0], R"("Content-Type":"application/json")")) << records[0];
  EXPECT_EQ(wifi.lines, (std::vector<std::string>{"wifi connecting", "wifi got IP", "wifi idle"}));
  EXPECT_EQ(led_changes(), 0u) << "no error: the LEDs stay untouched";
}

TEST_F(DashButtonTest, EveryPressSendsOneWebhook) {
  run("at 2s reset\nat 10s reset\nat 20s reset\nat 30s end\n");
  EXPECT_EQ(world.boots(), 4u);
  EXPECT_EQ(server.records().size(), 3u);
  EXPECT_TRUE(world.asleep());
}

TEST_F(DashButtonTest, AWebhookAnsweringServerErrorBlinksTheLedsThreeTimesThenSleeps) {
  use_url(server.url("/status/500"));
  run("at 2s reset\nat 10s end\n");
  ASSERT_EQ(server.records().size(), 1u);
  expect_error_blinks();
}

TEST_F(DashButtonTest, AServerThatIsDownBlinksTheLedsThenSleeps) {
  std::uint16_t free_port = 0;
  {
    weft::test::RawListener l;  // a port that was just free: nothing listens once it is closed
    free_port = l.endpoint().port;
  }
  use_url("http://127.0.0.1:" + std::to_string(free_port) + "/trigger/button_pressed");
  run("at 2s reset\nat 10s end\n");
  expect_error_blinks();
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// https:// with the CA pinned in the config section (as on the chip): the webhook reaches a TLS receiver.
TEST_F(DashButtonTest, AnHttpsWebhookIsVerifiedAgainstThePinnedCaAndPosted) {
  const std::string certs = weft::test::tls_cert_dir();
  weft::test::HttpReceiver secure(certs + "/server");
  ASSERT_TRUE(secure.started()) << secure.error();
  const std::string ca = file_text(certs + "/ca.pem");
  config.webhook_ca_pem = ca;
  use_url(secure.url("/trigger/button_pressed/with/key/tls"));
  run("at 2s reset\nat 10s end\n");
  std::vector<std::string> records = secure.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(contains(records[0], R"("json":{"value1":"micropython1"})")) << records[0];
  EXPECT_EQ(led_changes(), 0u);
}

// The same server without its CA: the system bundle does not know it, so nothing is posted and the LEDs say so.
TEST_F(DashButtonTest, AnHttpsWebhookToAServerSignedByNoTrustedCaBlinksTheLeds) {
  weft::test::HttpReceiver secure(weft::test::tls_cert_dir() + "/server");
  ASSERT_TRUE(secure.started()) << secure.error();
  use_url(secure.url("/trigger/button_pressed"));
  weft::test::LogCapture log;
  run("at 2s reset\nat 10s end\n");
  EXPECT_TRUE(secure.records().empty());
  EXPECT_TRUE(log.contains("Webhook failed: TLS: server certificate not trusted"));
  EXPECT_TRUE(log.contains("tls: the certificate of localhost is untrusted"));
  expect_error_blinks();
}

TEST_F(DashButtonTest, AWrongWifiPasswordBlinksTheLedsThenSleeps) {
  run("at 2s reset\nat 10s end\n", "password \"the router's other password\"");
  EXPECT_EQ(wifi.lines, (std::vector<std::string>{"wifi connecting", "wifi wrong password", "wifi idle"}));
  EXPECT_TRUE(server.records().empty());
  expect_error_blinks();
  EXPECT_EQ(blink_start(), sec(2) + ms(1500));  // the AP's answer after its association delay
}

TEST_F(DashButtonTest, AWifiThatNeverAnswersTimesOutThenBlinksTheLeds) {
  config.wifi_timeout = sec(5);
  run("at 2s reset\nat 20s end\n", "password \"your Wi-Fi password\" delay 60s");
  EXPECT_EQ(blink_start(), sec(2) + sec(5));
  EXPECT_TRUE(server.records().empty());
  expect_error_blinks();
}

TEST_F(DashButtonTest, TheDebugJumperKeepsTheChipAwakeAfterThePress) {
  run("at 1s set GPIO14 low\nat 2s reset\nat 10s expect awake\nat 12s end\n");
  EXPECT_EQ(server.records().size(), 1u);
  EXPECT_EQ(power.lines,
            (std::vector<std::string>{"boot 1 (power-on)", "deep sleep until RST", "boot 2 (deep-sleep)"}));
  EXPECT_TRUE(world.running());
}

TEST_F(DashButtonTest, TheDebugJumperAtPowerOnKeepsTheChipAwakeWithoutTheWebhook) {
  run("set GPIO14 low\nat 10s expect awake\nat 12s end\n");
  EXPECT_EQ(power.lines, (std::vector<std::string>{"boot 1 (power-on)"}));
  EXPECT_TRUE(server.records().empty());
  EXPECT_TRUE(world.running());
}

// The documented demo: the real program under the weft-sim runner, playing apps/dash_button's scenario.
TEST_F(DashButtonTest, RunsItsDemoScenarioUnderTheRunner) {
  std::string output = "/tmp/weft-dash-button-" + std::to_string(getpid()) + ".out";
  unlink(output.c_str());
  sim::RunOptions o;
  o.command = {WEFT_DASH_BUTTON, server.url("/trigger/button_pressed/with/key/demo")};
  o.clock = sim::ClockMode::virtual_time;
  o.scenario = WEFT_SOURCE_DIR "/apps/dash_button/dash_button.scenario";
  o.output = output;
  o.trace = true;
  sim::RunOutcome r = sim::run_app(o);
  std::ifstream in(output);
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unlink(output.c_str());
  EXPECT_EQ(r.exit_code, 0) << out;
  EXPECT_EQ(r.starts, 4);
  EXPECT_TRUE(contains(out, "dash_button.scenario passed: 19 expectation(s) held")) << out;
  EXPECT_TRUE(contains(out, "Not a wake from deep sleep: no webhook")) << out;
  EXPECT_TRUE(
      contains(out, "Network config: ('192.168.1.100', '255.255.255.0', '192.168.1.1', '192.168.1.1')"))
      << out;
  EXPECT_TRUE(contains(out, "Webhook invoked: HTTP 200 OK")) << out;
  EXPECT_TRUE(contains(out, "Blinking the error LEDs (GPIO2, GPIO16) 3 times")) << out;
  EXPECT_TRUE(contains(out, "Debug mode detected")) << out;
  EXPECT_EQ(server.records().size(), 2u);
}

// The real program with an https:// webhook and its CA from the environment (WEFT_TLS_CA,
// apps/common/app_tls.hpp).
TEST_F(DashButtonTest, TheProgramPostsAnHttpsWebhookVerifiedAgainstTheCaOfWeftTlsCa) {
  const std::string certs = weft::test::tls_cert_dir();
  weft::test::HttpReceiver secure(certs + "/server");
  ASSERT_TRUE(secure.started()) << secure.error();
  std::string output = "/tmp/weft-dash-button-tls-" + std::to_string(getpid()) + ".out";
  unlink(output.c_str());
  ASSERT_EQ(setenv("WEFT_TLS_CA", (certs + "/ca.pem").c_str(), 1), 0);
  sim::RunOptions o;
  o.command = {WEFT_DASH_BUTTON, secure.url("/trigger/button_pressed/with/key/demo")};
  o.clock = sim::ClockMode::virtual_time;
  o.scenario = WEFT_SOURCE_DIR "/apps/dash_button/dash_button.scenario";
  o.output = output;
  sim::RunOutcome r = sim::run_app(o);
  unsetenv("WEFT_TLS_CA");
  const std::string out = file_text(output);
  unlink(output.c_str());
  EXPECT_EQ(r.exit_code, 0) << out;
  EXPECT_TRUE(contains(out, "TLS servers are verified against " + certs + "/ca.pem (WEFT_TLS_CA)")) << out;
  EXPECT_TRUE(contains(out, "Webhook invoked: HTTP 200 OK")) << out;
  EXPECT_EQ(secure.records().size(), 2u);
}

}  // namespace
}  // namespace dash_button
