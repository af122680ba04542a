// suite_floor: the floors the suite's other figures are divided by, where bench/core does not measure them.
//   timers   one thread sleeping with clock_nanosleep(TIMER_ABSTIME) to each deadline of a period (timer
//   slack
//            1 ns): the least lateness the kernel gives a single sleeper. One wake-up serves all N tasks, so
//            one record (tasks=1) is the floor for every N. (bench/core's core_bench measures it at 1 ms.)
//   memory   heap bytes of one coroutine of the hand-written ring (core_bench's switch floor), suspended.
// The switch floor itself (ring of coroutine handles) and the I/O floor (raw epoll ping-pong in C) come from
// core_bench and io_bench.
#include <sys/prctl.h>

#include <coroutine>

#include "ring_coroutine.hpp"
#include "suite_common.hpp"

namespace {

using namespace suite;

// `stamps` lateness records per wake-up: 1 is the floor; N is "floor xN", the least N handlers sharing the
// thread cost (the last of N tasks due at the same instant runs after the N - 1 before it).
void nanosleep_floor(const Options& o, std::uint32_t stamps) {
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);  // as LinuxClock does: no coalescing of our wake-ups
  PeriodicLog log(o, stamps);
  for (std::int64_t due = log.first_due(); !log.over(due);) {
    timespec ts{static_cast<time_t>(due / 1'000'000'000), static_cast<long>(due % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
    for (std::uint32_t k = 1; k < stamps; ++k)
      log.record(due);
    due = log.tick(due);
  }
  emit_lateness(stamps == 1 ? "floor" : "floor xN", stamps, o, log);
}

using weft::bench::RingCoroutine;

RingCoroutine ring_yielder(const bool& finished, std::uint64_t& count) {
  while (!finished) {
    co_await std::suspend_always{};
    ++count;
  }
}

void ring_memory(std::uint32_t tasks) {
  bool finished = false;
  std::uint64_t count = 0;
  std::vector<std::coroutine_handle<>> ring;
  ring.reserve(tasks);
  std::size_t before = heap_in_use();
  for (std::uint32_t i = 0; i < tasks; ++i)
    ring.push_back(ring_yielder(finished, count).handle);
  for (std::coroutine_handle<> h : ring)
    h.resume();
  double per_task = static_cast<double>(heap_in_use() - before) / tasks;
  for (std::coroutine_handle<> h : ring)
    h.destroy();
  emit_memory("floor", per_task, "coroutine frame on the heap (malloc block)");
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  if (o.mode == "timers") {
    for (std::uint32_t n : o.tasks)
      nanosleep_floor(o, n);
  } else if (o.mode == "memory") {
    ring_memory(o.tasks.front());
  } else {
    unsupported(argv[0], o.mode);
  }
  return 0;
}
