// ThreadSafeFlag: the bridge from interrupt handlers, signal handlers and other threads into the loop
// (uasyncio's ThreadSafeFlag). set() only touches atomics and the clock port's wake(); it never touches
// scheduler queues. The loop notices the flag on its next pass and wakes the one task in wait().
//
//   weft::ThreadSafeFlag button;              // construct in task/main context (registers with the loop)
//   void IRAM_ATTR on_edge() { button.set(); }
//   ... co_await button.wait();               // Status: ok, or Errc::cancelled / Errc::busy
//
// Semantics: a set flag stays set until a wait() consumes it; several set() before a wait() count once.
// One waiter at a time (a second concurrent wait() gets Errc::busy). Cancel-safe: a cancelled wait consumes
// nothing (a set() that raced with the cancel is kept for the next wait()).
#pragma once
#include <atomic>
#include <coroutine>

#include "loop.hpp"

namespace weft {

class ThreadSafeFlag {
 public:
  explicit ThreadSafeFlag(Loop& loop = Loop::current()) : loop_(&loop) { loop.attach(*this); }
  ~ThreadSafeFlag() {
    if (loop_ != nullptr) loop_->detach(*this);
  }
  ThreadSafeFlag(const ThreadSafeFlag&) = delete;
  ThreadSafeFlag& operator=(const ThreadSafeFlag&) = delete;

  // Any context. Async-signal-safe.
  void set() {
    raised_.store(true, std::memory_order_release);
    if (loop_ != nullptr) loop_->signal_from_anywhere();
  }
  // Loop context: clears a pending set().
  void clear() {
    raised_.store(false);
    set_ = false;
  }

  struct Awaiter {
    ThreadSafeFlag& f;
    WaitNode node{&unlink};
    Errc early = Errc::ok;
    [[nodiscard]] bool await_ready() {
      if (f.waiter_ != nullptr) {
        early = Errc::busy;
        return true;
      }
      return f.consume();
    }
    bool await_suspend(std::coroutine_handle<> h) {
      if (!f.loop_->begin_wait(h, node)) return false;
      node.linked = true;
      node.context = &f;
      f.waiter_ = &node;
      return true;
    }
    Status await_resume() const { return early != Errc::ok ? early : node.result(); }
    static void unlink(WaitNode& n) { static_cast<ThreadSafeFlag*>(n.context)->waiter_ = nullptr; }
  };
  [[nodiscard]] Awaiter wait() { return Awaiter{*this}; }

 private:
  friend class Loop;
  bool consume() {
    if (raised_.exchange(false, std::memory_order_acq_rel)) set_ = true;
    return std::exchange(set_, false);
  }
  // Loop context, when a set() was signalled: hands the flag to the waiter.
  void collect() {
    if (waiter_ == nullptr || !consume()) return;
    WaitNode* w = std::exchange(waiter_, nullptr);
    w->linked = false;
    w->fire(Errc::ok);
  }

  Loop* loop_;
  ThreadSafeFlag* next_ = nullptr;
  WaitNode* waiter_ = nullptr;
  std::atomic<bool> raised_{false};
  bool set_ = false;
};

}  // namespace weft
