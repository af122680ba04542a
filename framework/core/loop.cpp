#include "loop.hpp"

#include <new>

#include "log.hpp"
#include "thread_safe_flag.hpp"

namespace weft {
namespace {
WEFT_THREAD_LOCAL Loop* g_current = nullptr;
}  // namespace

// --- WaitNode ---------------------------------------------------------------------------------------------

void WaitNode::fire(Errc r) {
  TaskHeader* t = task;
  if (t == nullptr) return;  // already fired (first result wins)
  task = nullptr;
  result_ = r;
  if (t->waiting == this) t->waiting = nullptr;
  if (notify_ != nullptr) {
    notify_(*this);
    return;
  }
  Loop::current().make_ready(*t);
}

void WaitNode::detach() {
  if (linked) unlink_now();
  if (task != nullptr && task->waiting == this) task->waiting = nullptr;
  task = nullptr;
}

// --- Loop -------------------------------------------------------------------------------------------------

Loop::Loop() : Loop(default_driver()) {}

Loop::Loop(Driver& driver) : driver_(driver), outer_(g_current) {
  g_current = this;
  now_ = driver_.now();
}

Loop::~Loop() {
  // End every live task: destroying its outermost frame destroys every nested frame and unlinks every waiter.
  while (all_ != nullptr) reap(*all_);
  while (flags_ != nullptr) detach(*flags_);
  if (g_current == this) g_current = outer_;
}

Loop& Loop::current() {
  if (g_current == nullptr) {
    log_message(LogLevel::error, "no weft::Loop exists: construct one before using awaitables");
    __builtin_trap();
  }
  return *g_current;
}
Loop* Loop::current_or_null() { return g_current; }

TaskHeader* Loop::adopt(std::coroutine_handle<> root, const char* name, Errc& error) {
  if (stopped_ || stopping_) {
    error = Errc::loop_stopped;
    log_message(LogLevel::error, "spawn \"%s\": %s", name, to_string(error));
    if (root) root.destroy();
    return nullptr;
  }
  void* mem = root ? FrameArena::current().allocate(sizeof(TaskHeader)) : nullptr;
  if (mem == nullptr) {
    error = Errc::no_memory;
    log_message(LogLevel::error, "spawn \"%s\": %s", name, to_string(error));
    if (root) root.destroy();
    return nullptr;
  }
  auto* t = new (mem) TaskHeader;
  t->root = t->resume_point = root;
  t->name = name;
  t->flags = TaskHeader::kHandleAlive | TaskHeader::kArenaHeader;
  link(*t);
  make_ready(*t);
  return t;
}

void Loop::start_child(TaskHeader& t, std::coroutine_handle<> root, const char* name, WaitNode& joiner) {
  t.root = t.resume_point = root;
  t.name = name;
  t.flags = 0;
  t.joiner = &joiner;
  joiner.task = current_;  // pending: counted by the owner's notify hook, not a wait of the task itself
  joiner.linked = true;
  link(t);
  make_ready(t);
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

void Loop::link(TaskHeader& t) {
  t.all_prev = nullptr;
  t.all_next = all_;
  if (all_ != nullptr) all_->all_prev = &t;
  all_ = &t;
  ++stats_.live_tasks;
}

void Loop::unlink(TaskHeader& t) {
  (t.all_prev != nullptr ? t.all_prev->all_next : all_) = t.all_next;
  if (t.all_next != nullptr) t.all_next->all_prev = t.all_prev;
  t.all_prev = t.all_next = nullptr;
  --stats_.live_tasks;
}

void Loop::make_ready(TaskHeader& t) {
  if (t.has(TaskHeader::kQueued) || t.has(TaskHeader::kDone)) return;
  t.flags |= TaskHeader::kQueued;
  t.next = nullptr;
  (ready_tail_ != nullptr ? ready_tail_->next : ready_head_) = &t;
  ready_tail_ = &t;
}

void Loop::remove_from_ready(TaskHeader& t) {
  if (!t.has(TaskHeader::kQueued)) return;
  TaskHeader* prev = nullptr;
  for (TaskHeader* p = ready_head_; p != nullptr; prev = p, p = p->next) {
    if (p != &t) continue;
    (prev != nullptr ? prev->next : ready_head_) = p->next;
    if (ready_tail_ == p) ready_tail_ = prev;
    break;
  }
  t.flags = static_cast<std::uint8_t>(t.flags & ~TaskHeader::kQueued);
}

bool Loop::begin_wait(std::coroutine_handle<> h, WaitNode& node) {
  TaskHeader* t = current_;
  if (t == nullptr) {
    log_message(LogLevel::error, "an awaitable was awaited outside a task (spawn the coroutine on a Loop)");
    __builtin_trap();
  }
  if (t->has(TaskHeader::kCancelRequested)) {
    if (!t->has(TaskHeader::kCancelDelivered)) {
      t->flags |= TaskHeader::kCancelDelivered;
      node.result_ = Errc::cancelled;
      return false;  // resume at once: this await returns Errc::cancelled
    }
    t->flags |= TaskHeader::kReap;  // awaited again after seeing the cancellation: unwind it ourselves
    t->resume_point = h;
    return true;
  }
  node.task = t;
  node.result_ = Errc::ok;
  t->waiting = &node;
  t->resume_point = h;
  return true;
}

void Loop::cancel(TaskHeader& t) {
  if (t.has(TaskHeader::kDone) || t.has(TaskHeader::kCancelRequested)) return;
  t.flags |= TaskHeader::kCancelRequested;
  if (!t.has(TaskHeader::kStarted)) {
    t.flags |= TaskHeader::kReap;  // never ran: end it without running it
    make_ready(t);
    return;
  }
  if (WaitNode* w = t.waiting) {
    t.flags |= TaskHeader::kCancelDelivered;
    w->cancel(Errc::cancelled);
  }
  // Running or already woken: the cancellation is delivered at its next await.
}

void Loop::finish(TaskHeader& t, Errc outcome) {
  t.flags |= TaskHeader::kDone;
  t.outcome = outcome;
  t.waiting = nullptr;
  unlink(t);
  if (WaitNode* j = t.joiner) {
    t.joiner = nullptr;
    j->linked = false;
    j->fire(Errc::ok);
  }
  if (t.has(TaskHeader::kArenaHeader) && !t.has(TaskHeader::kHandleAlive)) {
    if (outcome == Errc::ok) t.root.destroy();  // detached and finished: free everything now
    t.~TaskHeader();
    FrameArena::owner_of(&t).free(&t, sizeof(TaskHeader));
  }
}

void Loop::reap(TaskHeader& t) {
  remove_from_ready(t);
  if (t.waiting != nullptr) {
    // Unlink before destroying, so no owner keeps a pointer into the dying frame.
    WaitNode* w = std::exchange(t.waiting, nullptr);
    w->task = nullptr;
  }
  TaskHeader* saved = current_;
  current_ = &t;
  t.root.destroy();
  current_ = saved;
  finish(t, Errc::cancelled);
}

void detail::on_root_final() noexcept {
  Loop& loop = Loop::current();
  if (loop.current_ != nullptr) loop.current_->flags |= TaskHeader::kDone;
}

void Loop::run_task(TaskHeader& t) {
  t.flags = static_cast<std::uint8_t>((t.flags & ~TaskHeader::kQueued) | TaskHeader::kStarted);
  if (t.has(TaskHeader::kReap)) {
    reap(t);
    return;
  }
  current_ = &t;
  t.waiting = nullptr;
  ++stats_.switches;
  ++t.stats.runs;
  if (profiling_) {
    Micros start = driver_.now();
    t.resume_point.resume();
    Micros end = driver_.now();
    auto slice = static_cast<std::uint32_t>(end - start);
    t.stats.total_us += slice;
    if (slice > t.stats.max_slice_us) t.stats.max_slice_us = slice;
    if (hog_threshold_ > 0 && slice > hog_threshold_) {
      ++stats_.hog_warnings;
      log_message(LogLevel::warning, "task \"%s\" ran %lu us without yielding (hog threshold %lu us)", t.name,
                  static_cast<unsigned long>(slice), static_cast<unsigned long>(hog_threshold_));
    }
  } else {
    t.resume_point.resume();
  }
  current_ = nullptr;
  if (t.has(TaskHeader::kDone)) {
    t.flags = static_cast<std::uint8_t>(t.flags & ~TaskHeader::kDone);  // finish() sets it for good
    finish(t, Errc::ok);
  } else if (t.has(TaskHeader::kReap)) {
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
  for (ThreadSafeFlag* f = flags_; f != nullptr; f = f->next_) f->collect();
}

Errc Loop::pass(Micros stop_at) {
  ++stats_.passes;
  if (flags_pending_.load(std::memory_order_acquire)) collect_flags();

  // Run the batch that was ready when the pass began; tasks woken now queue behind it for the next pass.
  TaskHeader* batch = ready_head_;
  TaskHeader* batch_end = ready_tail_;
  ready_head_ = ready_tail_ = nullptr;
  while (batch != nullptr) {
    TaskHeader* t = batch;
    batch = t == batch_end ? nullptr : t->next;
    run_task(*t);
  }

  if (!timers_.empty()) {
    now_ = driver_.now();
    Micros due = timers_.next_deadline();
    if (due <= now_) {
      stats_.last_lag_us = now_ - due;
      if (stats_.last_lag_us > stats_.max_lag_us) stats_.max_lag_us = stats_.last_lag_us;
      stats_.timers_fired += timers_.expire_due(now_);
    }
  }
  if (ready_head_ != nullptr || stopping_) return Errc::ok;
  if (flags_pending_.load(std::memory_order_acquire)) return Errc::ok;

  // Idle until the next deadline (or the caller's stop time) or an event.
  Micros deadline = timers_.next_deadline();
  if (stop_at < deadline) deadline = stop_at;
  if (deadline == kForever && driver_.is_virtual() && !driver_.has_pending_io()) return Errc::deadlock;
  ++stats_.idle_waits;
  driver_.wait_until(deadline);
  now_ = driver_.now();
  return Errc::ok;
}

Errc Loop::run_while(bool (*keep_going)(void*), void* ctx) {
  if (stopped_) return Errc::loop_stopped;
  Loop* saved = g_current;
  g_current = this;
  now_ = driver_.now();
  Errc e = Errc::ok;
  while (keep_going(ctx)) {
    if (stopping_) {
      e = Errc::loop_stopped;
      break;
    }
    e = pass(kForever);
    if (e != Errc::ok) break;
  }
  if (stopping_) stopped_ = true;
  g_current = saved;
  return e;
}

Status Loop::run_forever() {
  if (stopped_) return Errc::loop_stopped;
  Errc e = run_while([](void*) { return true; }, nullptr);
  return e == Errc::loop_stopped && stopped_ ? Status{} : Status{e};
}

Status Loop::run_until(Micros deadline) {
  if (stopped_) return Errc::loop_stopped;
  Loop* saved = g_current;
  g_current = this;
  now_ = driver_.now();
  Errc e = Errc::ok;
  while (now_ < deadline && !stopping_) {
    e = pass(deadline);
    if (e != Errc::ok) break;
  }
  if (stopping_) stopped_ = true;
  g_current = saved;
  return e;
}

void Loop::log_stats() const {
  log_message(LogLevel::info, "loop: %lu passes, %lu switches, %lu timers, max lag %ld us, %u tasks, %u hog warnings",
              static_cast<unsigned long>(stats_.passes), static_cast<unsigned long>(stats_.switches),
              static_cast<unsigned long>(stats_.timers_fired), static_cast<long>(stats_.max_lag_us),
              stats_.live_tasks, stats_.hog_warnings);
  for_each_task([](const TaskHeader& t) {
    log_message(LogLevel::info, "  task %-16s runs %lu  total %ld us  max slice %lu us", t.name,
                static_cast<unsigned long>(t.stats.runs), static_cast<long>(t.stats.total_us),
                static_cast<unsigned long>(t.stats.max_slice_us));
  });
}

}  // namespace weft
