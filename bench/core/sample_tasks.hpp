// The weft tasks the benchmarks run (and whose frames the memory section measures).
#pragma once
#include <cstdint>
#include <cstdio>
#include <vector>

#include "bench_support.hpp"
#include "core/loop.hpp"

namespace weft::bench {

// Counts task switches and stamps the measured window: switches start_at .. stop_at (after a warm-up in which
// every task ran). Every yielding task, weft's and the floor's, calls tick() once per resumption: same work.
struct SwitchCounter {
  std::uint64_t count = 0;
  std::uint64_t start_at = 0;
  std::uint64_t stop_at = 0;
  std::int64_t t0_ns = 0;
  std::int64_t t1_ns = 0;
  std::uint32_t live = 0;  // tasks that have not returned yet
  bool finished = false;

  void tick() {
    std::uint64_t n = ++count;
    if (n == start_at) t0_ns = mono_ns();
    if (n == stop_at) {
      t1_ns = mono_ns();
      finished = true;
    }
  }
  [[nodiscard]] double ns_per_switch() const {
    return static_cast<double>(t1_ns - t0_ns) / static_cast<double>(stop_at - start_at);
  }
};

// Yields until the counter has finished; the last one to return stops the loop.
Task<> yielder(SwitchCounter& c);

// Lateness of periodic ticks in ns: (real clock when the task runs) - (the tick's due time). Storage is
// reserved up front, so recording allocates nothing; ticks due before `record_from_us` (warm-up) are not
// recorded.
struct LatenessLog {
  explicit LatenessLog(std::uint64_t expected_ticks) : sample(sampling_stride(expected_ticks)) {
    ns.reserve(expected_ticks / sample + 16);
  }
  std::vector<std::int64_t> ns;
  std::int64_t boot_us = 0;  // driver time 0 on CLOCK_MONOTONIC (LinuxDriver counts from its creation)
  Micros record_from_us = 0;
  std::uint64_t sample;       // every sample-th tick is recorded (1 unless the run is huge)
  std::uint64_t skipped = 0;  // ticks the tasks' Periodic skipped (each was more than a period late)
  std::uint64_t ticks = 0;    // ticks delivered, warm-up included

  void record(Micros due_us) {
    std::int64_t late = mono_ns() - (due_us + boot_us) * 1000;  // read every tick: sampling saves memory only
    if (++ticks % sample != 0 || due_us < record_from_us || ns.size() == ns.capacity()) return;
    ns.push_back(late);
  }
};

// `weft::Periodic tick(ms(1)); for (;;) { co_await tick.next(); record lateness; }`, first tick at
// `first_due` (the benchmark gives every task the same phase: N handlers per wake-up, the worst case and a
// fixed one).
Task<> ticker(LatenessLog& log, Micros first_due);

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
      std::printf("%s: spawning task %u of %u failed: %s\n", what, i + 1, count, to_string(h.error()));
      return false;
    }
    h.detach();
  }
  return true;
}

}  // namespace weft::bench
