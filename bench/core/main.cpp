// core_bench: prints the scheduler core's figures, each beside a floor measured in the same run.
//   yield   ns per task switch (weft vs a hand-written ring of coroutine handles)
//   timers  lateness of 1 ms periodic tasks on the real clock (weft vs a clock_nanosleep loop)
//   memory  bytes per task beyond the coroutine frame, frame sizes of sample tasks
// Run `core_bench --help` for the options. Figures vary with load: the tables show medians of --runs runs.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>

#include "bench_support.hpp"

namespace weft::bench {

double load_average() {
  FILE* f = std::fopen("/proc/loadavg", "r");
  if (f == nullptr) return -1;
  double load = -1;
  if (std::fscanf(f, "%lf", &load) != 1) load = -1;
  std::fclose(f);
  return load;
}

namespace {

const char kUsage[] =
    "usage: core_bench [options]\n"
    "  --quick               smoke run: tiny sizes, one run (used by ctest; prints, asserts nothing)\n"
    "  --only=LIST           sections to run: yield,timers,memory (default: all)\n"
    "  --runs=N              repetitions per figure, the table shows medians (default 3)\n"
    "  --switches=N          measured task switches per yield run (default 20000000)\n"
    "  --yield-tasks=LIST    task counts for yield (default 1,10,1000,100000)\n"
    "  --yield-variants=LIST floor,weft,prof (default all; one alone is handy under callgrind)\n"
    "  --timer-tasks=LIST    task counts for timers (default 1,100,1000)\n"
    "  --timer-ms=N          duration of one timer run in ms (default 2000)\n"
    "  --memory-tasks=N      tasks spawned to measure bytes per task (default 100000)\n";

[[noreturn]] void usage_error(const char* what, const std::string& arg) {
  std::fprintf(stderr, "core_bench: %s: '%s'\n%s", what, arg.c_str(), kUsage);
  std::exit(2);
}

std::uint64_t parse_count(const std::string& text, const std::string& arg, std::uint64_t max) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    usage_error("expected a positive whole number", arg);
  }
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
  if (errno != 0 || v == 0 || v > max) {
    usage_error(("value out of range (1 .. " + std::to_string(max) + ")").c_str(), arg);
  }
  return v;
}

std::vector<std::uint32_t> parse_list(const std::string& text, const std::string& arg, std::uint64_t max) {
  std::vector<std::uint32_t> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = text.find(',', start);
    out.push_back(static_cast<std::uint32_t>(parse_count(text.substr(start, comma - start), arg, max)));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

struct NamedFlag {
  const char* name;
  bool* flag;
};

// `list` is comma-separated names out of `names`: sets those flags, clears the others.
void parse_names(const std::string& list, const std::string& arg, std::initializer_list<NamedFlag> names) {
  for (const NamedFlag& n : names)
    *n.flag = false;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = list.find(',', start);
    std::string name = list.substr(start, comma - start);
    bool known = false;
    for (const NamedFlag& n : names) {
      if (name == n.name) *n.flag = known = true;
    }
    if (!known) {
      std::string choices;
      for (const NamedFlag& n : names)
        choices += std::string(choices.empty() ? "" : ", ") + n.name;
      usage_error(("unknown name '" + name + "' (expected: " + choices + ")").c_str(), arg);
    }
    if (comma == std::string::npos) return;
    start = comma + 1;
  }
}

Options parse(int argc, char** argv) {
  Options o;
  bool explicit_sizes = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string name = arg;
    std::string value;
    bool has_value = false;
    if (std::size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    auto take_value = [&]() -> const std::string& {
      if (!has_value) {
        if (i + 1 >= argc) usage_error("missing value for option", arg);
        value = argv[++i];
        has_value = true;
      }
      return value;
    };
    if (name == "--help" || name == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (name == "--quick" && !has_value) {
      o.quick = true;
    } else if (name == "--only") {
      parse_names(take_value(), arg, {{"yield", &o.yield}, {"timers", &o.timers}, {"memory", &o.memory}});
    } else if (name == "--yield-variants") {
      parse_names(take_value(), arg,
                  {{"floor", &o.yield_floor}, {"weft", &o.yield_weft}, {"prof", &o.yield_prof}});
    } else if (name == "--runs") {
      o.runs = static_cast<int>(parse_count(take_value(), arg, 1000));
      explicit_sizes = true;
    } else if (name == "--switches") {
      o.switches = parse_count(take_value(), arg, 100'000'000'000ULL);
      explicit_sizes = true;
    } else if (name == "--yield-tasks") {
      o.yield_tasks = parse_list(take_value(), arg, 10'000'000);
      explicit_sizes = true;
    } else if (name == "--timer-tasks") {
      o.timer_tasks = parse_list(take_value(), arg, 100'000);
      explicit_sizes = true;
    } else if (name == "--timer-ms") {
      o.timer_ms = static_cast<std::int64_t>(parse_count(take_value(), arg, 3'600'000));
      explicit_sizes = true;
    } else if (name == "--memory-tasks") {
      o.memory_tasks = static_cast<std::uint32_t>(parse_count(take_value(), arg, 10'000'000));
      explicit_sizes = true;
    } else {
      usage_error("unknown option", arg);
    }
  }
  if (o.quick) {
    if (explicit_sizes) usage_error("--quick sets the sizes itself; drop it or the size options", "--quick");
    o.runs = 1;
    o.switches = 20'000;
    o.yield_tasks = {1, 10, 100};
    o.timer_tasks = {1, 10};
    o.timer_ms = 50;
    o.memory_tasks = 1000;
  }
  return o;
}

std::string cpu_model() {
  FILE* f = std::fopen("/proc/cpuinfo", "r");
  if (f == nullptr) return "unknown";
  char line[512];
  std::string model = "unknown";
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, "model name", 10) != 0) continue;
    const char* colon = std::strchr(line, ':');
    if (colon != nullptr) model = colon + 2;
    if (!model.empty() && model.back() == '\n') model.pop_back();
    break;
  }
  std::fclose(f);
  return model;
}

}  // namespace
}  // namespace weft::bench

int main(int argc, char** argv) {
  using namespace weft::bench;
  Options o = parse(argc, argv);
#ifdef __OPTIMIZE__
  const char* build = "optimised";
#else
  const char* build = "NOT optimised (figures are meaningless; use the release preset)";
#endif
  std::printf("weft core_bench: %s, build %s%s, load %.2f\n", cpu_model().c_str(), build,
              o.quick ? ", --quick (smoke sizes)" : "", load_average());
  bool ok = true;
  if (o.yield) ok = run_yield_bench(o) && ok;
  if (o.timers) ok = run_timer_bench(o) && ok;
  if (o.memory) ok = run_memory_bench(o) && ok;
  std::printf("load at the end %.2f\n", load_average());
  return ok ? 0 : 1;
}
