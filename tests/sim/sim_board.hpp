// Test helpers for the simulated board: a booted device on the virtual clock with a Loop on it.
#pragma once
#include <string>
#include <vector>

#include "core/weft.hpp"
#include "linux/sim/sim_clock.hpp"
#include "linux/sim/world.hpp"

namespace weft::test {

// A fresh world (virtual clock), the device booted in it, and its loop. Members in construction order.
struct SimBoard {
  sim::World world;
  sim::SimClock clock{world};
  Loop loop{clock};

  // Runs the loop until world time `t`.
  Status run_until_world(Micros t) { return loop.run_until(t - world.boot_time()); }
};

// Records the world's changes as text ("GPIO2 low", "wifi got IP") with their world time.
struct ChangeLog {
  sim::World& world;
  std::vector<std::string> lines;
  std::vector<Micros> times;
  std::uint64_t id;
  explicit ChangeLog(sim::World& w, sim::Change::Kind kind) : world(w) {
    id = w.observe([this, kind](const sim::Change& c) {
      if (c.kind != kind) return;
      lines.push_back(sim::describe(c));
      times.push_back(c.at);
    });
  }
  ~ChangeLog() { world.unobserve(id); }
};

}  // namespace weft::test
