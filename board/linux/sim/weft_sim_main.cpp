// weft-sim: runs a program built for the Linux board on the simulated ESP8266 world, through deep sleeps and
// resets, optionally playing a scenario (SCENARIOS.md). See usage() and runner.hpp.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "runner.hpp"
#include "scenario.hpp"

namespace {

void usage() {
  std::fprintf(
      stderr,
      "usage: weft-sim [options] [--] PROGRAM [ARGS...]\n"
      "  --scenario FILE   play FILE (board/linux/sim/SCENARIOS.md); exit 0 when it passes\n"
      "  --virtual         virtual clock: time jumps whenever the program idles\n"
      "  --real            real clock (the default)\n"
      "  --control ADDR    control channel: unix:/path, /path or tcp:PORT (JSON lines)\n"
      "  --state FILE      keep the power-cycle state in FILE (default: a temporary file)\n"
      "  --trace           log every change of the world (pins, PWM, Wi-Fi, power)\n"
      "  --hold            with --virtual and --control: time waits for the client (hold/advance/run)\n"
      "  --max-starts N    give up after N starts (default 10000)\n"
      "  --check           only check the scenario and exit\n"
      "exit status: the program's (0 passed, 1 expectation failed), 2 usage or scenario error\n");
}

}  // namespace

int main(int argc, char** argv) {
  weft::sim::RunOptions o;
  bool check_only = false;
  int i = 1;
  auto value = [&](const char* flag) -> std::string {
    if (i + 1 >= argc) {
      std::fprintf(stderr, "weft-sim: %s needs a value\n", flag);
      usage();
      std::exit(2);
    }
    return argv[++i];
  };
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.rfind("--", 0) != 0) break;
    if (a == "--scenario")
      o.scenario = value("--scenario");
    else if (a == "--virtual")
      o.clock = weft::sim::ClockMode::virtual_time;
    else if (a == "--real")
      o.clock = weft::sim::ClockMode::real;
    else if (a == "--control")
      o.control = value("--control");
    else if (a == "--state")
      o.state_file = value("--state");
    else if (a == "--trace")
      o.trace = true;
    else if (a == "--hold")
      o.hold = true;
    else if (a == "--check")
      check_only = true;
    else if (a == "--max-starts")
      o.max_starts = std::atoi(value("--max-starts").c_str());
    else if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else {
      std::fprintf(stderr, "weft-sim: unknown option %s\n", a.c_str());
      usage();
      return 2;
    }
  }
  if (check_only) {
    std::string why;
    if (o.scenario.empty()) {
      std::fprintf(stderr, "weft-sim: --check needs --scenario FILE\n");
      return 2;
    }
    auto s = weft::sim::Scenario::load(o.scenario, why);
    if (!s) {
      std::fprintf(stderr, "%s\n", why.c_str());
      return 2;
    }
    std::fprintf(stderr, "%s: ok (%zu steps)\n", o.scenario.c_str(), s->steps().size());
    return 0;
  }
  for (; i < argc; ++i)
    o.command.emplace_back(argv[i]);
  if (o.command.empty()) {
    usage();
    return 2;
  }
  weft::sim::RunOutcome r = weft::sim::run_app(o);
  if (!r.error.empty()) std::fprintf(stderr, "weft-sim: %s\n", r.error.c_str());
  return r.exit_code;
}
