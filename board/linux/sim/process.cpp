#include "process.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/log.hpp"
#include "scenario.hpp"
#include "state_file.hpp"

namespace weft {
namespace sim {
namespace {

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "weft sim: %s\n", message.c_str());
  std::fflush(nullptr);
  std::_Exit(kExitUsage);
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

World::Options options_from_env() {
  World::Options o;
  o.host = Host::own_process;
  std::string clock = env("WEFT_SIM_CLOCK");
  if (clock.empty() || clock == "real")
    o.clock = ClockMode::real;
  else if (clock == "virtual")
    o.clock = ClockMode::virtual_time;
  else
    usage_error("WEFT_SIM_CLOCK=" + clock + ": use real or virtual");
  o.state_file = env("WEFT_SIM_STATE");
  return o;
}

void configure(World& world) {
  std::string why;
  World::Snapshot saved;
  bool restored = false;
  if (!world.state_file().empty()) {
    if (!load_state(world.state_file(), saved, restored, why)) usage_error(why);
    if (restored && saved.clock != world.clock()) {
      usage_error("the state file " + world.state_file() +
                  " was written with the other clock; delete it or use the same WEFT_SIM_CLOCK");
    }
    if (restored) world.restore(saved);
  }
  if (std::string path = env("WEFT_SCENARIO"); !path.empty()) {
    Result<Scenario> s = Scenario::load(path, why);
    if (!s) usage_error(why);
    world.run_scenario(std::make_shared<const Scenario>(std::move(*s)), restored ? saved.cursor : 0);
  }
  std::string trace = env("WEFT_SIM_TRACE");
  world.set_trace(!trace.empty() && trace != "0");
  std::string address = env("WEFT_SIM_CONTROL");
  if (!address.empty() && !world.open_control(address))
    usage_error("cannot open the control channel " + address);
  if (std::string hold = env("WEFT_SIM_HOLD"); !hold.empty() && hold != "0") {
    if (address.empty() || world.clock() != ClockMode::virtual_time) {
      usage_error(
          "WEFT_SIM_HOLD needs WEFT_SIM_CONTROL and WEFT_SIM_CLOCK=virtual (a client advances the time)");
    }
    world.set_horizon(world.now());  // time waits for the client's advance/run
  }
}

// The program returned from main (or called exit) while the scenario still had lines to play.
void check_scenario_end() {
  World& w = process_world();
  const Scenario* s = w.scenario();
  if (s == nullptr || w.finished() || s->end_time() == kForever) return;
  std::size_t next = w.scenario_cursor();
  const Step* step = next < s->steps().size() ? &s->steps()[next] : nullptr;
  std::fprintf(
      stderr, "weft sim: %s: the program exited at %s, before the scenario's end at %s (next: line %d: %s)\n",
      s->name().c_str(), format_time(w.now()).c_str(), format_time(s->end_time()).c_str(),
      step != nullptr ? step->line : 0, step != nullptr ? step->text.c_str() : "");
  std::fflush(nullptr);
  std::_Exit(kExitScenarioFailed);
}

}  // namespace

World& process_world() {
  static World world(options_from_env());
  static bool configured = (configure(world), true);
  (void)configured;
  return world;
}

SimClock& process_clock() {
  static SimClock clock(process_world());
  static bool registered = (std::atexit(check_scenario_end), true);  // after both exist: runs before they die
  (void)registered;
  return clock;
}

}  // namespace sim

ClockPort& default_clock_port() {
  return sim::process_clock();
}

IoPoller* default_io_poller() {
  return &sim::process_clock();
}

}  // namespace weft
