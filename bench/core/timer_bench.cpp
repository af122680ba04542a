// timers: lateness (real clock when the task runs - the tick's due time) of N tasks ticking every 1 ms on the
// real clock (LinuxClock: timerfd + epoll), beside the floor: one thread sleeping with
// clock_nanosleep(TIMER_ABSTIME) to each 1 ms deadline, measured in the same run.
// For N > 1 the floor is still that single sleeper (one wake-up per ms is all the kernel can do for us); the
// "floor xN" figures record N stamps per wake-up instead of one: the least N handlers sharing a thread cost.
#include <sys/prctl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <string_view>

#include "core/loop.hpp"
#include "linux/linux_clock.hpp"
#include "record.hpp"
#include "sample_tasks.hpp"

namespace weft::bench {
namespace {

constexpr std::int64_t kPeriodNs = 1'000'000;

struct Percentiles {
  double p50_us = 0, p99_us = 0, max_us = 0;
  double cpu_ns_per_tick = 0;  // thread CPU time of the run (kernel included) / ticks delivered
};

Percentiles percentiles(std::vector<std::int64_t>& ns, std::int64_t cpu_ns, std::uint64_t ticks) {
  Percentiles p;
  p.cpu_ns_per_tick = ticks > 0 ? static_cast<double>(cpu_ns) / static_cast<double>(ticks) : 0;
  p.p50_us = static_cast<double>(quantile(ns, 0.50)) / 1000.0;
  p.p99_us = static_cast<double>(quantile(ns, 0.99)) / 1000.0;
  p.max_us = static_cast<double>(quantile(ns, 1.0)) / 1000.0;
  return p;
}

// One thread, one absolute 1 ms deadline at a time; `stamps` lateness records per wake-up. Missed deadlines
// are skipped, as weft's Periodic does by default.
Percentiles floor_lateness(std::int64_t duration_ms, std::uint32_t stamps) {
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);  // as LinuxClock does: no coalescing of our wake-ups
  std::int64_t start = mono_ns();
  std::int64_t end = start + duration_ms * 1'000'000;
  LatenessLog log(start + warm_up_ns(duration_ms), static_cast<std::uint64_t>(duration_ms) * stamps);
  std::int64_t cpu_start = thread_cpu_ns();
  for (std::int64_t due = start + kPeriodNs; due < end;) {
    timespec ts{static_cast<time_t>(due / 1'000'000'000), static_cast<long>(due % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
    for (std::uint32_t k = 0; k < stamps; ++k)
      (void)log.record(due);
    std::int64_t now = mono_ns();
    due += kPeriodNs;
    if (due <= now) due += ((now - due) / kPeriodNs + 1) * kPeriodNs;
  }
  return percentiles(log.ns, thread_cpu_ns() - cpu_start, log.ticks);
}

// Clock-port time 0 on CLOCK_MONOTONIC: read both clocks until a clock reading falls inside one microsecond.
std::int64_t clock_boot_us(ClockPort& d) {
  for (;;) {
    std::int64_t before = mono_ns() / 1000;
    Micros t = d.now();
    std::int64_t after = mono_ns() / 1000;
    if (before == after) return before - t;
  }
}

bool weft_lateness(ClockPort& clock, IoPoller* io, std::uint32_t tasks, std::int64_t duration_ms,
                   bool profiling, Percentiles& out, std::uint64_t& skipped) {
  Loop loop(clock, io);
  loop.set_profiling(profiling);
  loop.set_hog_threshold(0);  // keep the table clean on a loaded machine
  const std::int64_t boot_ns = clock_boot_us(loop.clock()) * 1000;
  Micros start = loop.refresh_now();
  LatenessLog log(boot_ns + start * 1000 + warm_up_ns(duration_ms),
                  static_cast<std::uint64_t>(duration_ms) * tasks);
  if (!spawn_all(loop, tasks, "timers", [&] { return ticker(log, start + ms(1), boot_ns); })) {
    (void)loop.poll();  // the spawned tasks start and wait for their first tick: not queued at teardown
    return false;
  }
  std::int64_t cpu_start = thread_cpu_ns();
  Status s = loop.run_for(ms(duration_ms));
  std::int64_t cpu = thread_cpu_ns() - cpu_start;
  if (!s) {
    std::fprintf(stderr, "timers: the loop failed: %s\n", to_string(s.error()));
    return false;
  }
  skipped = log.skipped;
  out = percentiles(log.ns, cpu, log.ticks);
  return true;
}

// One line of the table: the runs of one variant for one task count.
struct Series {
  explicit Series(const char* n) : name(n) {}
  const char* name;
  std::vector<double> p50, p99, max, cpu;
  std::vector<std::uint64_t> skipped;
  void add(const Percentiles& p, std::uint64_t skip = 0) {
    p50.push_back(p.p50_us), p99.push_back(p.p99_us), max.push_back(p.max_us), skipped.push_back(skip);
    cpu.push_back(p.cpu_ns_per_tick);
  }
  void print(std::uint32_t tasks, const Series* floor, bool json) const {
    if (p50.empty()) return;
    if (json) {
      Record r("timers", std::string_view(name) == "default" ? "weft-default" : name);
      r.add("tasks", tasks).add("period_ms", 1).add("p50_us", median(p50)).add("p99_us", median(p99));
      r.add("max_us", median(max)).add("cpu_ns_per_tick", median(cpu));
      if (floor != nullptr) r.add("skipped", median(skipped));
      r.print();
      return;
    }
    std::printf("  %6u  %-10s %8.1f %8.1f %8.1f %8.0f", tasks, name, median(p50), median(p99), median(max),
                median(cpu));
    if (floor != nullptr) {
      std::printf("  %5.2fx %5.2fx %8llu", median(p50) / median(floor->p50), median(p99) / median(floor->p99),
                  static_cast<unsigned long long>(median(skipped)));
    }
    std::printf("\n");
  }
};

}  // namespace

bool run_timer_bench(const Options& o) {
  // What `weft::Loop loop;` gets on this board (the simulated world's SimClock, over LinuxClock), unless its
  // clock is virtual (WEFT_SIM_CLOCK=virtual), which has no lateness to measure.
  ClockPort* board_default = default_clock_port().is_virtual() ? nullptr : &default_clock_port();
  linux_board::LinuxClock& lin = linux_board::linux_clock();
  struct Row {
    Series floor{"floor"};
    Series floor_n{"floor xN"};
    Series weft{"weft"};
    Series prof{"weft+prof"};
    Series board{"default"};
  };
  std::vector<Row> rows(o.timer_tasks.size());
  // Interleaved run by run, so a burst of load from other processes hits every variant alike.
  for (int run = 0; run < o.runs; ++run) {
    for (std::size_t i = 0; i < o.timer_tasks.size(); ++i) {
      std::uint32_t n = o.timer_tasks[i];
      Row& r = rows[i];
      r.floor.add(floor_lateness(o.timer_ms, 1));
      if (n > 1) r.floor_n.add(floor_lateness(o.timer_ms, n));
      struct Variant {
        Series& series;
        ClockPort* clock;
        IoPoller* io;
        bool profiling;
      };
      for (Variant v : {Variant{r.weft, &lin, &lin, false}, Variant{r.prof, &lin, &lin, true},
                        Variant{r.board, board_default, default_io_poller(), true}}) {
        if (v.clock == nullptr) continue;
        Percentiles w;
        std::uint64_t skipped = 0;
        if (!weft_lateness(*v.clock, v.io, n, o.timer_ms, v.profiling, w, skipped)) return false;
        v.series.add(w, skipped);
      }
    }
  }
  if (!o.json) {
    std::printf(
        "\ntimers: lateness (us) of N tasks ticking every 1 ms on the real clock, %lld ms per run, median of "
        "%d\n",
        static_cast<long long>(o.timer_ms), o.runs);
    std::printf("  %6s  %-10s %8s %8s %8s %8s  %6s %6s %8s\n", "tasks", "", "p50", "p99", "max", "cpu ns",
                "x p50", "x p99", "skipped");
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Row& r = rows[i];
    std::uint32_t n = o.timer_tasks[i];
    r.floor.print(n, nullptr, o.json);
    r.floor_n.print(n, nullptr, o.json);
    r.weft.print(n, &r.floor, o.json);
    r.prof.print(n, &r.floor, o.json);
    r.board.print(n, &r.floor, o.json);
  }
  if (o.json) return true;
  std::printf(
      "  floor: one thread, clock_nanosleep(TIMER_ABSTIME) to each 1 ms deadline (timer slack 1 ns), one "
      "stamp\n"
      "    per wake-up. It is the floor for every N: one kernel wake-up per ms serves all N tasks.\n"
      "  floor xN: the same sleeper taking N stamps per wake-up (the least N handlers on one thread cost).\n"
      "  weft: N Periodic tasks on LinuxClock (timerfd + epoll), profiling off; weft+prof: profiling on. "
      "The\n"
      "    N tasks share one phase (all due at once), so their lateness compares with floor xN's.\n"
      "  default: `weft::Loop loop;` as an app gets it on this board (its default clock and poller,\n"
      "    profiling on).\n"
      "  cpu ns: thread CPU time (kernel included) per tick delivered: the cost of a tick whatever the "
      "load.\n"
      "  skipped: ticks Periodic skipped (a task more than a period late). Targets: weft p50 <= 1.2x, p99 <= "
      "1.5x.\n");
  return true;
}

}  // namespace weft::bench
