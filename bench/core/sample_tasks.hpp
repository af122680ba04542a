// The weft tasks the benchmarks run (and whose frames the memory section measures).
#pragma once
#include <cstdint>
#include <cstdio>
#include <vector>

#include "bench_support.hpp"
#include "core/loop.hpp"
#include "lateness.hpp"
#include "switch_counter.hpp"

namespace weft::bench {

// Yields until the counter has finished; the last one to return stops the loop.
Task<> yielder(SwitchCounter& c);

// `weft::Periodic tick(ms(1)); for (;;) { co_await tick.next(); record lateness; }`, first tick at
// `first_due` (the benchmark gives every task the same phase: N handlers per wake-up, the worst case and a
// fixed one).
// `boot_ns`: clock-port time 0 on CLOCK_MONOTONIC (LinuxClock counts from its creation).
Task<> ticker(LatenessLog& log, Micros first_due, std::int64_t boot_ns);

// The design's blink example, without a pin: two 1 s sleeps per loop.
Task<> blink(int& level);

// A task awaiting a child that sleeps and returns a value (two frames while the child runs).
Task<int> child_answer();
Task<> parent_of_child(int& out);

// Spawns `count` detached tasks made by make(); false, after saying why, when one cannot be spawned (the
// frame arena is full).
template <typename Make>
bool spawn_all(Loop& loop, std::uint32_t count, const char* what, Make make) {
  for (std::uint32_t i = 0; i < count; ++i) {
    JoinHandle<void> h = loop.spawn(make(), what);
    if (!h) {
      std::fprintf(stderr, "%s: spawning task %u of %u failed: %s\n", what, i + 1, count,
                   to_string(h.error()));
      return false;
    }
    h.detach();
  }
  return true;
}

}  // namespace weft::bench
