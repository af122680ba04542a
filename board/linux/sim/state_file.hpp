// The state file: what survives a simulated power cycle when the program runs in its own process. World
// writes it when the chip deep-sleeps or resets (then exits with kExitPowerCycle); the next run of the
// program reads it back (process.cpp) and boots with the reset cause, RTC memory, world time and outside
// world (pin drives, ADC, access points, scenario position) as they were.
//
// Plain text, one "key value" per line, strings in hex; written to a temporary file and renamed, so a crash
// never leaves half a state. An empty or missing file means power-on.
#pragma once
#include <string>

#include "world.hpp"

namespace weft::sim {

// false with `why` on an I/O error.
bool save_state(const World::Snapshot& s, const std::string& path, std::string& why);
// A missing or empty file: true with `exists` = false (power-on). false with `why` when it cannot be read or
// is malformed ("path:line: reason").
bool load_state(const std::string& path, World::Snapshot& out, bool& exists, std::string& why);

}  // namespace weft::sim
