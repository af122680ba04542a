// The switch workload every implementation runs the same way: each task calls tick() once per resumption; the
// measured window is switches start_at .. stop_at, after a warm-up in which every task ran at least twice.
#pragma once
#include <cstdint>

#include "clock.hpp"

namespace weft::bench {

struct SwitchCounter {
  std::uint64_t count = 0;
  std::uint64_t start_at = 0;
  std::uint64_t stop_at = 0;
  std::int64_t t0_ns = 0;
  std::int64_t t1_ns = 0;
  std::uint32_t live = 0;  // tasks that have not returned yet (for those who count them)
  bool finished = false;

  SwitchCounter(std::uint32_t tasks, std::uint64_t switches)
      : start_at(2ULL * tasks + 1000), stop_at(start_at + switches) {}

  void tick() {
    const std::uint64_t n = ++count;
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

}  // namespace weft::bench
