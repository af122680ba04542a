// weft on the lx106: instructions per scheduler operation and memory per task, measured on the target.
//
// Instruction counts come from the lx106's ICOUNT debug register (QEMU implements it): exact executed
// instructions, idle time in `waiti` excluded, independent of -icount. Run under `-icount shift=5`
// (run-qemu.sh), the whole program is deterministic: every run prints the same numbers.
// Each figure is measured inside the tasks over many iterations after a warm-up, so spawn and teardown are
// not in it; "per op" divides by the number of operations. See README.md for what each row includes.
#include <cstdint>
#include <cstdio>

#include "core/weft.hpp"
#include "icount.hpp"
#include "lx106_qemu/lx106.hpp"

namespace {

using namespace weft;

using weft::bench::icount;
using weft::bench::start_icount;

struct Span {
  std::uint32_t begin = 0, end = 0;
  std::uint32_t ops = 0;
};

// ---- table ------------------------------------------------------------------------------------------
// Each row that the README's table shows is also printed as "result: <key> <value>" (instructions in tenths,
// bytes as is), which bench/target/write_results.py reads.
void result(const char* key, unsigned long value) {
  if (key == nullptr) return;
  // Built with WEFT_TASK_STATS=0 (lx106_bench_lean), every key ends in "_nostats".
  const char* suffix = WEFT_TASK_STATS ? "" : "_nostats";
  char line[80];
  std::snprintf(line, sizeof line, "result: %s%s %lu\n", key, suffix, value);
  lx106::print(line);
}
void row(const char* what, const Span& s, const char* target, const char* key = nullptr) {
  std::uint32_t total = s.end - s.begin;
  std::uint32_t tenths =
      s.ops != 0 ? static_cast<std::uint32_t>((std::uint64_t{total} * 10 + s.ops / 2) / s.ops) : 0;
  char line[160];
  std::snprintf(line, sizeof line, "| %-58s | %6lu.%lu | %8s |\n", what,
                static_cast<unsigned long>(tenths / 10), static_cast<unsigned long>(tenths % 10), target);
  lx106::print(line);
  result(key, tenths);
}
void row_bytes(const char* what, std::size_t bytes, const char* target, const char* key = nullptr) {
  char line[160];
  std::snprintf(line, sizeof line, "| %-58s | %6lu B  | %8s |\n", what, static_cast<unsigned long>(bytes),
                target);
  lx106::print(line);
  result(key, static_cast<unsigned long>(bytes));
}
void row_count(const char* what, std::size_t n, const char* target, const char* key) {
  char line[160];
  std::snprintf(line, sizeof line, "| %-58s | %8lu | %8s |\n", what, static_cast<unsigned long>(n), target);
  lx106::print(line);
  result(key, static_cast<unsigned long>(n));
}

constexpr int kWarmup = 50;
constexpr int kIters = 2000;

// ---- yield ---------------------------------------------------------------------------------------------
Task<> yielder(Span* s, int n) {
  for (int i = 0; i < n; ++i) {
    if (s != nullptr && i == kWarmup) s->begin = icount();
    if (s != nullptr && i == kWarmup + kIters) s->end = icount();
    co_await yield();
  }
}

Span measure_yield(ClockPort& d, bool profiling, int tasks) {
  Loop loop(d);
  loop.set_profiling(profiling);
  Span s;
  loop.spawn(yielder(&s, kWarmup + kIters + 1), "a");
  for (int i = 1; i < tasks; ++i)
    loop.spawn(yielder(nullptr, kWarmup + kIters + 10), "b");
  (void)loop.run_until(loop.refresh_now() + sec(100));
  s.ops = static_cast<std::uint32_t>(kIters * tasks);  // every task switched once per round
  return s;
}

// ---- floors: what a switch costs without a scheduler, compiled the same way ---------------------------
// A bare ring of C++20 coroutine handles resumed round-robin: GCC's resume/suspend dispatch and nothing else.
struct RingCoro {
  struct promise_type {
    RingCoro get_return_object() { return {std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    [[noreturn]] void unhandled_exception() { __builtin_trap(); }
  };
  std::coroutine_handle<promise_type> h;
};

RingCoro ring_task(Span* s, int n) {
  for (int i = 0; i < n; ++i) {
    if (s != nullptr && i == kWarmup) s->begin = icount();
    if (s != nullptr && i == kWarmup + kIters) s->end = icount();
    co_await std::suspend_always{};
  }
}

Span measure_ring(int tasks) {
  constexpr int kMax = 8;
  std::coroutine_handle<> ring[kMax];
  Span s;
  for (int i = 0; i < tasks; ++i)
    ring[i] = ring_task(i == 0 ? &s : nullptr, kWarmup + kIters + (i == 0 ? 1 : 10)).h;
  while (!ring[0].done()) {
    for (int i = 0; i < tasks; ++i)
      ring[i].resume();
  }
  for (int i = 0; i < tasks; ++i)
    ring[i].destroy();
  s.ops = static_cast<std::uint32_t>(kIters * tasks);
  return s;
}

// A minimal FIFO run queue: the link in the promise, one queue, the yielder pushes itself and the loop pops
// and resumes; no cancellation, no nested tasks, no passes, no stats. What the least scheduler costs.
struct FifoCoro {
  struct promise_type {
    promise_type* next = nullptr;
    FifoCoro get_return_object() { return {std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    [[noreturn]] void unhandled_exception() { __builtin_trap(); }
  };
  std::coroutine_handle<promise_type> h;
};
struct FifoQueue {
  FifoCoro::promise_type* head = nullptr;
  FifoCoro::promise_type** tail = &head;
  void push(FifoCoro::promise_type& p) {
    p.next = nullptr;
    *tail = &p;
    tail = &p.next;
  }
};
FifoQueue g_fifo;
struct FifoYield {
  [[nodiscard]] bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<FifoCoro::promise_type> h) noexcept { g_fifo.push(h.promise()); }
  void await_resume() const noexcept {}
};

FifoCoro fifo_task(Span* s, int n) {
  for (int i = 0; i < n; ++i) {
    if (s != nullptr && i == kWarmup) s->begin = icount();
    if (s != nullptr && i == kWarmup + kIters) s->end = icount();
    co_await FifoYield{};
  }
}

Span measure_fifo(int tasks) {
  constexpr int kMax = 8;
  std::coroutine_handle<FifoCoro::promise_type> all[kMax];
  Span s;
  for (int i = 0; i < tasks; ++i) {
    all[i] = fifo_task(i == 0 ? &s : nullptr, kWarmup + kIters + (i == 0 ? 1 : 10)).h;
    g_fifo.push(all[i].promise());
  }
  while (FifoCoro::promise_type* p = g_fifo.head) {
    g_fifo.head = p->next;
    if (g_fifo.head == nullptr) g_fifo.tail = &g_fifo.head;
    std::coroutine_handle<FifoCoro::promise_type>::from_promise(*p).resume();
  }
  for (int i = 0; i < tasks; ++i)
    all[i].destroy();
  s.ops = static_cast<std::uint32_t>(kIters * tasks);
  return s;
}

// A hand-written state machine per task (switch on a resume point), run round-robin: the AceRoutine style.
struct StateMachine {
  Span* s = nullptr;
  int n = 0;
  int i = 0;
  int state = 0;
  // One step; false once finished. noinline: a scheduler calls many such tasks through one call site.
  [[gnu::noinline]] bool step() {
    switch (state) {
      case 0:
        for (i = 0; i < n; ++i) {
          if (s != nullptr && i == kWarmup) s->begin = icount();
          if (s != nullptr && i == kWarmup + kIters) s->end = icount();
          state = 1;
          return true;
          case 1:;
        }
        state = 2;
        [[fallthrough]];
      default:
        return false;
    }
  }
};

Span measure_state_machine(int tasks) {
  constexpr int kMax = 8;
  StateMachine sm[kMax];
  Span s;
  for (int i = 0; i < tasks; ++i) {
    sm[i].s = i == 0 ? &s : nullptr;
    sm[i].n = kWarmup + kIters + (i == 0 ? 1 : 10);
  }
  bool running = true;
  while (running) {
    for (int i = 0; i < tasks; ++i)
      running = sm[i].step() && running;
    running = sm[0].state != 2;
  }
  s.ops = static_cast<std::uint32_t>(kIters * tasks);
  return s;
}

// ---- timers ------------------------------------------------------------------------------------------
Task<> sleeper(Span* s, int n, Micros d) {
  for (int i = 0; i < n; ++i) {
    if (i == kWarmup) s->begin = icount();
    if (i == kWarmup + kIters) s->end = icount();
    co_await sleep_us(d);
  }
}

Span measure_sleep(ClockPort& d, bool profiling) {
  Loop loop(d);
  loop.set_profiling(profiling);
  Span s;
  loop.spawn(sleeper(&s, kWarmup + kIters + 1, 100), "sleeper");
  (void)loop.run_until(loop.refresh_now() + sec(10));
  s.ops = kIters;
  return s;
}

Span measure_timer_callback(ClockPort& d) {
  Loop loop(d);
  loop.set_profiling(false);
  struct State {
    Span s;
    int fired = 0;
  } st;
  Timer t{[&st] {
            if (st.fired == kWarmup) st.s.begin = icount();
            if (st.fired == kWarmup + kIters) st.s.end = icount();
            ++st.fired;
          },
          loop};
  (void)t.start_every(100);
  (void)loop.run_until(loop.refresh_now() + Micros{100} * (kWarmup + kIters + 5));
  st.s.ops = kIters;
  return st.s;
}

// ---- Event ---------------------------------------------------------------------------------------------
Task<> event_ping(Event& mine, Event& theirs, Span* s, int n) {
  for (int i = 0; i < n; ++i) {
    if (s != nullptr && i == kWarmup) s->begin = icount();
    if (s != nullptr && i == kWarmup + kIters) s->end = icount();
    theirs.set();
    co_await mine.wait();
    mine.clear();
  }
}

Span measure_event(ClockPort& d) {
  Loop loop(d);
  loop.set_profiling(false);
  Event a, b;
  Span s;
  loop.spawn(event_ping(a, b, &s, kWarmup + kIters + 1), "ping");
  loop.spawn(event_ping(b, a, nullptr, kWarmup + kIters + 10), "pong");
  (void)loop.run_until(loop.refresh_now() + sec(100));
  s.ops = 2 * kIters;  // each round trip is two set -> wake -> run hand-offs
  return s;
}

// ---- Queue ---------------------------------------------------------------------------------------------
Task<> producer(Queue<int, 4>& q, int n) {
  for (int i = 0; i < n; ++i)
    (void)co_await q.put(i);
}
Task<> consumer(Queue<int, 4>& q, Span* s, int n) {
  for (int i = 0; i < n; ++i) {
    if (i == kWarmup) s->begin = icount();
    if (i == kWarmup + kIters) s->end = icount();
    (void)co_await q.get();
  }
}

Span measure_queue(ClockPort& d) {
  Loop loop(d);
  loop.set_profiling(false);
  Queue<int, 4> q;
  Span s;
  loop.spawn(consumer(q, &s, kWarmup + kIters + 1), "consumer");
  loop.spawn(producer(q, kWarmup + kIters + 10), "producer");
  (void)loop.run_until(loop.refresh_now() + sec(100));
  s.ops = kIters;
  return s;
}

// ---- spawn ---------------------------------------------------------------------------------------------
Task<> trivial() {
  co_return;
}

Span measure_spawn(ClockPort& d) {
  Loop loop(d);
  loop.set_profiling(false);
  Span s;
  for (int round = 0; round < 2; ++round) {  // round 0 warms the arena's free lists
    if (round == 1) s.begin = icount();
    for (int i = 0; i < 50; ++i)
      loop.spawn(trivial(), "t").detach();
    (void)loop.run_until(loop.refresh_now() + 1);
  }
  s.end = icount();
  s.ops = 50;
  return s;
}

// ---- board primitives --------------------------------------------------------------------------------
Span measure_now() {
  ClockPort& d = default_clock_port();
  Span s;
  s.begin = icount();
  for (int i = 0; i < kIters; ++i)
    (void)d.now();
  s.end = icount();
  s.ops = kIters;
  return s;
}

Span measure_idle_wake() {
  ClockPort& d = default_clock_port();
  Span s;
  s.begin = icount();
  for (int i = 0; i < 200; ++i)
    d.wait_until(d.now() + 50);
  s.end = icount();
  s.ops = 200;
  return s;
}

// ---- stack use of synchronous awaits (task.hpp's symmetric transfer) -----------------------------------
extern "C" char __heap_end[];
std::uint32_t* paint_low() {
  return reinterpret_cast<std::uint32_t*>(__heap_end) + 32;
}  // above the guard
void paint_stack() {
  std::uint32_t here;
  asm volatile("mov %0, a1" : "=a"(here));
  for (auto* p = paint_low(); reinterpret_cast<std::uint32_t>(p) < here - 256; ++p)
    *p = 0xA5A5A5A5u;
}
std::uint32_t lowest_touched() {
  auto* p = paint_low();
  while (*p == 0xA5A5A5A5u)
    ++p;
  return reinterpret_cast<std::uint32_t>(p);
}
Task<int> leaf(int v) {
  co_return v;
}
Task<int> sync_chain(int n) {
  int sum = 0;
  for (int i = 0; i < n; ++i)
    sum += *co_await leaf(i);
  co_return sum;
}
std::uint32_t stack_low_after_chain(int n) {
  VirtualClock vd;
  Loop loop(vd);
  paint_stack();
  (void)loop.run_until_complete(sync_chain(n));
  return lowest_touched();
}

// ---- memory per task -------------------------------------------------------------------------------
Task<> parked(Event& e) {
  co_await e.wait();
}

}  // namespace

int main() {
  lx106::set_hog_limit(0);  // no watchdog tick inside the measurements
  start_icount();
  VirtualClock vd;
  ClockPort& board = default_clock_port();

  lx106::print("\nweft on the lx106 (QEMU -M sim -cpu lx106, -icount shift=5): instructions per operation\n");
  lx106::print(
      "(exact executed instructions from ICOUNT; profiling = per-slice timing, the Loop default)\n\n");
  lx106::print("| operation                                                  | instr/op | target   |\n");
  lx106::print("|------------------------------------------------------------|----------|----------|\n");
  // First, while the arena is fresh (it never coalesces: see README.md).
  std::uint32_t low10 = stack_low_after_chain(10);
  std::uint32_t low20 = stack_low_after_chain(20);
  std::uint32_t per_await = low10 > low20 ? (low10 - low20) / 10 : 0;

  row("floor: ring of coroutine handles, 8 tasks", measure_ring(8), "", "ring_yield8");
  row("floor: switch-based state machines, 8 tasks", measure_state_machine(8), "", "sm_yield8");
  row("floor: minimal FIFO run queue of coroutines, 8 tasks", measure_fifo(8), "", "fifo_yield8");
  row("yield switch, 2 tasks, profiling off", measure_yield(vd, false, 2), "<= 45");
  row("yield switch, 8 tasks, profiling off", measure_yield(vd, false, 8), "<= 45", "yield8_off");
  row("yield switch, 8 tasks, default config, board clock", measure_yield(board, true, 8), "<= 54",
      "yield8_default");
  row("yield switch, 2 tasks, profiling on, board clock", measure_yield(board, true, 2), "");
  row("sleep_us: timer arm+fire+resume, virtual clock", measure_sleep(vd, false), "<= 150", "sleep");
  row("sleep_us: same on the board clock (CCOMPARE0, waiti, ISR)", measure_sleep(board, false), "");
  row("Timer::start_every callback: fire + re-arm, virtual clock", measure_timer_callback(vd), "");
  row("Event set -> waiter woken and running (one hand-off)", measure_event(vd), "<= 60", "event");
  row("Queue<int,4> put -> get (per item, producer/consumer)", measure_queue(vd), "<= 80", "queue");
  row("spawn + run + free a trivial task", measure_spawn(vd), "");
  row("board: CcountClock::now()", measure_now(), "");
  row("board: idle wait_until + CCOMPARE0 wake (50 us)", measure_idle_wake(), "");

  // Memory per task, for a task parked on an Event: its arena blocks and bytes from creation through spawn.
  // The header is built in room the frame's block was allocated with (task_header.hpp), so the bytes a task
  // costs beyond its coroutine frame are that room, kTaskPrefix (the frame's block request is n + kTaskPrefix).
  ArenaStats a0 = FrameArena::current().stats();
  Event e;
  Task<> t = parked(e);
  ArenaStats a1 = FrameArena::current().stats();
  {
    Loop loop(vd);
    auto h = loop.spawn(std::move(t), "parked");
    ArenaStats a2 = FrameArena::current().stats();
    lx106::print("\n| memory                                                     | bytes    | target   |\n");
    lx106::print("|------------------------------------------------------------|----------|----------|\n");
    row_bytes("per task beyond its frame: header room (kTaskPrefix)", kTaskPrefix, "<= 24", "header_bytes");
    row_count("  arena blocks per spawned task (creation + spawn)", a2.live_blocks - a0.live_blocks, "1",
              "blocks_per_task");
    row_bytes("  arena bytes the spawn itself allocated", a2.in_use - a1.in_use, "0");
    row_bytes("  sizeof(TaskHeader)", sizeof(TaskHeader), "");
    row_bytes("`co_await e.wait()` task: its arena block (frame + header)", a2.in_use - a0.in_use, "");
    row_bytes("sizeof(Loop)", sizeof(Loop), "");
    row_bytes("sizeof(Event)", sizeof(Event), "");
    row_bytes("sizeof(Queue<int, 4>)", sizeof(Queue<int, 4>), "");
    row_bytes("sizeof(Timer)", sizeof(Timer), "");
    row_bytes("sizeof(WaitNode) (in every waiting frame)", sizeof(WaitNode), "");
    row_bytes("sizeof(SleepAwaiter) (in every sleeping frame)", sizeof(SleepAwaiter), "");
    row_bytes("frame arena (WEFT_FRAME_ARENA_BYTES, static)", FrameArena::current().stats().capacity, "");
    row_bytes("stack per synchronously completing co_await (no tail call)", per_await, "0");
    e.set();
    (void)loop.run_until(1);
    (void)h;
  }
  lx106::print("\nbench: done\n");
  return 0;
}
