// JoinHandle<T>: what Loop::spawn returns. Queries, cancels and joins one spawned task.
//
//   auto h = loop.spawn(worker(), "worker");
//   if (!h) log(h.error());              // spawn failed: Errc::no_memory or Errc::loop_stopped
//   h.cancel();                          // the task's current await returns Errc::cancelled
//   auto r = co_await h.join();          // AwaitResult<T>: its result, or Errc::cancelled if it was reaped
//
// Move-only. Dropping the handle detaches the task (it runs on, and frees itself when it ends); a finished
// task's frame is kept until its handle is dropped, so the result can still be taken (a reaped task's frame
// is gone, its header stays for the outcome: task_header.hpp).
// join() allows one waiter (a second concurrent join gets Errc::busy) and the result is taken once
// (a second join gets Errc::already_awaited). Cancelling the joiner leaves the task running.
#pragma once
#include <coroutine>
#include <utility>

#include "task.hpp"
#include "task_header.hpp"
#include "wait_node.hpp"

namespace weft {

class Loop;

template <typename T>
class JoinHandle {
 public:
  JoinHandle() = default;
  explicit JoinHandle(Errc e) : error_(e) {}
  JoinHandle(Loop* loop, TaskHeader* h) : loop_(loop), h_(h) {}
  JoinHandle(JoinHandle&& o) noexcept : loop_(o.loop_), h_(std::exchange(o.h_, nullptr)), error_(o.error_) {}
  JoinHandle& operator=(JoinHandle&& o) noexcept {
    if (this != &o) {
      release();
      loop_ = o.loop_;
      h_ = std::exchange(o.h_, nullptr);
      error_ = o.error_;
    }
    return *this;
  }
  ~JoinHandle() { release(); }

  [[nodiscard]] bool ok() const { return h_ != nullptr; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] Errc error() const { return error_; }

  [[nodiscard]] bool done() const { return h_ == nullptr || h_->has(TaskHeader::kDone); }
  [[nodiscard]] bool cancelled() const { return h_ != nullptr && h_->has(TaskHeader::kCancelled); }
  // "" with WEFT_TASK_STATS=0 (task_header.hpp).
  [[nodiscard]] const char* name() const { return h_ != nullptr ? h_->task_name() : ""; }
  // Zero with WEFT_TASK_STATS=0.
  [[nodiscard]] TaskStats stats() const;
  void cancel();
  // Lets the task run on without a handle.
  void detach() { release(); }

  struct JoinAwaiter {
    JoinHandle* self;
    WaitNode node{&unlink};
    Errc early = Errc::ok;
    [[nodiscard]] bool await_ready() {
      if (self->h_ == nullptr)
        early = Errc::invalid_argument;
      else if (self->h_->joiner != nullptr)
        early = Errc::busy;
      return early != Errc::ok || self->done();
    }
    bool await_suspend(std::coroutine_handle<> h);
    AwaitResult<T> await_resume() {
      if (early != Errc::ok) return early;
      if (node.result() != Errc::ok) return node.result();  // the joiner was cancelled; the task runs on
      return self->take_result();
    }
    static void unlink(WaitNode& n);
  };
  // Waits for the task to end and takes its result.
  [[nodiscard]] JoinAwaiter join() { return JoinAwaiter{this}; }

  // The result of a finished task (once). Errc::cancelled if it was reaped; Errc::already_awaited after the
  // first take; Errc::would_block if it is still running.
  AwaitResult<T> take_result() {
    if (h_ == nullptr) return error_ != Errc::ok ? error_ : Errc::invalid_argument;
    if (!done()) return Errc::would_block;
    if (h_->outcome() != Errc::ok) return h_->outcome();
    return Task<T>::Handle::from_address(h_->root().address()).promise().take();
  }

 private:
  void release();
  Loop* loop_ = nullptr;
  TaskHeader* h_ = nullptr;
  Errc error_ = Errc::ok;
};

}  // namespace weft

// Member definitions need Loop: they are in join_handle_impl.hpp, included at the end of loop.hpp.
