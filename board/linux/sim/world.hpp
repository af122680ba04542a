// World: the simulated ESP8266 and everything around it — clock, pads (pins, PWM, ADC), Wi-Fi access points,
// RTC memory, watchdog, power (deep sleep and resets), a scenario being played, and observers of every
// change. The machine and wifi ports (machine_port.cpp, wifi_port.cpp) act on World::current().
//
// Time. World time runs from the first power-on and goes on across deep sleeps and resets; the device's own
// clock (what Loop::now() shows) restarts at 0 at every boot. ClockMode::virtual_time jumps to the next
// deadline whenever the loop idles (SimClock); ClockMode::real follows CLOCK_MONOTONIC.
//
// Life of the device:
//   power-on --boot()--> running --power_down(deep sleep)--> asleep --timer or RST--> boot() (deep-sleep)
//                        running --reset()/watchdog/RST-------------------------------> boot()
//                        (soft/watchdog/hard)
// A power-down switches every output off, drops the device's pending events (Wi-Fi attempts, scans) and ends
// the boot: Host::in_process stops the current Loop (run_device() then boots again); Host::own_process saves
// the world to the state file and exits with kExitPowerCycle, and the runner (weft-sim) starts the program
// again, which restores the world and boots (process.hpp).
//
// Events. The device's delayed happenings (an association finishing, a scan) are World events at a world
// time; scenario lines are another source; the watchdog a third. SimClock runs them in loop context when
// their time comes (run_due): scenario lines first, then events, in time order, FIFO for equal times.
//
// Single-threaded: everything here runs on the loop's thread.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "machine/port.hpp"
#include "pads.hpp"
#include "radio.hpp"

namespace weft::sim {

enum class ClockMode : std::uint8_t { real, virtual_time };
enum class Host : std::uint8_t { in_process, own_process };

class Scenario;
class ControlChannel;

// One change of the device's outputs or of the world, as observers see it.
struct Change {
  enum class Kind : std::uint8_t { pin, pwm, wifi, power };
  Kind kind = Kind::pin;
  Micros at = 0;  // world time (set by notify)
  int gpio = -1;
  int level = 0;  // pin
  int duty = -1;  // pwm: -1 when stopped
  int freq = 0;   // pwm
  net::WlanStatus wifi = net::WlanStatus::idle;
  std::string what;  // power: "boot 2 (deep-sleep)", "deep sleep for 10.000 s", ...
};
// One line: "GPIO2 low", "GPIO5 pwm duty 512 at 1000 Hz", "wifi got IP", "boot 2 (deep-sleep)".
[[nodiscard]] std::string describe(const Change& c);

class World {
 public:
  struct Options {
    ClockMode clock = ClockMode::virtual_time;
    Host host = Host::in_process;
    std::string state_file;  // own_process: where a power-down saves the world
  };
  explicit World(ClockMode clock = ClockMode::virtual_time);
  explicit World(Options options);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // The innermost live in-process World; without one, the process's World configured from the environment
  // (process.hpp), which is never "current" itself: it is the fallback.
  [[nodiscard]] static World& current();
  [[nodiscard]] static World* current_or_null();

  // --- time ---
  [[nodiscard]] ClockMode clock() const { return options_.clock; }
  [[nodiscard]] Host host() const { return options_.host; }
  [[nodiscard]] const std::string& state_file() const { return options_.state_file; }
  [[nodiscard]] Micros now() const;
  // Virtual clock only: moves world time forward to `t` (never back).
  void advance_to(Micros t);
  // Real clock: the LinuxClock time at world time `t`.
  [[nodiscard]] Micros to_linux_time(Micros t) const { return t == kForever ? kForever : t - real_offset_; }
  [[nodiscard]] Micros boot_time() const { return boot_at_; }

  // --- the device's life ---
  [[nodiscard]] std::uint32_t boots() const { return boots_; }
  [[nodiscard]] bool running() const { return booted_ && !power_pending_; }
  [[nodiscard]] bool asleep() const { return asleep_; }
  [[nodiscard]] Micros wake_time() const { return wake_at_; }
  [[nodiscard]] machine::ResetCause reset_cause() const { return cause_; }
  [[nodiscard]] bool power_cycle_pending() const { return power_pending_; }
  // Starts a boot (SimClock's constructor): wakes first if asleep, applies the scenario lines due by now.
  void boot();
  // While asleep: lets world time pass to the wake time (really sleeping with the real clock), playing the
  // scenario meanwhile; RST (a `reset` line) wakes early. No-op when awake.
  void wake_if_asleep();
  // The machine port's power_down: deep sleep or software reset.
  void power_down(machine::PowerDown kind, Micros duration);
  // The RST pin: a hard reset while running; wakes the chip from deep sleep.
  void press_reset();

  // --- peripherals ---
  [[nodiscard]] Pads& pads() { return pads_; }
  [[nodiscard]] const Pads& pads() const { return pads_; }
  [[nodiscard]] Radio& radio() { return radio_; }
  [[nodiscard]] const Radio& radio() const { return radio_; }
  [[nodiscard]] std::array<std::uint8_t, machine::MachinePort::kRtcRawBytes>& rtc() { return rtc_; }
  void watchdog_start(Micros timeout);
  void watchdog_feed();

  // --- device events ---
  std::uint64_t schedule(Micros at, std::function<void()> fn);
  void cancel(std::uint64_t id);
  // The earliest of: device events, the next scenario line, the watchdog deadline (kForever: none).
  [[nodiscard]] Micros next_event_time() const;
  // Runs everything due at now() (loop context).
  void run_due();

  // --- observers ---
  using Observer = std::function<void(const Change&)>;
  std::uint64_t observe(Observer fn);
  void unobserve(std::uint64_t id);
  void notify(Change c);
  // Logs every change ("sim 12.000 s: GPIO5 pwm duty 512 at 1000 Hz").
  void set_trace(bool on);

  // --- scenario ---
  // Plays `s` from step `cursor` (0 on a fresh world; the saved cursor after a restart). Lines due at or
  // before now() run at the next boot() or wait.
  void run_scenario(std::shared_ptr<const Scenario> s, std::size_t cursor = 0);
  [[nodiscard]] const Scenario* scenario() const { return scenario_.get(); }
  [[nodiscard]] std::size_t scenario_cursor() const { return cursor_; }
  // The scenario ended (passed or failed) or fail() was called.
  [[nodiscard]] bool finished() const { return finished_; }
  // The first failed expectation ("file:line: ..."), "" when none.
  [[nodiscard]] const std::string& failure() const { return failure_; }
  // Ends the run as failed (own_process: message on stderr, exit 1).
  void fail(std::string message);
  // Ends the run as passed (own_process: summary on stderr, exit 0).
  void finish();

  // --- control channel and stepping ---
  // Opens a JSON-lines control channel: "unix:/path", "/path" or "tcp:PORT" (127.0.0.1). Errc::io_error.
  Status open_control(const std::string& address);
  [[nodiscard]] ControlChannel* control() const { return control_.get(); }
  // Virtual time never passes `horizon` (the control channel's hold/advance); kForever: runs free.
  [[nodiscard]] Micros horizon() const { return horizon_; }
  void set_horizon(Micros t) { horizon_ = t; }

  // --- persistence (own_process) ---
  struct Snapshot {
    ClockMode clock = ClockMode::virtual_time;
    Micros now = 0;
    Micros epoch = 0;  // real clock: CLOCK_MONOTONIC (us) at world time 0
    bool asleep = false;
    Micros wake_at = kForever;
    machine::ResetCause next_cause = machine::ResetCause::power_on;
    std::uint32_t boots = 0;
    std::size_t cursor = 0;
    std::uint32_t expectations_held = 0;
    std::uint32_t actions_done = 0;
    int adc = 0;
    std::array<Drive, machine::kGpioCount> drives{};
    std::vector<AccessPoint> aps;
    std::string ap_essid, ap_password;
    std::array<std::uint8_t, machine::MachinePort::kRtcRawBytes> rtc{};
  };
  [[nodiscard]] Snapshot snapshot() const;
  // Takes the world back as it was saved (before boot()).
  void restore(const Snapshot& s);
  // own_process: runs `fn` right before the process exits (removes the control socket, ...).
  void at_exit(std::function<void()> fn) { exit_hooks_.push_back(std::move(fn)); }
  // own_process: exit hooks, flush, _exit(code). Never returns.
  [[noreturn]] void exit_process(int code);

 private:
  void power_cycle(machine::ResetCause next, Micros wake_at, std::string what);
  bool run_next_scenario_line();
  [[nodiscard]] Micros next_scenario_time() const;
  void end_boot();
  void sleep_real_until(Micros t);

  Options options_;
  World* outer_ = nullptr;
  Micros virtual_now_ = 0;
  Micros real_offset_ = 0;  // world time = LinuxClock time + offset
  Micros epoch_ = 0;
  Micros boot_at_ = 0;
  Micros wake_at_ = kForever;
  std::uint32_t boots_ = 0;
  bool booted_ = false;
  bool asleep_ = false;
  bool power_pending_ = false;
  machine::ResetCause cause_ = machine::ResetCause::power_on;
  machine::ResetCause next_cause_ = machine::ResetCause::power_on;
  Pads pads_{*this};
  Radio radio_{*this};
  std::array<std::uint8_t, machine::MachinePort::kRtcRawBytes> rtc_{};
  Micros wdt_timeout_ = 0;
  Micros wdt_deadline_ = kForever;
  std::map<std::pair<Micros, std::uint64_t>, std::function<void()>> events_;
  std::map<std::uint64_t, Micros> event_times_;
  std::uint64_t next_id_ = 1;
  std::vector<std::pair<std::uint64_t, Observer>> observers_;
  std::uint64_t trace_id_ = 0;
  std::shared_ptr<const Scenario> scenario_;
  std::size_t cursor_ = 0;
  std::uint32_t expectations_held_ = 0;
  std::uint32_t actions_done_ = 0;
  bool finished_ = false;
  std::string failure_;
  std::unique_ptr<ControlChannel> control_;
  Micros horizon_ = kForever;
  std::vector<std::function<void()>> exit_hooks_;
};

// Exit codes of a program on the simulated board (own_process).
inline constexpr int kExitScenarioFailed = 1;  // an expectation did not hold
inline constexpr int kExitUsage = 2;           // bad scenario, bad WEFT_SIM_* setting
inline constexpr int kExitPowerCycle = 10;     // deep sleep or reset: restart me (the state file says when)

}  // namespace weft::sim
