#include "linux/sim/scenario.hpp"

#include <gtest/gtest.h>

#include "core/test_support.hpp"
#include "linux/sim/runner.hpp"
#include "machine/machine.hpp"
#include "sim/sim_board.hpp"

namespace weft::sim {
namespace {

Scenario parse_ok(const std::string& text) {
  std::string error;
  Result<Scenario> s = Scenario::parse(text, "test.scenario", error);
  EXPECT_TRUE(s.ok()) << error;
  return s.ok() ? std::move(*s) : Scenario{};
}

std::string parse_error(const std::string& text) {
  std::string error;
  Result<Scenario> s = Scenario::parse(text, "test.scenario", error);
  EXPECT_FALSE(s.ok()) << text;
  return error;
}

TEST(Scenario, ParsesActionsExpectationsAndTimes) {
  Scenario s = parse_ok(
      "# a comment\n"
      "wifi ap \"Home AP\" password \"secret123\" rssi -70 channel 3 delay 500ms ip 192.168.0.45\n"
      "\n"
      "at 2s press GPIO14    # D5\n"
      "at 2.5s release D5\n"
      "at 3s adc 700\n"
      "at 1min expect pwm GPIO5 duty 500..520\n"
      "at 61s expect GPIO2 low\n");
  const auto& st = s.steps();
  ASSERT_EQ(st.size(), 7u);  // + the implicit end
  EXPECT_EQ(st[0].op, Step::Op::wifi_ap);
  EXPECT_EQ(st[0].ap.ssid, "Home AP");
  EXPECT_EQ(st[0].ap.rssi, -70);
  EXPECT_EQ(st[0].ap.connect_delay, ms(500));
  EXPECT_EQ(st[0].at, 0);
  EXPECT_EQ(st[1].op, Step::Op::press);
  EXPECT_EQ(st[1].gpio, 14);
  EXPECT_EQ(st[1].at, sec(2));
  EXPECT_EQ(st[1].line, 4);
  EXPECT_EQ(st[1].text, "at 2s press GPIO14");
  EXPECT_EQ(st[2].gpio, 14) << "NodeMCU labels name chip GPIOs";
  EXPECT_EQ(st[2].at, ms(2500));
  EXPECT_EQ(st[4].op, Step::Op::expect_duty);
  EXPECT_EQ(st[4].at, sec(60));
  EXPECT_EQ(st[4].low, 500);
  EXPECT_EQ(st[4].high, 520);
  EXPECT_EQ(st[6].op, Step::Op::end);
  EXPECT_EQ(s.end_time(), sec(61)) << "without `end`, the run ends after the last line";
}

TEST(Scenario, ADropOutForADurationAddsTheRestoreInTimeOrder) {
  Scenario s = parse_ok(
      "wifi ap \"HomeAP\"\n"
      "at 10s wifi drop \"HomeAP\" for 5s\n"
      "at 12s expect wifi idle\n"
      "at 20s end\n");
  const auto& st = s.steps();
  ASSERT_EQ(st.size(), 5u);
  EXPECT_EQ(st[2].op, Step::Op::expect_wifi);
  EXPECT_EQ(st[3].op, Step::Op::wifi_up);
  EXPECT_EQ(st[3].at, sec(15));
  EXPECT_EQ(st[3].line, 2);
  EXPECT_EQ(st[4].op, Step::Op::end);
}

TEST(Scenario, SetupOnlyScenariosNeverEndTheRun) {
  Scenario s = parse_ok("wifi ap \"HomeAP\" password \"secret123\"\nadc 12\n");
  EXPECT_EQ(s.end_time(), kForever);
}

TEST(Scenario, RejectsMalformedLinesWithFileLineAndReason) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"at 2s prss GPIO14\n",
       "test.scenario:1: unknown action 'prss': use press, release, set, adc, wifi, reset, expect or end"},
      {"\n\nat 2 press GPIO14\n",
       "test.scenario:3: bad time '2': write a number and a unit: 2s, 1.5s, 1500ms, 250us, 1min"},
      {"at 1s press GPIO7\n",
       "test.scenario:1: bad pin 'GPIO7': write GPIOn with n in 0..5 or 12..16, or a NodeMCU label D0..D8 "
       "(GPIO6..11 are the flash)"},
      {"at 1s adc 1024\n", "test.scenario:1: ADC value 1024 out of range; use 0..1023"},
      {"at 5s adc 1\nat 3s adc 2\n",
       "test.scenario:2: at 3.000 s comes before the previous line's 5.000 s: keep lines in time order"},
      {"at 5s adc 1\nadc 2\n",
       "test.scenario:2: a line without `at` happens at 0 s: put setup lines before the timed ones"},
      {"at 1s wifi drop \"Nope\"\n",
       "test.scenario:1: no access point \"Nope\": define it first with `wifi ap \"Nope\" ...`"},
      {"wifi ap \"A\" password \"short\"\n",
       "test.scenario:1: a WPA password has 8..64 characters (\"\" for an open network)"},
      {"wifi ap \"A\" colour red\n",
       "test.scenario:1: unknown access point option 'colour': use password, rssi, channel, delay, ip, auth, "
       "bssid, down, fail"},
      {"at 1s expect GPIO2 maybe\n", "test.scenario:1: expect a pin to be high or low, not 'maybe'"},
      {"at 1s expect pwm GPIO5 duty 600..500\n",
       "test.scenario:1: bad duty '600..500': write N or A..B within 0..1023"},
      {"at 1s expect wifi happy\n",
       "test.scenario:1: unknown wifi status 'happy': use idle, connecting, wrong_password, no_ap_found, "
       "connect_fail, got_ip (or connected)"},
      {"at 1s press GPIO14 now\n", "test.scenario:1: unexpected 'now' at the end of the line"},
      {"at 1s wifi ap \"unterminated\n", "test.scenario:1: unterminated \"string\""},
      {"at 1s end\nat 2s adc 3\n", "test.scenario:2: nothing may follow `end`"},
      {"at 1s press\n", "test.scenario:1: missing pin (GPIOn or D0..D8)"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(parse_error(c.text), c.error) << c.text;
}

TEST(Scenario, LoadNamesAFileItCannotRead) {
  std::string error;
  EXPECT_EQ(Scenario::load("/nonexistent/x.scenario", error).error(), Errc::io_error);
  EXPECT_EQ(error, "/nonexistent/x.scenario: cannot read the scenario file");
}

// The device: an LED on GPIO2 that follows a button on GPIO14 (pull-up, pressed = low).
Task<> follow_button() {
  auto button = machine::Pin::open(14, machine::PinMode::in, machine::Pull::up);
  auto led = machine::Pin::open(2, machine::PinMode::out);
  machine::PinIrq irq;
  (void)irq.enable(*button, machine::Edge::both);
  for (;;) {
    led->value(button->value() == 0 ? 1 : 0);
    co_await irq.wait();
  }
}

TEST(Scenario, PassesWhenEveryExpectationHolds) {
  World world;
  world.run_scenario(
      std::make_shared<const Scenario>(parse_ok("at 1s expect GPIO2 low\n"
                                                "at 2s press GPIO14\n"
                                                "at 2.1s expect GPIO2 high\n"
                                                "at 3s release GPIO14\n"
                                                "at 3.1s expect GPIO2 low\n")));
  DeviceRun run = run_device(world, follow_button);
  EXPECT_TRUE(run.status.ok());
  EXPECT_TRUE(world.finished());
  EXPECT_EQ(world.failure(), "");
  EXPECT_EQ(world.now(), ms(3100));
}

TEST(Scenario, FailsAtTheFirstUnmetExpectationNamingTheLineAndWhatWasSeen) {
  World world;
  world.run_scenario(
      std::make_shared<const Scenario>(parse_ok("at 2s press GPIO14\n"
                                                "at 2.1s expect GPIO2 low\n"
                                                "at 5s expect GPIO2 high\n")));
  test::LogCapture log;
  run_device(world, follow_button);
  EXPECT_TRUE(world.finished());
  EXPECT_EQ(world.failure(),
            "test.scenario:2: expectation failed at 2.100 s: `at 2.1s expect GPIO2 low`: GPIO2 is high");
  EXPECT_EQ(world.now(), ms(2100)) << "the run stops at the failure";
  EXPECT_TRUE(log.contains("test.scenario:2: expectation failed"));
}

Task<> blink_pwm() {
  auto led = machine::Pwm::open(5, 1000, 512);
  co_await sleep_ms(60 * 60 * 1000);
}

TEST(Scenario, PwmExpectationsReportTheObservedDutyAndLevel) {
  World world;
  world.run_scenario(std::make_shared<const Scenario>(parse_ok("at 1s expect GPIO5 high\n")));
  run_device(world, blink_pwm);
  EXPECT_EQ(world.failure(),
            "test.scenario:1: expectation failed at 1.000 s: `at 1s expect GPIO5 high`: GPIO5 is a PWM "
            "output at duty "
            "512 (no steady level): use `expect pwm GPIO5 duty N`");
  World world2;
  world2.run_scenario(std::make_shared<const Scenario>(parse_ok("at 1s expect pwm GPIO5 duty 100\n")));
  run_device(world2, blink_pwm);
  EXPECT_EQ(world2.failure(),
            "test.scenario:1: expectation failed at 1.000 s: `at 1s expect pwm GPIO5 duty 100`: duty 512");
  World world3;
  world3.run_scenario(std::make_shared<const Scenario>(parse_ok("at 1s expect pwm GPIO4 freq 1000\n")));
  run_device(world3, blink_pwm);
  EXPECT_EQ(world3.failure(),
            "test.scenario:1: expectation failed at 1.000 s: `at 1s expect pwm GPIO4 freq 1000`: PWM is off "
            "on GPIO4");
}

TEST(Scenario, LinesAtTimeZeroApplyBeforeTheProgramStarts) {
  World world;
  world.run_scenario(std::make_shared<const Scenario>(parse_ok("adc 321\nset GPIO4 high\n")));
  int seen_adc = -1, seen_pin = -1;
  auto app = [&]() -> Task<> {
    seen_adc = machine::Adc::open()->read();
    seen_pin = machine::Pin::open(4, machine::PinMode::in)->value();
    co_return;
  };
  run_device(world, app, sec(1));
  EXPECT_EQ(seen_adc, 321);
  EXPECT_EQ(seen_pin, 1);
}

}  // namespace
}  // namespace weft::sim
