// Shared by the core benchmarks: options, the nanosecond clock, medians and percentiles.
#pragma once
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace weft::bench {

struct Options {
  bool quick = false;
  int runs = 3;                                                   // repetitions; the tables show medians
  std::uint64_t switches = 20'000'000;                            // measured switches per yield run
  bool yield_floor = true, yield_weft = true, yield_prof = true;  // yield variants (one alone: for callgrind)
  std::vector<std::uint32_t> yield_tasks{1, 10, 1000, 100000};
  std::vector<std::uint32_t> timer_tasks{1, 100, 1000};
  std::int64_t timer_ms = 2000;         // per timer run
  std::uint32_t memory_tasks = 100000;  // tasks spawned for bytes-per-task
  bool yield = true;
  bool timers = true;
  bool memory = true;
};

// CLOCK_MONOTONIC in nanoseconds (the clock LinuxDriver reads, at full resolution).
inline std::int64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// CPU time of the calling thread in ns: what a run cost, whatever else the machine was doing.
inline std::int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

template <typename T>
T median(std::vector<T> v) {
  if (v.empty()) return T{};
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// The q-quantile (0..1) of `v` (reordered in place); 0 for an empty sample.
inline std::int64_t quantile(std::vector<std::int64_t>& v, double q) {
  if (v.empty()) return 0;
  auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  auto it = v.begin() + static_cast<std::ptrdiff_t>(i);
  std::nth_element(v.begin(), it, v.end());
  return *it;
}

// Lateness samples are kept in memory: a huge run records every n-th tick so that at most ~4M are kept.
inline std::uint64_t sampling_stride(std::uint64_t expected) {
  return expected / 4'000'000 + 1;
}

// The 1-minute load average, or -1 when /proc is unavailable.
double load_average();

// Each section returns false (after printing what went wrong) when it could not measure.
bool run_yield_bench(const Options& o);
bool run_timer_bench(const Options& o);
bool run_memory_bench(const Options& o);

}  // namespace weft::bench
