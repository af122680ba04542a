// suite_weft: the weft figures bench/core's core_bench does not take (core_bench: yield switch, 1 ms timers,
// bytes per task), on the process's LinuxClock with profiling off, as core_bench's "weft" rows.
//   timers   N tasks `Periodic tick(period); for (;;) { co_await tick.next(); record; }` (the suite runs it
//   at
//            10 ms; core_bench measures 1 ms)
//   handoff  two tasks ping-ponging through a pair of Events (set / wait / clear) and through a pair of
//            Queue<uint64_t, 1> (put / get): ns per hand-off = elapsed / (2 * rounds)
#include "core/event.hpp"
#include "core/loop.hpp"
#include "core/periodic.hpp"
#include "core/queue.hpp"
#include "linux/linux_clock.hpp"
#include "suite_common.hpp"

namespace {

using namespace suite;
using namespace weft;

// Clock-port time 0 on CLOCK_MONOTONIC, in ns: read both clocks until a clock reading falls inside 1 us.
std::int64_t clock_boot_ns(ClockPort& d) {
  for (;;) {
    std::int64_t before = mono_ns() / 1000;
    Micros t = d.now();
    if (mono_ns() / 1000 == before) return (before - t) * 1000;
  }
}

Task<> ticker(PeriodicLog& log, std::int64_t boot_ns, std::uint64_t& skipped) {
  Periodic tick(ms(log.period_ns / 1'000'000));
  for (;;) {
    Status s = co_await tick.next();  // not inside the if: GCC 12 miscompiles co_await in a condition
    if (!s) co_return;
    log.record(boot_ns + tick.due() * 1000);
    skipped = tick.missed();
  }
}

bool weft_timers(const Options& o) {
  for (std::uint32_t n : o.tasks) {
    Loop loop(linux_board::linux_clock());
    loop.set_profiling(false);
    loop.set_hog_threshold(0);  // a preempted slice on a loaded machine must not print into the records
    std::int64_t boot_ns = clock_boot_ns(loop.clock());
    loop.refresh_now();
    PeriodicLog log(o, n);
    std::vector<std::uint64_t> skipped(n, 0);
    for (std::uint32_t i = 0; i < n; ++i) {
      JoinHandle<void> h = loop.spawn(ticker(log, boot_ns, skipped[i]), "ticker");
      if (!h) {
        std::fprintf(stderr, "suite_weft: spawning task %u of %u failed: %s\n", i + 1, n,
                     to_string(h.error()));
        return false;
      }
      h.detach();
    }
    Status s = loop.run_for(ms(o.duration_ms));
    if (!s) {
      std::fprintf(stderr, "suite_weft: the loop failed: %s\n", to_string(s.error()));
      return false;
    }
    for (std::uint64_t k : skipped)
      log.skipped += k;
    emit_lateness("weft", n, o, log);
  }
  return true;
}

Task<> event_ponger(Event& ping, Event& pong, std::uint64_t rounds) {
  for (std::uint64_t i = 0; i < rounds; ++i) {
    Status s = co_await ping.wait();
    if (!s) co_return;
    ping.clear();
    pong.set();
  }
}

Task<> event_pinger(Event& ping, Event& pong, std::uint64_t rounds) {
  for (std::uint64_t i = 0; i < rounds; ++i) {
    ping.set();
    Status s = co_await pong.wait();
    if (!s) co_return;
    pong.clear();
  }
}

using Slot = Queue<std::uint64_t, 1>;

Task<> queue_ponger(Slot& ping, Slot& pong, std::uint64_t rounds) {
  for (std::uint64_t i = 0; i < rounds; ++i) {
    Result<std::uint64_t> v = co_await ping.get();
    if (!v) co_return;
    Status s = co_await pong.put(*v);
    if (!s) co_return;
  }
}

Task<> queue_pinger(Slot& ping, Slot& pong, std::uint64_t rounds) {
  for (std::uint64_t i = 0; i < rounds; ++i) {
    Status s = co_await ping.put(i);
    if (!s) co_return;
    Result<std::uint64_t> v = co_await pong.get();
    if (!v) co_return;
  }
}

// ns per hand-off of a ping-pong between `pinger` and `ponger` on a fresh loop, or < 0 (reported).
template <typename Channel>
double handoff_ns(Task<> (*pinger)(Channel&, Channel&, std::uint64_t),
                  Task<> (*ponger)(Channel&, Channel&, std::uint64_t), std::uint64_t rounds) {
  Loop loop(linux_board::linux_clock());
  loop.set_profiling(false);
  loop.set_hog_threshold(0);
  Channel ping, pong;
  JoinHandle<void> h = loop.spawn(ponger(ping, pong, rounds), "ponger");
  if (!h) return -1;
  h.detach();
  std::int64_t start = mono_ns();
  Status s = loop.run_until_complete(pinger(ping, pong, rounds), "pinger");
  std::int64_t elapsed = mono_ns() - start;
  if (!s) {
    std::fprintf(stderr, "suite_weft: hand-off ping-pong failed: %s\n", to_string(s.error()));
    return -1;
  }
  return static_cast<double>(elapsed) / (2.0 * static_cast<double>(rounds));
}

bool weft_handoff(const Options& o) {
  double event = handoff_ns<Event>(event_pinger, event_ponger, o.rounds);
  double queue = handoff_ns<Slot>(queue_pinger, queue_ponger, o.rounds);
  if (event < 0 || queue < 0) return false;
  emit_handoff("weft", "event", event);
  emit_handoff("weft", "queue", queue);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  bool ok = true;
  if (o.mode == "timers") {
    ok = weft_timers(o);
  } else if (o.mode == "handoff") {
    ok = weft_handoff(o);
  } else {
    unsupported(argv[0], o.mode);
  }
  return ok ? 0 : 1;
}
