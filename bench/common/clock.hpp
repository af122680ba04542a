// The clocks the benchmarks read: wall time on CLOCK_MONOTONIC (the clock LinuxClock reads, at full
// resolution) and the CPU time of the thread or the process.
#pragma once
#include <time.h>

#include <cstdint>

namespace weft::bench {

inline std::int64_t ns_of(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline std::int64_t mono_ns() {
  return ns_of(CLOCK_MONOTONIC);
}
// What a run cost the calling thread, whatever else the machine was doing.
inline std::int64_t thread_cpu_ns() {
  return ns_of(CLOCK_THREAD_CPUTIME_ID);
}
inline std::int64_t process_cpu_ns() {
  return ns_of(CLOCK_PROCESS_CPUTIME_ID);
}

}  // namespace weft::bench
