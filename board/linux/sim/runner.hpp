// Running programs on the simulated board through power cycles: what weft-sim does, as a C++ API for tests.
//
// run_app: a program in its own process. It is started with the WEFT_SIM_* environment (process.hpp) and a
// state file; each time it exits with kExitPowerCycle (deep sleep, reset, watchdog) it is started again and
// boots from the saved world. Its last exit code is the result: 0 when a scenario passed (or the program
// ended by itself), 1 when an expectation failed, 2 for a bad scenario or setting, 128+N for signal N.
//
// run_device: the same cycle inside the calling process, for tests: `app` is the program's main task; each
// boot gets a fresh SimClock and Loop on `world`, and a power cycle destroys them (every task of the boot is
// ended, as the chip's RAM is lost) before the next boot. Keep machine/net objects inside the app's tasks.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/task.hpp"
#include "world.hpp"

namespace weft::sim {

struct RunOptions {
  std::vector<std::string> command;  // the program and its arguments
  ClockMode clock = ClockMode::real;
  std::string scenario;    // WEFT_SCENARIO; checked before the first start
  std::string control;     // WEFT_SIM_CONTROL
  std::string state_file;  // "" = a temporary file, removed at the end; a given file is emptied first
  std::string output;      // "" = inherit; else the program's stdout and stderr are appended to this file
  bool trace = false;
  bool hold = false;       // WEFT_SIM_HOLD: virtual time waits for the control client at every start
  int max_starts = 10000;  // a program that power-cycles forever is stopped with an error
};

struct RunOutcome {
  int exit_code = 0;
  int starts = 0;     // how many times the program was started
  std::string error;  // the runner's own error (bad scenario, exec failure, too many starts), "" otherwise
};

RunOutcome run_app(const RunOptions& options);

struct DeviceRun {
  Status status;            // the last boot's loop result (ok when the scenario ended or `until` came)
  std::uint32_t boots = 0;  // boots of `world` so far
};

// Runs until world time `until`, the end of the world's scenario (or its first failed expectation: see
// world.failure()), or the app's last boot ending with nothing left to run.
DeviceRun run_device(World& world, const std::function<Task<>()>& app, Micros until = kForever);

}  // namespace weft::sim
