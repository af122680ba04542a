// Loop: the single-threaded cooperative scheduler (uasyncio's event loop, for C++20 coroutines).
//
//   weft::Loop loop;                       // the board's clock port and I/O poller (real clock on Linux and
//                                          // the chip)
//   loop.spawn(blink(led), "blink");       // register tasks...
//   loop.run_forever();                    // ...then run them; nothing ever blocks the loop
//
// One pass of the loop:
//   1. collect the ThreadSafeFlags set since the last pass (interrupts, signals, threads)
//   2. timers armed: read the clock (ClockPort::now) unless step 5 just did, expire the due timers (their
//      tasks join the ready queue)
//   3. run every task that was ready at this point, in FIFO order; a task woken while they run waits for the
//      next pass (fairness: a task that yields in a loop cannot starve the others)
// Then, between passes:
//   4. tasks still ready (busy): straight to the next pass; once kPollEverySwitches switches have run since
//      the last look, ask the I/O poller, if there is one: poll_events() when has_pending_io(), and read the
//      clock under a run_until deadline
//   5. nothing ready: idle in ClockPort::wait_until(next timer deadline, or run_until's) until it or an event
//      (a virtual clock jumps there), then read the clock. Nothing to wait for on a virtual clock (no
//      deadline, no I/O poller or none pending): Errc::deadlock
// Clock reads: when run_* starts, in steps 2 and 5, in step 4 under a run_until deadline or while profiling
// still learns the cycle counter's rate, under a run_until deadline before the loop would idle, and when a
// task sets a deadline while no timer is armed (now_for_deadline); never per task
// switch, except that per-task profiling (on by default, set_profiling; compiled out with WEFT_TASK_STATS=0)
// times each slice: with the CPU's cycle counter, or with now() under a virtual clock or on a CPU without one
// (slice_clock.hpp).
//
// Cost: spawn O(1); yield / wake O(1); timers O(log n) (timer_heap.hpp). No allocation after spawn.
// Thread safety: one thread drives a loop; only ThreadSafeFlag::set() and ClockPort::wake() may be called
// from elsewhere (interrupts, signals, other threads).
#pragma once
#include <atomic>
#include <concepts>
#include <coroutine>
#include <cstdint>

#include "clock_port.hpp"
#include "errc.hpp"
#include "io_poller.hpp"
#include "join_handle.hpp"
#include "result.hpp"
#include "slice_clock.hpp"
#include "task.hpp"
#include "task_header.hpp"
#include "timer_heap.hpp"
#include "wait_node.hpp"

#ifndef WEFT_THREAD_LOCAL
#define WEFT_THREAD_LOCAL thread_local
#endif

namespace weft {

class ThreadSafeFlag;

struct LoopStats {
  std::uint64_t passes = 0;
  std::uint64_t switches = 0;  // tasks run from the ready queue (resumptions, and the rare reap)
  std::uint64_t timers_fired = 0;
  Micros max_lag_us = 0;  // worst lateness of a timer pass (clock read after a deadline)
  std::uint32_t live_tasks = 0;
  std::uint32_t hog_warnings = 0;  // slices longer than the hog threshold
  std::uint32_t idle_waits = 0;    // times the loop idled in ClockPort::wait_until
};

class Loop {
 public:
  Loop();  // the board's default_clock_port() and default_io_poller()
  // `io`: the board's I/O poller, or nullptr for a board (or test) that tracks no I/O.
  explicit Loop(ClockPort& clock, IoPoller* io = nullptr);
  // A board object that is both its clock and its poller (LinuxClock, SimClock, NonosClock).
  template <typename Port>
  requires std::derived_from<Port, ClockPort> && std::derived_from<Port, IoPoller>
  explicit Loop(Port& port) : Loop(static_cast<ClockPort&>(port), static_cast<IoPoller*>(&port)) {}
  ~Loop();  // ends every live task: its frames are destroyed (cancelled)
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // Schedules `task` to start in the next pass (uasyncio's create_task). The handle queries, cancels and
  // joins it; dropping the handle detaches the task (it still runs, and frees itself when done).
  // The task's header is built in the room its frame was allocated with (task_header.hpp): spawn allocates
  // nothing, and a spawned task is one arena block.
  // Errors (in the handle): Errc::no_memory (the arena was full when the task was created), Errc::loop_stopped
  // (stop() was called). Both are also logged.
  template <typename T>
  JoinHandle<T> spawn(Task<T> task, const char* name = "task") {
    Errc e = Errc::ok;
    TaskHeader* h = adopt(task.handle(), name, e);
    if (h == nullptr) return JoinHandle<T>(e);
    (void)task.release();  // the loop and the handle own it now
    return JoinHandle<T>(this, h);
  }

  // Runs until stop() is called. Errc::deadlock under a virtual clock when every task waits on something
  // that can never happen; Errc::loop_stopped if the loop was already stopped.
  Status run_forever();
  // Runs `task` (and everything else) until it finishes; returns its result.
  // Errors: those of spawn, Errc::deadlock (virtual clock, nothing can wake it), Errc::loop_stopped.
  template <typename T>
  AwaitResult<T> run_until_complete(Task<T> task, const char* name = "main") {
    JoinHandle<T> h = spawn(std::move(task), name);
    if (!h) return h.error();
    Errc e = run([](void* p) { return !static_cast<JoinHandle<T>*>(p)->done(); }, &h, kForever, false);
    if (e != Errc::ok && !h.done()) return e;
    return h.take_result();
  }
  // One pass without idling: runs what is ready and what is due, then returns. For embedding weft in a
  // foreign main loop (an Arduino-style loop() { loop.poll(); }) and for stepping tests.
  Status poll();
  // Runs until now() >= deadline (or stop()), including what is due at the deadline itself: handy for
  // simulations and tests. While tasks keep the loop busy with no timer armed, the clock is read every
  // kPollEverySwitches switches, so the loop may overrun the deadline by that many switches.
  Status run_until(Micros deadline);
  Status run_for(Micros duration) { return run_until(deadline_after(now(), duration)); }

  // Makes run_* return after the current pass; the loop is then stopped for good: spawn and run fail with
  // Errc::loop_stopped, and the destructor ends the remaining tasks.
  void stop() { stopping_ = true; }
  [[nodiscard]] bool stopped() const { return stopped_; }

  // The loop's time: read from the clock port once per pass with timers armed (and at start). Cheap.
  [[nodiscard]] Micros now() const { return now_; }
  // Reads the clock now and caches it (use when a task needs the exact current time).
  [[gnu::always_inline]] Micros refresh_now() { return now_ = clock_.now(); }
  // The time a new deadline counts from: now() while timers are armed (every pass then reads the clock, so
  // it is this pass's), else a fresh read (a loop without timers may have idled since its last read).
  Micros now_for_deadline() { return timers_.empty() ? refresh_now() : now_; }
  [[nodiscard]] ClockPort& clock() { return clock_; }
  [[nodiscard]] IoPoller* io_poller() { return io_; }

  // Observability.
  [[nodiscard]] LoopStats stats() const {
    LoopStats s = stats_;
    s.passes += unfolded_passes_;
    s.switches += unfolded_switches_;
    return s;
  }
  // A task's runs and slice times (zero with WEFT_TASK_STATS=0). Converts ticks to microseconds: O(1).
  [[nodiscard]] TaskStats task_stats(const TaskHeader& t) const;
  // Calls fn(header) for every live task (name, flags; task_stats(header) for its figures).
  template <typename F>
  void for_each_task(F&& fn) const {
    for (TaskHeader* t = all_; t != nullptr; t = t->all_next())
      fn(static_cast<const TaskHeader&>(*t));
  }
  // Times every slice (one cycle-counter read per switch) for per-task total/max slice and the hog warning.
  // On by default; turn off for the last instructions per switch. No effect with WEFT_TASK_STATS=0.
  void set_profiling(bool on) { profiling_ = on; }
  // A slice longer than this logs a warning naming the task (default 3 ms; 0 disables). No effect with
  // WEFT_TASK_STATS=0.
  void set_hog_threshold([[maybe_unused]] Micros t) {
#if WEFT_TASK_STATS
    slice_clock_.set_hog_threshold(t);
#endif
  }
  // Logs one line per live task (name, runs, total and max slice) and the loop's figures.
  void log_stats() const;

  // The loop driving this thread (the most recently constructed or running one).
  [[nodiscard]] [[gnu::always_inline]] static Loop& current() {
    if (current_loop_ == nullptr) [[unlikely]]
      no_loop();
    return *current_loop_;
  }
  [[nodiscard]] static Loop* current_or_null() {
    return current_loop_;
  }

  // --- For awaitables and boards (the building blocks of every primitive) ---
  // The task being run, or nullptr outside a task (timer callbacks, board I/O).
  [[nodiscard]] TaskHeader* current_task() const {
    return current_;
  }
  // Called by an awaiter's await_suspend(h) before it links `node`: records that the running task waits in
  // `node` and will resume `h`. Returns false when the task must not suspend: it was cancelled, and the
  // await returns node.result() == Errc::cancelled right away. (A cancelled task that suspends anyway after
  // that is reaped: the loop destroys its frames.)
  [[nodiscard]] [[gnu::always_inline]] bool begin_wait(std::coroutine_handle<> h, WaitNode& node) {
    TaskHeader* t = current_;
    if (t == nullptr || t->has(TaskHeader::kCancelRequested)) [[unlikely]]
      return refuse_wait(h, node);
    node.task = t;
    node.result_ = Errc::ok;
    t->waiting = &node;
    t->resume_point = h;
    return true;
  }
  // The yield path of begin_wait: the running task keeps its place in the ready list, which puts it behind
  // every task that was ready before it and every task woken during its slice (run_batch). Touches no queue.
  // False when it was cancelled and must not suspend (YieldAwaiter::await_resume then reports
  // Errc::cancelled); a task that yields again after seeing its cancellation suspends to be reaped.
  [[gnu::always_inline]] static bool begin_yield(std::coroutine_handle<> h, TaskHeader& t) {
    t.resume_point = h;
    if (t.has(TaskHeader::kCancelRequested)) [[unlikely]]
      return yield_slow(t);
    return true;
  }
  // Queues `t` to run in the next pass (no-op if it is already queued, running, or finished): outside a pass
  // at the end of the ready list; during a pass just before the running task (run_batch).
  [[gnu::always_inline]] void make_ready(TaskHeader& t) {
    if (t.queued() || t.has(TaskHeader::kDone)) return;
    push_ready(t);
  }
  // Requests cancellation of `t` (see TaskHeader). No-op for a finished task.
  void cancel(TaskHeader& t);
  [[nodiscard]] TimerHeap& timers() {
    return timers_;
  }

  // For gather/race: runs the Task frame `root` as a child task; `joiner` fires when it ends. The caller owns
  // the header (built in front of the frame) and lets go of it with TaskHeader::release_finished once it
  // has ended.
  TaskHeader& start_child(std::coroutine_handle<> root, const char* name, WaitNode& joiner);
  // Ends a child immediately (destroys its frames) without firing its joiner: the owner is going away.
  void kill_child(TaskHeader& h);

  // ThreadSafeFlag registration (thread_safe_flag.hpp).
  void attach(ThreadSafeFlag& f);
  void detach(ThreadSafeFlag& f);
  void signal_from_anywhere() {
    flags_pending_.store(true, std::memory_order_release);
    clock_.wake();
  }

 private:
  template <typename T>
  friend class JoinHandle;
  friend void detail::on_root_final() noexcept;
  friend class WaitNode;  // fire_inline queues its task with push_ready

  [[noreturn, gnu::cold]] static void no_loop();
  static bool yield_slow(TaskHeader& t);
  // Inserts `t` at ready_tail_ (a link: ready_head_ or a task's next): no branch for the empty list.
  [[gnu::always_inline]] void push_ready(TaskHeader& t) {
    t.next = *ready_tail_;
    *ready_tail_ = &t;
    ready_tail_ = &t.next;
  }
  // The `next` of the last task of the ready list: not a task, never dereferenced; non-null, so
  // `next != nullptr` says "in the ready list" for every task in it, the last one too.
  [[gnu::always_inline]] static TaskHeader* queue_end() {
    return reinterpret_cast<TaskHeader*>(std::uintptr_t{alignof(TaskHeader)});  // NOLINT: a mark, not a task
  }
  [[nodiscard]] bool has_ready() const {
    return ready_head_ != queue_end();
  }
  bool refuse_wait(std::coroutine_handle<> h, WaitNode& node);  // begin_wait outside a task or cancelled
  TaskHeader* adopt(std::coroutine_handle<> root, const char* name, Errc& error);
  TaskHeader& start(std::coroutine_handle<> root, const char* name);
  void link(TaskHeader& t);
  void unlink(TaskHeader& t);
  void finish(TaskHeader& t, Errc outcome);
  void reap(TaskHeader& t);
  void remove_from_ready(TaskHeader& t);
  void forget_ready_queue();  // teardown: empties the ready queue without running anyone
  void run_batch();
#if WEFT_TASK_STATS
  void resume_profiled(TaskHeader& t);
  void hog(TaskHeader& t, Ticks slice);
#endif
  void end_slice(TaskHeader& t);  // the task finished or must be reaped
  void collect_flags();
  // The loop read the clock: profiling learns the cycle counter's rate from it (slice_clock.hpp).
  [[gnu::always_inline]] void saw_clock([[maybe_unused]] Micros now) {
#if WEFT_TASK_STATS
    slice_clock_.saw_clock(now);
#endif
  }
  // Runs passes while keep_going(ctx) (nullptr: always) and now < stop_at (one pass if `once`), idling
  // between them.
  Errc run(bool (*keep_going)(void*), void* ctx, Micros stop_at, bool once);
  void step();  // one pass: flags, due timers, the ready batch
  // Between busy passes, every kPollEverySwitches switches: folds the counters, polls pending I/O, reads the
  // clock if `read_clock` (a run_until deadline) or profiling still learns the cycle counter's rate.
  void checkpoint(bool read_clock);
  Errc idle(Micros stop_at);  // waits in the clock port until the next deadline, stop_at, or an event

  static constinit WEFT_THREAD_LOCAL Loop* current_loop_;  // constinit: no TLS init wrapper per access
  // `waiting` of a task that never ran: a wait that never fires, so every path that cancels or unlinks a
  // task's wait does nothing to it (task_header.hpp).
  static WaitNode unstarted_;
  ClockPort& clock_;
  IoPoller* io_;           // nullptr: the board tracks no I/O
  Loop* outer_ = nullptr;  // the loop that was current before this one
  // The ready list: the tasks of the next pass in FIFO order; during a pass, the tasks of this pass not yet run
  // follow the running task, which keeps its place until its slice ends (run_batch).
  TaskHeader* ready_head_ = queue_end();
  // Where make_ready inserts: outside a pass the link holding queue_end() (the last task's next, or
  // &ready_head_); during a pass the link holding the running task.
  TaskHeader** ready_tail_ = &ready_head_;
  TaskHeader* all_ = nullptr;
  TaskHeader* current_ = nullptr;
  ThreadSafeFlag* flags_ = nullptr;
  std::atomic<bool> flags_pending_{false};
  TimerHeap timers_;
  Micros now_ = 0;
  // Passes and switches since they were last added to stats_ (32-bit adds on the hot path; folded every
  // kPollEverySwitches switches while busy, and by idle() from kFoldAt on, so they never wrap).
  static constexpr std::uint32_t kFoldAt = 1u << 30;
  std::uint32_t unfolded_passes_ = 0;
  std::uint32_t unfolded_switches_ = 0;
  void fold_counters() {
    stats_.passes += unfolded_passes_;
    stats_.switches += unfolded_switches_;
    now_pass_ = kNoPass;  // folds happen between passes and before idle()'s read: no read is skipped wrongly
    unfolded_passes_ = unfolded_switches_ = 0;
  }
  // The pass (unfolded_passes_ numbering) whose start now_ was read for: after idle()'s read (or run's first),
  // step() reads no clock. kNoPass: none.
  static constexpr std::uint32_t kNoPass = ~0u;
  std::uint32_t now_pass_ = kNoPass;
  [[gnu::always_inline]] void read_clock_for_pass(std::uint32_t pass) {
    now_ = clock_.now();
    saw_clock(now_);
    now_pass_ = pass;
  }
  void fire_timers(TimerNode& first);
#if WEFT_TASK_STATS
  SliceClock slice_clock_{clock_};
  Ticks slice_start_ = 0;  // profiling: when the running slice began
#endif
  bool profiling_ = WEFT_TASK_STATS != 0;
  bool stopping_ = false;
  bool stopped_ = false;
  LoopStats stats_;
};

[[gnu::always_inline]] inline void WaitNode::fire_inline(Errc r) {
  TaskHeader* t = task;
  if (t == nullptr) return;  // already fired (first result wins)
  task = nullptr;
  result_ = r;
  if (notify_ != nullptr) [[unlikely]] {
    if (t->waiting == this) t->waiting = nullptr;
    notify_(*this);
    return;
  }
  Loop& loop = Loop::current();
  if (t->waiting != this) {
    loop.make_ready(*t);
    return;
  }
  // The task waits here, so it has not finished; it is still in the ready list only if this fires during
  // the slice that began the wait (a synchronous completion).
  t->waiting = nullptr;
  if (!t->queued()) loop.push_ready(*t);
}

// The running task yields: it runs again in the next pass, after the tasks that were ready before it and those
// woken during its slice (it keeps its place in the ready list: no queue operation, no timer). Returns
// Errc::cancelled when the task was cancelled (then it does not wait, or a cancellation requested while it
// was queued is delivered as it resumes: a yield has nothing to lose).
struct YieldAwaiter {
  // The yielding task: set by await_suspend, which always runs before await_resume. Left unset before (no store
  // in the coroutine frame per yield); a move (before the await, e.g. inside another awaiter) copies nothing.
  TaskHeader* task;
  YieldAwaiter() {}                         // NOLINT(modernize-use-equals-default): leaves `task` unset
  YieldAwaiter(YieldAwaiter&&) noexcept {}  // NOLINT(modernize-use-equals-default): idem
  [[nodiscard]] bool await_ready() const noexcept { return false; }
  [[gnu::always_inline]] bool await_suspend(std::coroutine_handle<> h) {
    task = Loop::current().current_task();
    return Loop::begin_yield(h, *task);
  }
  [[gnu::always_inline]] Status await_resume() {
    // A task resumed with a cancellation requested has not seen it yet: one it had seen ends in a reap.
    if (task->has(TaskHeader::kCancelRequested)) [[unlikely]] {
      task->set(TaskHeader::kCancelDelivered);
      return Errc::cancelled;
    }
    return Status{};
  }
};
[[nodiscard]] inline YieldAwaiter yield() {
  return {};
}

}  // namespace weft

#include "join_handle_impl.hpp"  // IWYU pragma: keep
