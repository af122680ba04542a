// suite_poll: the Arduino "blink without delay" pattern (seed 004): loop() visits N jobs in turn, each
// checking `now - last >= interval` against a clock read once per pass, and running when due. No scheduler,
// no waiting: the loop spins, so it holds a whole core (the timer records show cpu ~1.0).
//   switch   every job has interval 0 (always due): ns per job visit + run
//   timers   N jobs with absolute deadlines start + k * period (skip when late); the clock is CLOCK_MONOTONIC
//            in ns (Arduino's millis() would add up to 1 ms)
//   handoff  two jobs passing a turn flag: the other job sees it at its next visit
//   memory   sizeof the job record (a static array: no heap)
#include "suite_common.hpp"

namespace {

using namespace suite;

struct Job {
  void (*run)(Job&);
  std::int64_t due_ns;  // the job's next deadline ("previousMillis + interval" in the pattern)
  void* context;
};

// One pass of loop(): read the clock, run every job that is due. Returns the clock reading.
std::int64_t loop_pass(std::vector<Job>& jobs) {
  std::int64_t now = mono_ns();
  for (Job& j : jobs) {
    if (now >= j.due_ns) j.run(j);
  }
  return now;
}

void poll_switch(const Options& o) {
  for (std::uint32_t n : o.tasks) {
    SwitchCounter c(n, o.switches);
    // Due at 0 and never moved: always due, as `interval = 0`.
    std::vector<Job> jobs(n, Job{[](Job& j) { static_cast<SwitchCounter*>(j.context)->tick(); }, 0, &c});
    while (!c.finished)
      loop_pass(jobs);
    emit_switch("poll", n, c.ns_per_switch());
  }
}

void poll_timers(const Options& o) {
  for (std::uint32_t n : o.tasks) {
    PeriodicLog log(o, n);
    std::vector<Job> jobs(n,
                          Job{[](Job& j) { j.due_ns = static_cast<PeriodicLog*>(j.context)->tick(j.due_ns); },
                              log.first_due(), &log});
    while (loop_pass(jobs) < log.end_ns) {
    }
    emit_lateness("poll", n, o, log);
  }
}

// Two always-due jobs passing a turn: each acts only when the turn is its own, then hands it over.
struct Turn {
  int turn = 0;
  std::uint64_t handoffs = 0;
  void pass_from(int me) {
    if (turn != me) return;
    turn = 1 - me;
    ++handoffs;
  }
};

void poll_handoff(const Options& o) {
  Turn t;
  std::vector<Job> jobs{{[](Job& j) { static_cast<Turn*>(j.context)->pass_from(0); }, 0, &t},
                        {[](Job& j) { static_cast<Turn*>(j.context)->pass_from(1); }, 0, &t}};
  std::int64_t start = mono_ns();
  while (t.handoffs < o.rounds)
    loop_pass(jobs);
  emit_handoff("poll", "flag", static_cast<double>(mono_ns() - start) / static_cast<double>(t.handoffs));
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  if (o.mode == "switch") {
    poll_switch(o);
  } else if (o.mode == "timers") {
    poll_timers(o);
  } else if (o.mode == "handoff") {
    poll_handoff(o);
  } else if (o.mode == "memory") {
    emit_memory("poll", sizeof(Job), "job record in a static array");
  } else {
    unsupported(argv[0], o.mode);
  }
  return 0;
}
