// Shared by the suite's measurement programs (suite_*.cpp): the command line, the clock, the two workloads
// every implementation runs the same way (SwitchCounter, LatenessLog) and the JSON-lines output that
// run_suite.py reads. One record per line: {"bench": ..., "impl": ..., figures...}.
//
//   suite_<impl> switch   --tasks=1,10 --switches=N    ns per task switch with N tasks that only yield
//   suite_<impl> timers   --tasks=1,100 --period-ms=P --duration-ms=D   lateness of N periodic tasks
//   suite_<impl> handoff  --rounds=N                   ns per hand-off between two tasks (Event, Queue)
//   suite_<impl> pingpong --rounds=N --size=B          ns per loopback TCP round trip
//   suite_<impl> memory   --tasks=N                    bytes per parked task
// Bad options print what was wrong and the usage, exit 2. A mode an implementation lacks: exit 3.
#pragma once
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace suite {

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
    "usage: %s MODE [options]   (MODE: switch | timers | handoff | pingpong | memory)\n"
    "  --tasks=LIST       task counts, comma-separated (switch, timers; memory takes the first)\n"
    "  --switches=N       measured switches per task count (switch)\n"
    "  --period-ms=N      tick period of each periodic task (timers)\n"
    "  --duration-ms=N    length of one timer run (timers)\n"
    "  --rounds=N         hand-offs or round trips (handoff, pingpong)\n"
    "  --size=N           message bytes, 1 .. 65536 (pingpong)\n"
    "Prints one JSON record per line.\n";

[[noreturn]] inline void usage_error(const char* prog, const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", prog, what.c_str());
  std::fprintf(stderr, kUsage, prog);
  std::exit(2);
}

inline std::uint64_t parse_count(const char* prog, const std::string& arg, const std::string& text,
                                 std::uint64_t max) {
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || errno != 0 || v == 0 ||
      v > max) {
    usage_error(prog, "'" + arg + "': expected a whole number 1 .. " + std::to_string(max));
  }
  return v;
}

inline Options parse_options(int argc, char** argv) {
  const char* prog = argv[0];
  Options o;
  if (argc < 2) usage_error(prog, "missing MODE");
  o.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    std::size_t eq = arg.find('=');
    if (eq == std::string::npos) usage_error(prog, "'" + arg + "': expected --name=value");
    std::string name = arg.substr(0, eq), value = arg.substr(eq + 1);
    if (name == "--tasks") {
      o.tasks.clear();
      for (std::size_t start = 0;;) {
        std::size_t comma = value.find(',', start);
        o.tasks.push_back(static_cast<std::uint32_t>(
            parse_count(prog, arg, value.substr(start, comma - start), 10'000'000)));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (name == "--switches") {
      o.switches = parse_count(prog, arg, value, 10'000'000'000ULL);
    } else if (name == "--period-ms") {
      o.period_ms = static_cast<std::int64_t>(parse_count(prog, arg, value, 60'000));
    } else if (name == "--duration-ms") {
      o.duration_ms = static_cast<std::int64_t>(parse_count(prog, arg, value, 3'600'000));
    } else if (name == "--rounds") {
      o.rounds = parse_count(prog, arg, value, 1'000'000'000);
    } else if (name == "--size") {
      o.size = static_cast<std::uint32_t>(parse_count(prog, arg, value, 65536));
    } else {
      usage_error(prog, "unknown option '" + name + "'");
    }
  }
  return o;
}

// A mode this implementation does not run (the runner asks only for what each one implements).
[[noreturn]] inline void unsupported(const char* prog, const std::string& mode) {
  std::fprintf(stderr, "%s: mode '%s' is not implemented by this baseline\n", prog, mode.c_str());
  std::exit(3);
}

inline std::int64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline std::int64_t cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Live heap bytes (malloc and operator new alike).
inline std::size_t heap_in_use() {
  return mallinfo2().uordblks;
}

// The switch workload, as bench/core counts it: every task calls tick() once per resumption; the window is
// switches start_at .. stop_at, after a warm-up in which every task ran twice.
struct SwitchCounter {
  std::uint64_t count = 0, start_at = 0, stop_at = 0;
  std::int64_t t0_ns = 0, t1_ns = 0;
  bool finished = false;

  SwitchCounter(std::uint32_t tasks, std::uint64_t switches)
      : start_at(2ULL * tasks + 1000), stop_at(start_at + switches) {}
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

// The timer workload: N tasks, each due at start + k * period (all in phase); a task that is more than a
// period late skips to the next future deadline (weft's CatchUp::skip). Lateness = clock when the task runs -
// its due time; the first 100 ms (a fifth of a short run) are warm-up and not recorded.
struct LatenessLog {
  std::int64_t period_ns, start_ns, record_from_ns, end_ns;
  std::vector<std::int64_t> ns;
  std::uint64_t skipped = 0;
  std::int64_t cpu0_ns = cpu_ns();

  LatenessLog(const Options& o, std::uint32_t tasks)
      : period_ns(o.period_ms * 1'000'000),
        start_ns(mono_ns()),
        record_from_ns(start_ns + std::min<std::int64_t>(100'000'000, o.duration_ms * 200'000)),
        end_ns(start_ns + o.duration_ms * 1'000'000) {
    ns.reserve(static_cast<std::size_t>(o.duration_ms / o.period_ms + 2) * tasks);
  }
  [[nodiscard]] std::int64_t first_due() const { return start_ns + period_ns; }
  // Records the lateness of the tick due at `due` (ns, CLOCK_MONOTONIC); returns the clock reading.
  std::int64_t record(std::int64_t due) {
    std::int64_t now = mono_ns();
    if (due >= record_from_ns && ns.size() < ns.capacity()) ns.push_back(now - due);
    return now;
  }
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
  if (v.empty()) return 0;
  auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return static_cast<double>(v[i]) / 1000.0;
}

// --- JSON lines -------------------------------------------------------------------------------------------

inline void emit_switch(const char* impl, std::uint32_t tasks, double ns) {
  std::printf("{\"bench\": \"switch\", \"impl\": \"%s\", \"tasks\": %u, \"ns\": %.3f}\n", impl, tasks, ns);
  std::fflush(stdout);
}

inline void emit_lateness(const char* impl, std::uint32_t tasks, const Options& o, LatenessLog& log) {
  double cpu = static_cast<double>(cpu_ns() - log.cpu0_ns) / static_cast<double>(mono_ns() - log.start_ns);
  std::size_t n = log.ns.size();
  double p50 = quantile_us(log.ns, 0.5), p90 = quantile_us(log.ns, 0.9), p99 = quantile_us(log.ns, 0.99),
         p999 = quantile_us(log.ns, 0.999), max = quantile_us(log.ns, 1.0);
  std::printf(
      "{\"bench\": \"timers\", \"impl\": \"%s\", \"tasks\": %u, \"period_ms\": %lld, \"p50_us\": %.2f, "
      "\"p90_us\": %.2f, \"p99_us\": %.2f, \"p999_us\": %.2f, \"max_us\": %.2f, \"samples\": %zu, "
      "\"skipped\": %llu, \"cpu\": %.3f}\n",
      impl, tasks, static_cast<long long>(o.period_ms), p50, p90, p99, p999, max, n,
      static_cast<unsigned long long>(log.skipped), cpu);
  std::fflush(stdout);
}

// One hand-off between two tasks `via` a primitive (event, queue, flag), in ns.
inline void emit_handoff(const char* impl, const char* via, double ns) {
  std::printf("{\"bench\": \"handoff\", \"impl\": \"%s\", \"via\": \"%s\", \"ns\": %.3f}\n", impl, via, ns);
  std::fflush(stdout);
}

// One loopback TCP round trip of `size`-byte messages, in ns.
inline void emit_pingpong(const char* impl, std::uint32_t size, double ns) {
  std::printf("{\"bench\": \"pingpong\", \"impl\": \"%s\", \"size\": %u, \"ns\": %.1f}\n", impl, size, ns);
  std::fflush(stdout);
}

inline void emit_memory(const char* impl, double bytes_per_task, const char* what) {
  std::printf("{\"bench\": \"memory\", \"impl\": \"%s\", \"bytes_per_task\": %.1f, \"what\": \"%s\"}\n", impl,
              bytes_per_task, what);
  std::fflush(stdout);
}

}  // namespace suite
