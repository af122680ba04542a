#include "loop.hpp"

#include <limits>
#include <new>

#include "iram.hpp"
#include "log.hpp"
#include "thread_safe_flag.hpp"

namespace weft {
constinit WEFT_THREAD_LOCAL Loop* Loop::current_loop_ = nullptr;
constinit WaitNode Loop::unstarted_;

// --- WaitNode ---------------------------------------------------------------------------------------------

void WaitNode::fire(Errc r) {
  fire_inline(r);
}

void WaitNode::detach() {
  if (linked) unlink_now();
  if (task != nullptr && task->waiting == this) task->waiting = nullptr;
  task = nullptr;
}

// --- Loop -------------------------------------------------------------------------------------------------

Loop::Loop() : Loop(default_clock_port(), default_io_poller()) {}

Loop::Loop(ClockPort& clock, IoPoller* io) : clock_(clock), io_(io), outer_(current_loop_) {
  current_loop_ = this;
  now_ = clock_.now();
}

Loop::~Loop() {
  // End every live task: destroying its outermost frame destroys every nested frame and unlinks every waiter.
  // Linear: the ready queue is forgotten before each reap (every live task is reaped anyway), so no reap scans
  // it; a task woken by a dying one is queued again and forgotten at the next step.
  while (all_ != nullptr) {
    forget_ready_queue();
    reap(*all_);
  }
  while (flags_ != nullptr)
    detach(*flags_);
  if (current_loop_ == this) current_loop_ = outer_;
}

void Loop::no_loop() {
  log_message(LogLevel::error, "no weft::Loop exists: construct one before using awaitables");
  __builtin_trap();
}

bool Loop::yield_slow(TaskHeader& t) {
  if (!t.has(TaskHeader::kCancelDelivered)) return false;  // no suspension: await_resume reports it
  t.set(TaskHeader::kEndSlice);  // yielding again after seeing the cancellation: unwind it ourselves (reap)
  return true;
}

TaskHeader* Loop::adopt(std::coroutine_handle<> root, const char* name, Errc& error) {
  if (stopped_ || stopping_) {
    error = Errc::loop_stopped;
    log_message(LogLevel::error, "spawn \"%s\": %s", name, to_string(error));
    return nullptr;  // the caller's Task still owns (and frees) the frame
  }
  if (!root) {
    error = Errc::no_memory;
    log_message(LogLevel::error, "spawn \"%s\": %s", name, to_string(error));
    return nullptr;
  }
  return &start(root, name);
}

// Builds the header in the room in front of the frame (task_header.hpp) and queues the task. Its owner (the
// JoinHandle, or gather/race) holds it from here on.
TaskHeader& Loop::start(std::coroutine_handle<> root, [[maybe_unused]] const char* name) {
  auto* t = new (&TaskHeader::of(root)) TaskHeader;
  t->resume_point = root;
#if WEFT_TASK_STATS
  t->name = name;
#endif
  t->waiting = &unstarted_;
  link(*t);
  t->set(TaskHeader::kHandleAlive);
  make_ready(*t);
  return *t;
}

TaskHeader& Loop::start_child(std::coroutine_handle<> root, const char* name, WaitNode& joiner) {
  TaskHeader& t = start(root, name);  // the group holds it until release_finished
  t.joiner = &joiner;
  joiner.task = current_;  // pending: counted by the owner's notify hook, not a wait of the task itself
  joiner.linked = true;
  return t;
}

void Loop::kill_child(TaskHeader& t) {
  if (t.has(TaskHeader::kDone)) return;
  if (t.joiner != nullptr) {
    t.joiner->linked = false;
    t.joiner->task = nullptr;
    t.joiner = nullptr;
  }
  reap(t);
}

void Loop::link(TaskHeader& t) {  // a new header: no flags yet
  t.all_prev_bits = 0;
  t.all_next_bits = reinterpret_cast<std::uintptr_t>(all_);
  if (all_ != nullptr) all_->set_all_prev(&t);
  all_ = &t;
  ++stats_.live_tasks;
}

void Loop::unlink(TaskHeader& t) {
  TaskHeader* prev = t.all_prev();
  TaskHeader* next = t.all_next();
  if (prev != nullptr)
    prev->set_all_next(next);
  else
    all_ = next;
  if (next != nullptr) next->set_all_prev(prev);
  --stats_.live_tasks;  // t's links are stale from here on: nothing walks to it any more
}

// O(queued tasks), for reaps of queued tasks. Never the running task (the walk unlinks it): mid-pass,
// ready_tail_ moves only when `t` is the task just before the running one.
void Loop::remove_from_ready(TaskHeader& t) {
  if (!t.queued()) return;
  for (TaskHeader** link = &ready_head_; *link != queue_end(); link = &(*link)->next) {
    if (*link != &t) continue;
    *link = t.next;
    if (ready_tail_ == &t.next) ready_tail_ = link;
    break;
  }
  t.next = nullptr;
}

void Loop::forget_ready_queue() {
  for (TaskHeader* t = std::exchange(ready_head_, queue_end()); t != queue_end();)
    t = std::exchange(t->next, nullptr);
  ready_tail_ = &ready_head_;
}

bool Loop::refuse_wait(std::coroutine_handle<> h, WaitNode& node) {
  TaskHeader* t = current_;
  if (t == nullptr) {
    log_message(LogLevel::error, "an awaitable was awaited outside a task (spawn the coroutine on a Loop)");
    __builtin_trap();
  }
  if (!t->has(TaskHeader::kCancelDelivered)) {
    t->set(TaskHeader::kCancelDelivered);
    node.result_ = Errc::cancelled;
    return false;  // resume at once: this await returns Errc::cancelled
  }
  t->set(TaskHeader::kEndSlice);  // awaited again after seeing the cancellation: unwind it ourselves (reap)
  t->resume_point = h;
  return true;
}

void Loop::cancel(TaskHeader& t) {
  if (t.has(TaskHeader::kDone) || t.has(TaskHeader::kCancelRequested)) return;
  t.set(TaskHeader::kCancelRequested);
  if (t.waiting == &unstarted_) {
    // Never ran: end it without running it. Its turn resumes nothing, and the slice's end reaps it.
    t.set(TaskHeader::kEndSlice);
    t.resume_point = std::noop_coroutine();
    make_ready(t);
    return;
  }
  if (WaitNode* w = t.waiting) {
    t.set(TaskHeader::kCancelDelivered);
    w->cancel(Errc::cancelled);
  }
  // Running or already woken: the cancellation is delivered at its next await.
}

void Loop::finish(TaskHeader& t, Errc outcome) {
  t.set(TaskHeader::kDone);
  if (outcome != Errc::ok) t.set(TaskHeader::kCancelled);
  t.waiting = nullptr;
  unlink(t);
  if (WaitNode* j = t.joiner) {
    t.joiner = nullptr;
    j->linked = false;
    j->fire(Errc::ok);
  }
  if (!t.has(TaskHeader::kHandleAlive)) t.release_finished();  // detached: free everything now
}

void Loop::reap(TaskHeader& t) {
  remove_from_ready(t);
  if (WaitNode* w = std::exchange(t.waiting, nullptr); w != nullptr && w != &unstarted_) {
    w->task = nullptr;  // unlinked before the frame dies, so no owner keeps a pointer into it
  }
  TaskHeader* saved = current_;
  current_ = &t;
  t.root().destroy();  // not done yet: the block, header included, stays (task_header.hpp)
  current_ = saved;
  finish(t, Errc::cancelled);
}

void detail::on_root_final() noexcept {
  Loop& loop = Loop::current();
  if (loop.current_ != nullptr) loop.current_->set(TaskHeader::kDone | TaskHeader::kEndSlice);
}

#if WEFT_TASK_STATS
// One cycle-counter read per switch: a slice starts where the previous one ended (the batch reads it once at
// its start). Inlined into the batch walk.
[[gnu::always_inline]] inline void Loop::resume_profiled(TaskHeader& t) {
  t.resume_point.resume();
  Ticks end = slice_clock_.read();
  Ticks slice = end - slice_start_;
  slice_start_ = end;
  t.total_ticks += slice;
  if (slice > t.max_slice_ticks) t.max_slice_ticks = slice;
  if (slice > slice_clock_.hog_ticks()) [[unlikely]]
    hog(t, slice);
}
#endif

// The hot path: the ready-list walk, inlined into the pass. A turn writes no flags (task_header.hpp) and a
// yield touches no queue: the running task keeps its place and ready_tail_ is the link holding it, so a task
// woken in its slice goes just before it (behind all ready before it, in wake order). After the slice a task
// that yielded (waiting == nullptr) stays; one that waits (begin_wait sets `waiting`, a fire clears it), ended
// or must be reaped is unlinked. Ending at queue_end(), a pass runs exactly the tasks ready when it began, and
// the next pass runs them in the order wakes and yields happened. ready_tail_ is reread after every slice.
[[gnu::always_inline]] inline void Loop::run_batch() {
  TaskHeader** link = &ready_head_;
  TaskHeader* t = ready_head_;
#if WEFT_TASK_STATS
  if (profiling_) slice_start_ = slice_clock_.read();
#endif
  std::uint32_t ran = 0;
  do {
    ready_tail_ = link;
    t->waiting = nullptr;
    current_ = t;
    ++ran;
#if WEFT_TASK_STATS
    ++t->runs;
    if (profiling_) {
      resume_profiled(*t);
    } else {
      t->resume_point.resume();
    }
#else
    t->resume_point.resume();
#endif
    link = ready_tail_;  // *link == t: tasks woken during its slice were inserted before it
    if (t->waiting == nullptr && !t->ends_slice()) {
      link = &t->next;  // yielded: keeps its place
    } else {
      *link = t->next;
      t->next = nullptr;
      if (t->ends_slice()) [[unlikely]] {
        end_slice(*t);
        link = ready_tail_;  // its joiner may have been queued in its place
      }
    }
    t = *link;
  } while (t != queue_end());
  ready_tail_ = link;
  current_ = nullptr;
  unfolded_switches_ += ran;
}

void Loop::end_slice(TaskHeader& t) {
  current_ = nullptr;
  if (t.has(TaskHeader::kDone)) {
    finish(t, Errc::ok);
  } else {
    reap(t);
  }
}

void Loop::attach(ThreadSafeFlag& f) {
  f.next_ = flags_;
  flags_ = &f;
}

void Loop::detach(ThreadSafeFlag& f) {
  for (ThreadSafeFlag** p = &flags_; *p != nullptr; p = &(*p)->next_) {
    if (*p == &f) {
      *p = f.next_;
      break;
    }
  }
  f.loop_ = nullptr;
}

void Loop::collect_flags() {
  // Clear the summary first: a set() racing with this scan re-raises it and is seen next pass.
  flags_pending_.store(false, std::memory_order_seq_cst);
  for (ThreadSafeFlag* f = flags_; f != nullptr; f = f->next_)
    f->collect();
}

// The timers due at now_, `first` already popped: the lag statistics, then every expiry in deadline order.
[[gnu::always_inline]] inline void Loop::fire_timers(TimerNode& first) {
  Micros lag = now_ - first.deadline();
  if (lag > stats_.max_lag_us) stats_.max_lag_us = lag;
  first.expire();
  stats_.timers_fired += 1 + timers_.expire_due(now_);
}

[[gnu::always_inline]] inline void Loop::step() {
  ++unfolded_passes_;
  // Relaxed: collect_flags() synchronizes through each flag's own atomic (thread_safe_flag.hpp).
  if (flags_pending_.load(std::memory_order_relaxed)) collect_flags();

  // --- timers: due ones first, so the tasks they wake run in this same pass (one clock read: none if idle()
  // just read it).
  if (!timers_.empty()) {
    if (now_pass_ != unfolded_passes_) read_clock_for_pass(unfolded_passes_);
    if (TimerNode* first = timers_.pop_due(now_)) fire_timers(*first);
  }
  // --- end of timers

  // Run the batch that is ready now; tasks woken while it runs queue behind it for the next pass.
  if (has_ready()) run_batch();
}

void Loop::checkpoint(bool read_clock) {
  fold_counters();  // no idle wait will look at I/O, so look now
  if (io_ != nullptr && io_->has_pending_io()) io_->poll_events();
#if WEFT_TASK_STATS
  if (profiling_ && slice_clock_.wants_clock()) read_clock = true;
#endif
  if (read_clock) read_clock_for_pass(unfolded_passes_ + 1);  // folded above: the next pass is number 1
}

Errc Loop::idle(Micros stop_at) {
  if ((unfolded_passes_ | unfolded_switches_) >= kFoldAt) [[unlikely]]
    fold_counters();  // idle passes switch nothing, so the busy path's fold may not come for a while
  if (flags_pending_.load(std::memory_order_acquire)) return Errc::ok;  // (run: nothing ready, no stop)
  Micros deadline = timers_.next_deadline();
  if (stop_at < deadline) deadline = stop_at;
  if (deadline <= now_) return Errc::ok;
  if (deadline == kForever && clock_.is_virtual() && (io_ == nullptr || !io_->has_pending_io()))
    return Errc::deadlock;
  ++stats_.idle_waits;
  clock_.wait_until(deadline);
  read_clock_for_pass(unfolded_passes_ + 1);  // the next pass's time: its step reads no clock
  return Errc::ok;
}

WEFT_IRAM Errc Loop::run(bool (*keep_going)(void*), void* ctx, Micros stop_at, bool once) {
  if (stopped_) return Errc::loop_stopped;
  Loop* saved = current_loop_;
  current_loop_ = this;
  read_clock_for_pass(unfolded_passes_ + 1);
  Errc e = Errc::ok;
  // The condition is checked between running and idling, so the loop never idles after its goal is met. A
  // deadline without timers armed: step reads no clock, so read it where the deadline is checked.
  const bool timed = stop_at != kForever;
  const Micros end = once ? std::numeric_limits<Micros>::min() : stop_at;  // one test per pass for both
  while (!stopping_ && (keep_going == nullptr || keep_going(ctx))) {
    step();
    if (has_ready()) {  // busy: straight to the next pass
      if (unfolded_switches_ >= IoPoller::kPollEverySwitches) [[unlikely]]
        checkpoint(timed);
      if (now_ >= end) break;
      continue;
    }
    if (timed && timers_.empty()) read_clock_for_pass(unfolded_passes_ + 1);
    if (now_ >= end || stopping_ || (keep_going != nullptr && !keep_going(ctx))) break;
    e = idle(stop_at);
    if (e != Errc::ok) break;
  }
  if (stopping_) {
    stopped_ = true;
    if (e == Errc::ok && (keep_going == nullptr || keep_going(ctx)) && stop_at == kForever)
      e = Errc::loop_stopped;
  }
  fold_counters();
  current_loop_ = saved;
  return e;
}

Status Loop::run_forever() {
  if (stopped_) return Errc::loop_stopped;
  Errc e = run(nullptr, nullptr, kForever, false);
  return e == Errc::loop_stopped ? Status{} : Status{e};  // stop() is how run_forever is meant to end
}

Status Loop::poll() {
  return run(nullptr, nullptr, kForever, true);
}

Status Loop::run_until(Micros deadline) {
  return run(nullptr, nullptr, deadline, false);
}

}  // namespace weft
