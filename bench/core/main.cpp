// core_bench: prints the scheduler core's figures, each beside a floor measured in the same run.
//   yield   ns per task switch (weft vs a hand-written ring of coroutine handles)
//   timers  lateness of 1 ms periodic tasks on the real clock (weft vs a clock_nanosleep loop)
//   memory  bytes per task beyond the coroutine frame, frame sizes of sample tasks
// Run `core_bench --help` for the options. Figures vary with load: the tables show medians of --runs runs.
#include <cstdio>

#include "args.hpp"
#include "bench_support.hpp"
#include "host.hpp"

namespace weft::bench {
namespace {

const char kUsage[] =
    "usage: core_bench [options]\n"
    "  --quick               smoke run: tiny sizes, one run (used by ctest; prints, asserts nothing)\n"
    "  --json                one JSON record per figure instead of the tables (run_suite.py reads them)\n"
    "  --only=LIST           sections to run: yield,timers,memory (default: all)\n"
    "  --runs=N              repetitions per figure, the table shows medians (default 3)\n"
    "  --switches=N          measured task switches per yield run (default 20000000)\n"
    "  --yield-tasks=LIST    task counts for yield (default 1,10,1000,100000)\n"
    "  --yield-variants=LIST floor,weft,prof (default all; one alone is handy under callgrind)\n"
    "  --timer-tasks=LIST    task counts for timers (default 1,100,1000)\n"
    "  --timer-ms=N          duration of one timer run in ms (default 2000)\n"
    "  --memory-tasks=N      tasks spawned to measure bytes per task (default 100000)\n";

Options parse(int argc, char** argv) {
  Options o;
  bool explicit_sizes = false;
  Args args(argc, argv, kUsage);
  while (args.next()) {
    if (args.flag("--quick")) {
      o.quick = true;
    } else if (args.flag("--json")) {
      o.json = true;
    } else if (args.is("--only")) {
      args.choose({{"yield", &o.yield}, {"timers", &o.timers}, {"memory", &o.memory}});
    } else if (args.is("--yield-variants")) {
      args.choose({{"floor", &o.yield_floor}, {"weft", &o.yield_weft}, {"prof", &o.yield_prof}});
    } else if (args.is("--runs")) {
      o.runs = static_cast<int>(args.count(1000));
      explicit_sizes = true;
    } else if (args.is("--switches")) {
      o.switches = args.count(100'000'000'000ULL);
      explicit_sizes = true;
    } else if (args.is("--yield-tasks")) {
      o.yield_tasks = args.counts(10'000'000);
      explicit_sizes = true;
    } else if (args.is("--timer-tasks")) {
      o.timer_tasks = args.counts(100'000);
      explicit_sizes = true;
    } else if (args.is("--timer-ms")) {
      o.timer_ms = static_cast<std::int64_t>(args.count(3'600'000));
      explicit_sizes = true;
    } else if (args.is("--memory-tasks")) {
      o.memory_tasks = static_cast<std::uint32_t>(args.count(10'000'000));
      explicit_sizes = true;
    } else {
      args.unknown();
    }
  }
  if (o.quick) {
    if (explicit_sizes) args.fail("--quick sets the sizes itself; drop it or the size options");
    o.runs = 1;
    o.switches = 20'000;
    o.yield_tasks = {1, 10, 100};
    o.timer_tasks = {1, 10};
    o.timer_ms = 50;
    o.memory_tasks = 1000;
  }
  return o;
}

}  // namespace
}  // namespace weft::bench

int main(int argc, char** argv) {
  using namespace weft::bench;
  Options o = parse(argc, argv);
  if (!o.json) {
    std::printf("weft core_bench: %s, build %s%s, load %.2f\n", cpu_model().c_str(), build_kind(),
                o.quick ? ", --quick (smoke sizes)" : "", load_average());
  }
  bool ok = true;
  if (o.yield) ok = run_yield_bench(o) && ok;
  if (o.timers) ok = run_timer_bench(o) && ok;
  if (o.memory) ok = run_memory_bench(o) && ok;
  if (!o.json) std::printf("load at the end %.2f\n", load_average());
  return ok ? 0 : 1;
}
