// yield: ns per task switch with N tasks that do nothing but yield, beside the floor: a hand-written ring of
// coroutine handles resumed round robin, each coroutine doing `co_await yield_to_ring` (one resume = one
// coroutine switch, the same work shape as weft's yield). weft is measured with per-task profiling off and on
// (on reads the clock twice per switch).
#include <chrono>
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>
#include <vector>

#include "core/loop.hpp"
#include "linux/linux_clock.hpp"
#include "record.hpp"
#include "ring_coroutine.hpp"
#include "sample_tasks.hpp"

namespace weft::bench {
namespace {

// The floor: the least a cooperative round-robin scheduler of coroutines can do.

// Suspends back to the hand loop, which resumes the next handle of the ring.
struct YieldToRing {
  [[nodiscard]] bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

RingCoroutine ring_yielder(SwitchCounter& c) {
  while (!c.finished) {
    co_await YieldToRing{};
    c.tick();
  }
}

double floor_ns_per_switch(std::uint32_t tasks, std::uint64_t switches) {
  SwitchCounter c(tasks, switches);
  std::vector<std::coroutine_handle<>> ring;
  ring.reserve(tasks);
  for (std::uint32_t i = 0; i < tasks; ++i)
    ring.push_back(ring_yielder(c).handle);
  while (!c.finished) {
    for (std::coroutine_handle<> h : ring)
      h.resume();
  }
  for (std::coroutine_handle<> h : ring)
    h.destroy();
  return c.ns_per_switch();
}

// < 0 when the tasks could not be spawned (reported).
double weft_ns_per_switch(std::uint32_t tasks, std::uint64_t switches, bool profiling) {
  SwitchCounter c(tasks, switches);
  Loop loop(linux_board::linux_clock());  // the port itself: profiling reads its clock
  loop.set_profiling(profiling);
  loop.set_hog_threshold(0);  // a preempted slice on a loaded machine must not print into the table
  if (!spawn_all(loop, tasks, "yield", [&] { return yielder(c); })) {
    c.finished = true;  // the spawned tasks return at their first resumption
    (void)loop.run_forever();
    return -1;
  }
  Status s = loop.run_forever();
  if (!s || !c.finished) {
    std::fprintf(stderr, "yield: the loop ended early (%s)\n", to_string(s.error()));
    return -1;
  }
  return c.ns_per_switch();
}

Task<> spin_forever() {
  for (;;)
    co_await yield();
}

// Milliseconds ~Loop takes to end `tasks` queued tasks: half have run once and yielded, half never started.
// < 0 when they could not be spawned (reported).
double teardown_ms(std::uint32_t tasks) {
  std::chrono::steady_clock::duration took{};
  {
    auto loop = std::make_unique<Loop>(linux_board::linux_clock());
    loop->set_profiling(false);
    if (!spawn_all(*loop, tasks / 2, "spinner", spin_forever)) return -1;
    (void)loop->poll();  // each ran once and yielded: queued for the next pass
    if (!spawn_all(*loop, tasks - tasks / 2, "unstarted", spin_forever)) return -1;
    auto start = std::chrono::steady_clock::now();
    loop.reset();
    took = std::chrono::steady_clock::now() - start;
  }
  return std::chrono::duration<double, std::milli>(took).count();
}

}  // namespace

bool run_yield_bench(const Options& o) {
  struct Row {
    std::vector<double> floor, off, on;
  };
  std::vector<Row> rows(o.yield_tasks.size());
  // Interleave the variants run by run, so a burst of load from other processes hits them all alike.
  for (int run = 0; run < o.runs; ++run) {
    for (std::size_t i = 0; i < o.yield_tasks.size(); ++i) {
      std::uint32_t n = o.yield_tasks[i];
      if (o.yield_floor) rows[i].floor.push_back(floor_ns_per_switch(n, o.switches));
      for (bool profiling : {false, true}) {
        if (!(profiling ? o.yield_prof : o.yield_weft)) continue;
        double ns = weft_ns_per_switch(n, o.switches, profiling);
        if (ns < 0) return false;
        (profiling ? rows[i].on : rows[i].off).push_back(ns);
      }
    }
  }
  // ~Loop is linear in the tasks it ends (queued ones included): median of the runs.
  constexpr std::uint32_t kTeardownTasks = 40'000;
  std::vector<double> teardowns;
  for (int run = 0; run < o.runs; ++run) {
    double ms = teardown_ms(kTeardownTasks);
    if (ms < 0) return false;
    teardowns.push_back(ms);
  }
  const double teardown = median(teardowns);
  if (o.json) {
    Record("teardown", "weft").add("tasks", kTeardownTasks).add("ms", teardown).print();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      for (auto [impl, v] :
           {std::pair{"floor", &rows[i].floor}, {"weft", &rows[i].off}, {"weft+prof", &rows[i].on}}) {
        if (!v->empty()) Record("switch", impl).add("tasks", o.yield_tasks[i]).add("ns", median(*v)).print();
      }
    }
    return true;
  }
  std::printf("\nyield: ns per task switch, median of %d runs of %llu switches\n", o.runs,
              static_cast<unsigned long long>(o.switches));
  std::printf("  %8s  %8s  %9s %7s  %9s %7s\n", "tasks", "floor", "weft", "x floor", "weft+prof", "x floor");
  auto cell = [](const std::vector<double>& v, double floor) {
    if (v.empty()) return std::printf("  %9s %7s", "-", "-");
    double ns = median(v);
    if (floor <= 0) return std::printf("  %9.2f %7s", ns, "-");
    return std::printf("  %9.2f %6.2fx", ns, ns / floor);
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    double fl = rows[i].floor.empty() ? 0 : median(rows[i].floor);
    std::printf("  %8u  ", o.yield_tasks[i]);
    if (fl > 0)
      std::printf("%8.2f", fl);
    else
      std::printf("%8s", "-");
    cell(rows[i].off, fl);
    cell(rows[i].on, fl);
    std::printf("\n");
  }
  std::printf(
      "  floor: a hand loop resuming a ring of coroutine handles; weft: Loop + co_await weft::yield(),\n"
      "  profiling off; weft+prof: profiling on (one cycle-counter read per switch). Target: weft <= 1.3x "
      "floor.\n");
  double off_10 = 0, off_100k = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].off.empty()) continue;
    if (o.yield_tasks[i] == 10) off_10 = median(rows[i].off);
    if (o.yield_tasks[i] == 100000) off_100k = median(rows[i].off);
  }
  if (off_10 > 0 && off_100k > 0) {
    std::printf("  100k tasks cost %.2fx the 10-task switch (target <= 1.1x)\n", off_100k / off_10);
  }
  std::printf("  ~Loop with %u queued tasks (half started): %.1f ms (target < 50 ms)\n", kTeardownTasks,
              teardown);
  return true;
}

}  // namespace weft::bench
