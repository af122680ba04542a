// Scenario: a plain-text script of timed actions and expectations for the simulated world (SCENARIOS.md
// documents the format).
//
//   at 2s press GPIO14          # a button to GND on D5
//   at 3s adc 700
//   at 10s wifi drop "HomeAP" for 5s
//   at 11s expect GPIO2 low
//   at 12s expect pwm GPIO5 duty 512
//
// parse() turns the text into Steps sorted by time (a `wifi drop ... for` adds the matching `wifi up`), or
// fails with "file:line: reason". Times are world times: since the first power-on, across deep sleeps and
// resets. The World runs the steps (World::run_scenario) and ends the run at `end`, after the last timed
// line when there is no `end`, or at the first expectation that does not hold.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "machine/power.hpp"
#include "net/wlan.hpp"
#include "pads.hpp"
#include "radio.hpp"

namespace weft::sim {

struct Step {
  enum class Op : std::uint8_t {
    press,
    release,
    set,
    adc,
    wifi_ap,
    wifi_drop,
    wifi_up,
    reset,  // actions
    expect_level,
    expect_duty,
    expect_pwm_off,
    expect_freq,
    expect_wifi,
    expect_awake,
    expect_asleep,
    expect_boots,
    expect_reset_cause,  // expectations
    end,
  };
  Op op = Op::end;
  Micros at = 0;
  int line = 0;      // 1-based line in the file
  std::string text;  // the source line, without comment and surrounding blanks
  int gpio = -1;
  int low = 0, high = 0;  // value, or an inclusive range (duty 500..520)
  Micros duration = 0;    // wifi drop ... for
  Drive drive = Drive::none;
  std::string ssid;
  AccessPoint ap;
  net::WlanStatus wifi = net::WlanStatus::idle;
  machine::ResetCause cause = machine::ResetCause::power_on;

  [[nodiscard]] bool is_expectation() const { return op >= Op::expect_level && op <= Op::expect_reset_cause; }
};

class World;

class Scenario {
 public:
  // `name` is used in messages (usually the file path). On error: Errc::invalid_argument and `error` =
  // "name:line: reason".
  static Result<Scenario> parse(std::string_view text, std::string name, std::string& error);
  // Reads and parses a file. Errc::io_error when it cannot be read (error says why).
  static Result<Scenario> load(const std::string& path, std::string& error);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::vector<Step>& steps() const { return steps_; }
  // When the run ends (the `end` step, or the last timed line); kForever for a setup-only scenario.
  [[nodiscard]] Micros end_time() const {
    return steps_.empty() || steps_.back().op != Step::Op::end ? kForever : steps_.back().at;
  }

  // Does `step` to `world`. For an expectation: false when it does not hold, with `observed` saying what
  // was seen instead. Actions always return true.
  static bool apply(const Step& step, World& world, std::string& observed);

 private:
  std::string name_;
  std::vector<Step> steps_;
};

// "12.500 s": world times in messages.
[[nodiscard]] std::string format_time(Micros t);

}  // namespace weft::sim
