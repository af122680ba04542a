// The simulated board inside one program: the process's World, configured from the environment the first time
// anything needs it, and the process's SimClock: the clock and I/O poller of `weft::Loop loop;`
// (default_clock_port() and default_io_poller() on this board).
//
//   WEFT_SIM_CLOCK=real|virtual   the clock (default real)
//   WEFT_SCENARIO=path            a scenario to play (SCENARIOS.md); the program exits when it ends:
//                                 0 passed, 1 an expectation failed (the line and what was seen are printed)
//   WEFT_SIM_STATE=path           where a deep sleep or reset saves the world (written by weft-sim); when it
//                                 holds a saved world, the program boots from it (wake time, reset cause, RTC
//                                 memory, scenario position), sleeping first if the device was asleep
//   WEFT_SIM_CONTROL=address      open the control channel (unix:/path, /path or tcp:PORT)
//   WEFT_SIM_HOLD=1               start with virtual time held: a control client advances it
//   (hold/advance/run) WEFT_SIM_TRACE=1              log every change of the world
// A bad value prints what is wrong and exits with kExitUsage (2). weft-sim (runner.hpp) sets these for you.
#pragma once
#include "sim_clock.hpp"
#include "world.hpp"

namespace weft::sim {

[[nodiscard]] World& process_world();
// Boots the device on first use.
[[nodiscard]] SimClock& process_clock();

}  // namespace weft::sim
