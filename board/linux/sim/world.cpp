#include "world.hpp"

#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "control_channel.hpp"
#include "core/log.hpp"
#include "linux/linux_clock.hpp"
#include "process.hpp"
#include "scenario.hpp"
#include "state_file.hpp"

namespace weft::sim {
namespace {
World* g_current = nullptr;

Micros monotonic_us() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<Micros>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

void stop_current_loop() {
  if (Loop* loop = Loop::current_or_null()) loop->stop();
}
}  // namespace

std::string describe(const Change& c) {
  char line[160];
  switch (c.kind) {
    case Change::Kind::pin:
      std::snprintf(line, sizeof line, "GPIO%d %s", c.gpio, c.level != 0 ? "high" : "low");
      break;
    case Change::Kind::pwm:
      if (c.duty < 0)
        std::snprintf(line, sizeof line, "GPIO%d pwm off", c.gpio);
      else
        std::snprintf(line, sizeof line, "GPIO%d pwm duty %d at %d Hz", c.gpio, c.duty, c.freq);
      break;
    case Change::Kind::wifi:
      std::snprintf(line, sizeof line, "wifi %s", net::to_string(c.wifi));
      break;
    case Change::Kind::power:
      return c.what;
  }
  return line;
}

World::World(ClockMode clock) : World(Options{clock, Host::in_process, {}}) {}

World::World(Options options) : options_(std::move(options)) {
  if (options_.host == Host::in_process) {
    outer_ = g_current;
    g_current = this;
  }
  if (options_.clock == ClockMode::real) {
    epoch_ = monotonic_us();
    real_offset_ = -linux_board::linux_clock().now();
  }
}

World::~World() {
  control_.reset();
  if (trace_id_ != 0) unobserve(trace_id_);
  if (g_current == this) g_current = outer_;
}

World& World::current() {
  return g_current != nullptr ? *g_current : process_world();
}
World* World::current_or_null() {
  return g_current;
}

Micros World::now() const {
  if (options_.clock == ClockMode::virtual_time) return virtual_now_;
  return linux_board::linux_clock().now() + real_offset_;
}

void World::advance_to(Micros t) {
  if (options_.clock == ClockMode::virtual_time && t > virtual_now_ && t != kForever) virtual_now_ = t;
}

// --- the device's life
// ---------------------------------------------------------------------------------------

void World::boot() {
  wake_if_asleep();
  while (!finished_ && next_scenario_time() <= now())
    run_next_scenario_line();
  ++boots_;
  boot_at_ = now();
  cause_ = next_cause_;
  booted_ = true;
  power_pending_ = false;
  asleep_ = false;
  wake_at_ = kForever;
  Change c;
  c.kind = Change::Kind::power;
  c.what = "boot " + std::to_string(boots_) + " (" + machine::to_string(cause_) + ")";
  notify(c);
}

void World::sleep_real_until(Micros t) {
  for (Micros left = t - now(); left > 0; left = t - now()) {
    timespec ts{static_cast<time_t>(left / 1000000), static_cast<long>(left % 1000000) * 1000};
    nanosleep(&ts, nullptr);
  }
}

void World::wake_if_asleep() {
  while (asleep_ && !finished_) {
    while (asleep_ && !finished_ && next_scenario_time() <= now())
      run_next_scenario_line();
    if (!asleep_ || finished_) break;
    if (now() >= wake_at_) {
      asleep_ = false;
      break;
    }
    Micros next = std::min(wake_at_, next_scenario_time());
    if (next == kForever) {
      log_message(LogLevel::info,
                  "sim: the device sleeps until RST and nothing is left to press it: the run ends");
      finish();
      break;
    }
    if (options_.clock == ClockMode::virtual_time)
      advance_to(next);
    else
      sleep_real_until(next);
  }
}

void World::end_boot() {
  pads_.power_off();
  radio_.power_off();
  events_.clear();
  event_times_.clear();
  wdt_timeout_ = 0;
  wdt_deadline_ = kForever;
}

void World::power_cycle(machine::ResetCause next, Micros wake_at, std::string what) {
  power_pending_ = true;
  next_cause_ = next;
  wake_at_ = wake_at;
  asleep_ = next == machine::ResetCause::deep_sleep;
  end_boot();
  Change c;
  c.kind = Change::Kind::power;
  c.what = std::move(what);
  notify(c);
  if (options_.host == Host::own_process) {
    if (options_.state_file.empty()) {
      log_message(LogLevel::error,
                  "sim: %s, but there is no state file to restart from: run the program under weft-sim "
                  "(board/linux/sim), which restarts it",
                  c.what.c_str());
      exit_process(kExitPowerCycle);
    }
    std::string why;
    if (!save_state(snapshot(), options_.state_file, why)) {
      log_message(LogLevel::error, "sim: %s", why.c_str());
      exit_process(kExitUsage);
    }
    exit_process(kExitPowerCycle);
  }
  stop_current_loop();
}

void World::power_down(machine::PowerDown kind, Micros duration) {
  if (!running()) return;
  if (kind == machine::PowerDown::reset) {
    power_cycle(machine::ResetCause::soft, now(), "reset (soft)");
    return;
  }
  if (duration == kForever) {
    power_cycle(machine::ResetCause::deep_sleep, kForever, "deep sleep until RST");
  } else {
    power_cycle(machine::ResetCause::deep_sleep, now() + duration, "deep sleep for " + format_time(duration));
  }
}

void World::press_reset() {
  if (asleep_) {
    asleep_ = false;  // RST wakes a sleeping ESP8266: it boots with reset cause deep-sleep
    wake_at_ = now();
  } else if (running()) {
    power_cycle(machine::ResetCause::hard, now(), "reset (RST pin)");
  } else {
    next_cause_ = machine::ResetCause::hard;
  }
}

void World::watchdog_start(Micros timeout) {
  wdt_timeout_ = timeout;
  wdt_deadline_ = now() + timeout;
}

void World::watchdog_feed() {
  if (wdt_timeout_ > 0) wdt_deadline_ = now() + wdt_timeout_;
}

// --- events
// ---------------------------------------------------------------------------------------------------

std::uint64_t World::schedule(Micros at, std::function<void()> fn) {
  std::uint64_t id = next_id_++;
  events_.emplace(std::make_pair(at, id), std::move(fn));
  event_times_.emplace(id, at);
  return id;
}

void World::cancel(std::uint64_t id) {
  auto it = event_times_.find(id);
  if (it == event_times_.end()) return;
  events_.erase(std::make_pair(it->second, id));
  event_times_.erase(it);
}

Micros World::next_scenario_time() const {
  if (!scenario_ || finished_ || cursor_ >= scenario_->steps().size()) return kForever;
  return scenario_->steps()[cursor_].at;
}

Micros World::next_event_time() const {
  Micros t = std::min(next_scenario_time(), wdt_deadline_);
  if (!events_.empty()) t = std::min(t, events_.begin()->first.first);
  return t;
}

void World::run_due() {
  while (!finished_ && !power_pending_) {
    Micros t = now();
    if (next_scenario_time() <= t) {
      run_next_scenario_line();
      continue;
    }
    if (wdt_deadline_ <= t) {
      log_message(LogLevel::warning, "sim: the watchdog was not fed for %s: resetting the chip",
                  format_time(wdt_timeout_).c_str());
      power_cycle(machine::ResetCause::watchdog, t, "reset (watchdog)");
      return;
    }
    auto it = events_.begin();
    if (it == events_.end() || it->first.first > t) return;
    std::function<void()> fn = std::move(it->second);
    event_times_.erase(it->first.second);
    events_.erase(it);
    fn();
  }
}

// --- observers
// ------------------------------------------------------------------------------------------------

std::uint64_t World::observe(Observer fn) {
  std::uint64_t id = next_id_++;
  observers_.emplace_back(id, std::move(fn));
  return id;
}

void World::unobserve(std::uint64_t id) {
  std::erase_if(observers_, [id](const auto& o) { return o.first == id; });
}

void World::notify(Change c) {
  c.at = now();
  // Copy: an observer may add or remove observers.
  auto observers = observers_;
  for (auto& [id, fn] : observers)
    fn(c);
}

void World::set_trace(bool on) {
  if (on == (trace_id_ != 0)) return;
  if (!on) {
    unobserve(trace_id_);
    trace_id_ = 0;
    return;
  }
  trace_id_ = observe([](const Change& c) {
    log_message(LogLevel::info, "sim %s: %s", format_time(c.at).c_str(), describe(c).c_str());
  });
}

// --- scenario
// -------------------------------------------------------------------------------------------------

void World::run_scenario(std::shared_ptr<const Scenario> s, std::size_t cursor) {
  scenario_ = std::move(s);
  cursor_ = cursor;
}

bool World::run_next_scenario_line() {
  const Step& step = scenario_->steps()[cursor_++];
  if (step.op == Step::Op::end) {
    finish();
    return true;
  }
  if (trace_id_ != 0) {
    log_message(LogLevel::info, "sim %s: line %d: %s", format_time(now()).c_str(), step.line,
                step.text.c_str());
  }
  std::string observed;
  bool held = Scenario::apply(step, *this, observed);
  if (!step.is_expectation()) {
    ++actions_done_;
    return true;
  }
  if (held) {
    ++expectations_held_;
    return true;
  }
  fail(scenario_->name() + ":" + std::to_string(step.line) + ": expectation failed at " + format_time(now()) +
       ": `" + step.text + "`: " + observed);
  return false;
}

void World::fail(std::string message) {
  if (finished_) return;
  finished_ = true;
  failure_ = std::move(message);
  log_message(LogLevel::error, "%s", failure_.c_str());
  if (options_.host == Host::own_process) exit_process(kExitScenarioFailed);
  if (running()) stop_current_loop();
}

void World::finish() {
  if (finished_) return;
  finished_ = true;
  log_message(LogLevel::info,
              "scenario %s passed: %u expectation(s) held, %u action(s), %u boot(s), ended at %s",
              scenario_ ? scenario_->name().c_str() : "(none)", expectations_held_, actions_done_, boots_,
              format_time(now()).c_str());
  if (options_.host == Host::own_process) exit_process(0);
  if (running()) stop_current_loop();
}

// --- control channel
// ------------------------------------------------------------------------------------------

Status World::open_control(const std::string& address) {
  auto channel = std::make_unique<ControlChannel>(*this);
  if (Status s = channel->open(address); !s) return s;
  control_ = std::move(channel);
  return {};
}

// --- persistence
// ----------------------------------------------------------------------------------------------

World::Snapshot World::snapshot() const {
  Snapshot s;
  s.clock = options_.clock;
  s.now = now();
  s.epoch = epoch_;
  s.asleep = asleep_;
  s.wake_at = wake_at_;
  s.next_cause = next_cause_;
  s.boots = boots_;
  s.cursor = cursor_;
  s.expectations_held = expectations_held_;
  s.actions_done = actions_done_;
  s.adc = pads_.adc();
  for (int g = 0; g < machine::kGpioCount; ++g)
    s.drives[static_cast<std::size_t>(g)] = pads_.drive_of(g);
  s.aps = radio_.access_points();
  s.ap_essid = radio_.essid(net::Interface::access_point);
  s.ap_password = radio_.ap_password();
  s.rtc = rtc_;
  return s;
}

void World::restore(const Snapshot& s) {
  if (options_.clock == ClockMode::virtual_time) {
    virtual_now_ = s.now;
  } else {
    epoch_ = s.epoch;
    real_offset_ = (monotonic_us() - s.epoch) - linux_board::linux_clock().now();
  }
  asleep_ = s.asleep;
  wake_at_ = s.wake_at;
  next_cause_ = s.next_cause;
  boots_ = s.boots;
  cursor_ = s.cursor;
  expectations_held_ = s.expectations_held;
  actions_done_ = s.actions_done;
  pads_.set_adc(s.adc);
  for (int g = 0; g < machine::kGpioCount; ++g)
    pads_.drive(g, s.drives[static_cast<std::size_t>(g)]);
  radio_.replace_all(s.aps);
  radio_.ap_config(s.ap_essid, s.ap_password);
  rtc_ = s.rtc;
}

void World::exit_process(int code) {
  for (auto it = exit_hooks_.rbegin(); it != exit_hooks_.rend(); ++it)
    (*it)();
  std::fflush(nullptr);
  _exit(code);
}

}  // namespace weft::sim
