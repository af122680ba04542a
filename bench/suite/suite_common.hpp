// Shared by the suite's measurement programs (suite_*.cpp): the command line, the two workloads every
// implementation runs the same way (bench/common's SwitchCounter, and PeriodicLog below) and the JSON-lines
// output that run_suite.py reads. One record per line: {"bench": ..., "impl": ..., figures...}.
//
//   suite_<impl> switch   --tasks=1,10 --switches=N    ns per task switch with N tasks that only yield
//   suite_<impl> timers   --tasks=1,100 --period-ms=P --duration-ms=D   lateness of N periodic tasks
//   suite_<impl> handoff  --rounds=N                   ns per hand-off between two tasks (Event, Queue)
//   suite_<impl> pingpong --rounds=N --size=B          ns per loopback TCP round trip
//   suite_<impl> memory   --tasks=N                    bytes per parked task
// Bad options print what was wrong and the usage, exit 2. A mode an implementation lacks: exit 3.
#pragma once
#include <malloc.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "args.hpp"
#include "clock.hpp"
#include "lateness.hpp"
#include "record.hpp"
#include "stats.hpp"
#include "switch_counter.hpp"

namespace suite {

using weft::bench::mono_ns;
using weft::bench::SwitchCounter;

struct Options {
  std::string mode;
  std::vector<std::uint32_t> tasks{1};
  std::uint64_t switches = 2'000'000;
  std::int64_t period_ms = 1;
  std::int64_t duration_ms = 400;
  std::uint64_t rounds = 20'000;
  std::uint32_t size = 64;
};

inline const char kUsage[] =
    "usage: suite_IMPL MODE [options]   (MODE: switch | timers | handoff | pingpong | memory)\n"
    "  --tasks=LIST       task counts, comma-separated (switch, timers; memory takes the first)\n"
    "  --switches=N       measured switches per task count (switch)\n"
    "  --period-ms=N      tick period of each periodic task (timers)\n"
    "  --duration-ms=N    length of one timer run (timers)\n"
    "  --rounds=N         hand-offs or round trips (handoff, pingpong)\n"
    "  --size=N           message bytes, 1 .. 65536 (pingpong)\n"
    "Prints one JSON record per line.\n";

inline Options parse_options(int argc, char** argv) {
  Options o;
  weft::bench::Args args(argc, argv, kUsage);
  const char* mode = args.positional();
  if (mode == nullptr) args.fail_line("missing MODE");
  o.mode = mode;
  while (args.next()) {
    if (args.is("--tasks")) {
      o.tasks = args.counts(10'000'000);
    } else if (args.is("--switches")) {
      o.switches = args.count(10'000'000'000ULL);
    } else if (args.is("--period-ms")) {
      o.period_ms = static_cast<std::int64_t>(args.count(60'000));
    } else if (args.is("--duration-ms")) {
      o.duration_ms = static_cast<std::int64_t>(args.count(3'600'000));
    } else if (args.is("--rounds")) {
      o.rounds = args.count(1'000'000'000);
    } else if (args.is("--size")) {
      o.size = static_cast<std::uint32_t>(args.count(65536));
    } else {
      args.unknown();
    }
  }
  return o;
}

// A mode this implementation does not run (the runner asks only for what each one implements).
[[noreturn]] inline void unsupported(const char* prog, const std::string& mode) {
  std::fprintf(stderr, "%s: mode '%s' is not implemented by this baseline\n", prog, mode.c_str());
  std::exit(3);
}

inline std::int64_t cpu_ns() {
  return weft::bench::process_cpu_ns();
}

// Live heap bytes (malloc and operator new alike).
inline std::size_t heap_in_use() {
  return mallinfo2().uordblks;
}

// The timer workload: N tasks, each due at start + k * period (all in phase); a task that is more than a
// period late skips to the next future deadline (weft's CatchUp::skip). Lateness = clock when the task runs -
// its due time; the warm-up (bench/common's warm_up_ns) is not recorded.
struct PeriodicLog : weft::bench::LatenessLog {
  std::int64_t period_ns, start_ns, end_ns;
  std::int64_t cpu0_ns = cpu_ns();

  PeriodicLog(const Options& o, std::uint32_t tasks, std::int64_t start = mono_ns())
      : LatenessLog(start + weft::bench::warm_up_ns(o.duration_ms),
                    static_cast<std::uint64_t>(o.duration_ms / o.period_ms + 2) * tasks),
        period_ns(o.period_ms * 1'000'000),
        start_ns(start),
        end_ns(start + o.duration_ms * 1'000'000) {}
  [[nodiscard]] std::int64_t first_due() const { return start_ns + period_ns; }
  // Records the tick due at `due` and returns the task's next due time.
  std::int64_t tick(std::int64_t due) {
    std::int64_t now = record(due);
    std::int64_t next = due + period_ns;
    if (next <= now) {
      std::int64_t missed = (now - next) / period_ns + 1;
      skipped += static_cast<std::uint64_t>(missed);
      next += missed * period_ns;
    }
    return next;
  }
  [[nodiscard]] bool over(std::int64_t due) const { return due >= end_ns; }
};

inline double quantile_us(std::vector<std::int64_t>& v, double q) {
  return static_cast<double>(weft::bench::quantile(v, q)) / 1000.0;
}

// --- JSON lines -------------------------------------------------------------------------------------------

using weft::bench::Record;

inline void emit_switch(const char* impl, std::uint32_t tasks, double ns) {
  Record("switch", impl).add("tasks", tasks).add("ns", ns).print();
}

inline void emit_lateness(const char* impl, std::uint32_t tasks, const Options& o, PeriodicLog& log) {
  double cpu = static_cast<double>(cpu_ns() - log.cpu0_ns) / static_cast<double>(mono_ns() - log.start_ns);
  std::size_t n = log.ns.size();
  Record r("timers", impl);
  r.add("tasks", tasks).add("period_ms", o.period_ms).add("p50_us", quantile_us(log.ns, 0.5));
  r.add("p90_us", quantile_us(log.ns, 0.9)).add("p99_us", quantile_us(log.ns, 0.99));
  r.add("p999_us", quantile_us(log.ns, 0.999)).add("max_us", quantile_us(log.ns, 1.0));
  r.add("samples", n).add("skipped", log.skipped).add("cpu", cpu).print();
}

// One hand-off between two tasks `via` a primitive (event, queue, flag), in ns.
inline void emit_handoff(const char* impl, const char* via, double ns) {
  Record("handoff", impl).add("via", via).add("ns", ns).print();
}

// One loopback TCP round trip of `size`-byte messages, in ns.
inline void emit_pingpong(const char* impl, std::uint32_t size, double ns) {
  Record("pingpong", impl).add("size", size).add("ns", ns).print();
}

inline void emit_memory(const char* impl, double bytes_per_task, const char* what) {
  Record("memory", impl).add("bytes_per_task", bytes_per_task).add("what", what).print();
}

}  // namespace suite
