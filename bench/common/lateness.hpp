// Lateness of periodic ticks in ns: (CLOCK_MONOTONIC when the task runs) - (the tick's due time). Storage is
// reserved up front, so recording allocates nothing; ticks due before `record_from_ns` (the warm-up: first
// ticks, page faults, caches) are not recorded; a huge run records every stride-th tick, keeping at most ~4M.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "clock.hpp"

namespace weft::bench {

// The warm-up of a timer run: 100 ms, or a fifth of a shorter run.
inline std::int64_t warm_up_ns(std::int64_t duration_ms) {
  return std::min<std::int64_t>(100'000'000, duration_ms * 200'000);
}

struct LatenessLog {
  LatenessLog(std::int64_t record_from, std::uint64_t expected_ticks)
      : record_from_ns(record_from), stride(expected_ticks / 4'000'000 + 1) {
    ns.reserve(expected_ticks / stride + 16);
  }

  std::vector<std::int64_t> ns;
  std::int64_t record_from_ns;
  std::uint64_t stride;       // every stride-th tick is recorded (1 unless the run is huge)
  std::uint64_t ticks = 0;    // ticks delivered, warm-up included
  std::uint64_t skipped = 0;  // ticks skipped because a task was more than a period late

  // Records the tick due at `due_ns`; returns the clock reading (read every tick: sampling saves memory only).
  std::int64_t record(std::int64_t due_ns) {
    const std::int64_t now = mono_ns();
    if (++ticks % stride == 0 && due_ns >= record_from_ns && ns.size() < ns.capacity())
      ns.push_back(now - due_ns);
    return now;
  }
};

}  // namespace weft::bench
