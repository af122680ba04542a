// wait_for(awaitable, timeout): the awaitable, or Errc::timed_out once `timeout` passes
// (uasyncio's wait_for).
//
//   weft::Result<Item> r = co_await weft::wait_for(queue.get(), weft::ms(500));   // a leaf awaitable
//   weft::Result<int> v = co_await weft::wait_for(fetch(), weft::sec(5));          // a Task
//
// Leaf awaitables (sleep, Event::wait, Queue::get/put, Lock::acquire, socket reads, ...): on timeout the
// wait is cancelled with Errc::timed_out and the awaitable's own result type carries it; each awaitable
// documents what a cancelled wait keeps (a Queue::get takes nothing, a read keeps the bytes it had).
// A completion that happened before the timeout is never lost: once the wait has completed (the task is
// ready), the timer no longer touches it.
//
// Tasks: on timeout the child Task is dropped: its frames are destroyed (every local's destructor runs and
// every awaiter inside unlinks itself) and wait_for returns Errc::timed_out. If the child is runnable when
// the deadline passes, it first runs on to its next await, so a result it already received is consumed by its
// own code, not lost in a queue. Cancelling the awaiting task cancels the child's current await as usual.
//
// Cost: one timer (O(log n)); no allocation.
#pragma once
#include <coroutine>
#include <type_traits>
#include <utility>

#include "loop.hpp"
#include "task.hpp"

namespace weft {

template <typename A>
class [[nodiscard]] WaitFor : TimerNode {
 public:
  WaitFor(A&& inner, Micros timeout) : TimerNode(&expire), inner_(std::move(inner)), timeout_(timeout) {}

  bool await_ready() { return inner_.await_ready(); }
  bool await_suspend(std::coroutine_handle<> h) {
    Loop& loop = Loop::current();
    if (!inner_.await_suspend(h)) return false;
    task_ = loop.current_task();
    Micros now = loop.now_for_deadline();
    loop.timers().insert(*this, deadline_after(now, timeout_ < 0 ? 0 : timeout_));
    return true;
  }
  decltype(auto) await_resume() {
    Loop::current().timers().remove(*this);
    return inner_.await_resume();
  }

 private:
  static void expire(TimerNode& n) {
    auto& self = static_cast<WaitFor&>(n);
    if (WaitNode* w = self.task_->waiting) w->cancel(Errc::timed_out);
  }
  A inner_;
  Micros timeout_;
  TaskHeader* task_ = nullptr;
};

template <typename T>
class [[nodiscard]] WaitForTask : TimerNode {
 public:
  WaitForTask(Task<T>&& child, Micros timeout)
      : TimerNode(&expire), child_(std::move(child)), timeout_(timeout) {}

  [[nodiscard]] bool await_ready() const { return !child_.valid() || child_.done(); }
  auto await_suspend(std::coroutine_handle<> parent) {
    Loop& loop = Loop::current();
    task_ = loop.current_task();
    parent_ = parent;
    Micros now = loop.now_for_deadline();
    loop.timers().insert(*this, deadline_after(now, timeout_ < 0 ? 0 : timeout_));
    return detail::start_child(child_.handle(), parent);
  }
  AwaitResult<T> await_resume() {
    Loop::current().timers().remove(*this);
    if (expired_) return Errc::timed_out;
    if (!child_.valid()) return Errc::no_memory;
    return child_.handle().promise().take();
  }

 private:
  static void expire(TimerNode& n) {
    auto& self = static_cast<WaitForTask&>(n);
    Loop& loop = Loop::current();
    if (self.task_->waiting == nullptr) {
      // The child is runnable: let it reach its next await, then drop it.
      loop.timers().insert(self, loop.now() + 1);
      return;
    }
    self.expired_ = true;
    self.child_.reset();  // destroys the child's frames; its awaiters unlink themselves
    self.task_->waiting = nullptr;
    self.task_->resume_point = self.parent_;
    loop.make_ready(*self.task_);
  }
  Task<T> child_;
  Micros timeout_;
  TaskHeader* task_ = nullptr;
  std::coroutine_handle<> parent_;
  bool expired_ = false;
};

template <typename T>
WaitForTask<T> wait_for(Task<T> child, Micros timeout) {
  return WaitForTask<T>(std::move(child), timeout);
}

template <typename A>
requires(!std::is_lvalue_reference_v<A>) WaitFor<A> wait_for(A&& awaitable, Micros timeout) {
  return WaitFor<A>(std::move(awaitable), timeout);
}

}  // namespace weft
