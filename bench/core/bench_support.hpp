// Shared by the core benchmarks: their options; the clocks, statistics and workloads come from bench/common.
#pragma once
#include <cstdint>
#include <vector>

#include "clock.hpp"
#include "stats.hpp"

namespace weft::bench {

struct Options {
  bool quick = false;
  bool json = false;                    // JSON records (record.hpp) instead of tables
  int runs = 3;                         // repetitions; the tables show medians
  std::uint64_t switches = 20'000'000;  // measured switches per yield run
  bool yield_floor = true, yield_weft = true, yield_prof = true;  // yield variants (one alone: for callgrind)
  std::vector<std::uint32_t> yield_tasks{1, 10, 1000, 100000};
  std::vector<std::uint32_t> timer_tasks{1, 100, 1000};
  std::int64_t timer_ms = 2000;         // per timer run
  std::uint32_t memory_tasks = 100000;  // tasks spawned for bytes-per-task
  bool yield = true;
  bool timers = true;
  bool memory = true;
};

// Each section returns false (after printing what went wrong) when it could not measure.
bool run_yield_bench(const Options& o);
bool run_timer_bench(const Options& o);
bool run_memory_bench(const Options& o);

}  // namespace weft::bench
