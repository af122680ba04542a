// Task<T>: a lazy coroutine, weft's unit of asynchronous work.
//
//   weft::Task<int> answer() { co_await weft::sleep_ms(10); co_return 42; }
//   weft::Task<> user() { weft::Result<int> r = co_await answer(); ... }
//
// - Lazy: nothing runs until the Task is awaited or spawned on a Loop.
// - Awaiting a Task runs it inline in the awaiting task by symmetric transfer (parent -> child on await,
//   child -> parent on completion), so a million synchronous completions in a row use constant stack.
//   Where the compiler cannot turn symmetric transfer into a tail call (unoptimised builds, GCC's xtensa
//   backend), WEFT_TAIL_CALLS is 0 and the parent instead resumes the child in place and, when the child
//   completes without suspending, continues without suspending itself: constant stack for synchronous
//   completions there too (a chain of nested awaits then uses stack in proportion to its depth).
// - GCC 12 miscompiles co_await inside an if/while condition or a ?: operand (the awaiter dies at the
//   suspension). Write `Status s = co_await x; if (!s) ...` instead of `if (!(co_await x)) ...`.
// - `co_await task` gives AwaitResult<T>: Result<T> (T itself when T is already a Result; Status for void).
//   Its error is Errc::no_memory when the frame arena was full at creation, Errc::already_awaited on a second
//   await. Errors a task wants to report travel in T: write Task<Status> or Task<Result<U>> and
//   `co_return weft::Errc::timed_out;`.
// - Frames come from the FrameArena (frame_arena.hpp), never the heap, each with room for the TaskHeader a
//   spawn builds in front of it (task_header.hpp): a spawned task is one arena block.
// - Destroying a Task that has not finished destroys its frame: locals are destroyed, awaiters unlink.
#pragma once
#include <coroutine>
#include <optional>
#include <type_traits>
#include <utility>

#include "frame_arena.hpp"
#include "result.hpp"
#include "task_header.hpp"

namespace weft {

template <typename T = void>
class Task;

template <typename T>
struct AwaitResultOf {
  using type = Result<T>;
};
template <typename U>
struct AwaitResultOf<Result<U>> {
  using type = Result<U>;
};
template <typename T>
using AwaitResult = typename AwaitResultOf<T>::type;

// Symmetric transfer is a guaranteed tail call only when GCC/Clang optimise, and never on xtensa.
#ifndef WEFT_TAIL_CALLS
#if defined(__OPTIMIZE__) && !defined(__XTENSA__)
#define WEFT_TAIL_CALLS 1
#else
#define WEFT_TAIL_CALLS 0
#endif
#endif

namespace detail {

// Called when a task's outermost frame finishes (loop.cpp): marks the running task done.
void on_root_final() noexcept;
// Logs an arena-full refusal (log.cpp), so a failed creation is visible even if its error is ignored.
void on_frame_alloc_failure(std::size_t bytes) noexcept;

struct PromiseBase {
  std::coroutine_handle<> continuation;  // the awaiting coroutine; empty for a task's outermost frame
#if !WEFT_TAIL_CALLS
  bool resumed_in_place = false;  // the parent is still inside await_suspend, below us on the stack
#endif

  // Every frame comes with room for a TaskHeader in front of it, used if the Task is spawned (task_header.hpp).
  static void* operator new(std::size_t n) noexcept {
    auto* block = static_cast<unsigned char*>(FrameArena::current().allocate(kTaskPrefix + n));
    if (block == nullptr) {
      on_frame_alloc_failure(kTaskPrefix + n);
      return nullptr;
    }
    TaskHeader::mark_room_unused(block);
    return block + kTaskPrefix;
  }
  static void operator delete(void* p, std::size_t n) noexcept {
    TaskHeader::free_frame(p, n);
  }

  struct FinalAwaiter {
    [[nodiscard]] bool await_ready() const noexcept { return false; }
    template <typename P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
#if !WEFT_TAIL_CALLS
      if (h.promise().resumed_in_place) return std::noop_coroutine();  // back to the parent's await_suspend
#endif
      std::coroutine_handle<> c = h.promise().continuation;
      if (c) return c;
      on_root_final();
      return std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };

  [[nodiscard]] std::suspend_always initial_suspend() const noexcept {
    return {};
  }
  [[nodiscard]] FinalAwaiter final_suspend() const noexcept {
    return {};
  }
  [[noreturn]] void unhandled_exception() const noexcept {
    __builtin_trap();
  }  // weft code does not throw
};

template <typename T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object() noexcept;
  static Task<T> get_return_object_on_allocation_failure() noexcept;
  template <typename U = T>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  AwaitResult<T> take() {
    if (!value) return Errc::already_awaited;
    AwaitResult<T> r(std::move(*value));
    value.reset();
    return r;
  }
};

template <>
struct Promise<void> : PromiseBase {
  bool finished = false;
  Task<void> get_return_object() noexcept;
  static Task<void> get_return_object_on_allocation_failure() noexcept;
  void return_void() { finished = true; }
  Status take() {
    if (!finished) return Errc::already_awaited;
    finished = false;
    return {};
  }
};

}  // namespace detail

namespace detail {
// Starts `child` on behalf of `parent` (which is suspending in an await on it).
#if WEFT_TAIL_CALLS
inline std::coroutine_handle<> start_child(std::coroutine_handle<> child, PromiseBase& p,
                                           std::coroutine_handle<> parent) noexcept {
  p.continuation = parent;
  return child;  // symmetric transfer: a tail call
}
#else
inline bool start_child(std::coroutine_handle<> child, PromiseBase& p,
                        std::coroutine_handle<> parent) noexcept {
  p.continuation = parent;
  p.resumed_in_place = true;
  child.resume();
  p.resumed_in_place = false;
  return !child.done();  // completed in place: the parent goes on without suspending
}
#endif
template <typename H>
auto start_child(H child, std::coroutine_handle<> parent) noexcept {
  return start_child(child, child.promise(), parent);
}
}  // namespace detail

template <typename T>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;
  using value_type = T;

  Task() = default;
  explicit Task(Handle h) : h_(h) {}
  Task(Task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  ~Task() { reset(); }

  // False when the frame could not be allocated (arena full).
  [[nodiscard]] bool valid() const { return static_cast<bool>(h_); }
  [[nodiscard]] bool done() const { return h_ && h_.done(); }
  [[nodiscard]] Handle handle() const { return h_; }
  [[nodiscard]] Handle release() { return std::exchange(h_, {}); }
  void reset() {
    if (h_) std::exchange(h_, {}).destroy();
  }

  struct Awaiter {
    Handle h;
    [[nodiscard]] bool await_ready() const noexcept { return !h || h.done(); }
    auto await_suspend(std::coroutine_handle<> parent) noexcept { return detail::start_child(h, parent); }
    AwaitResult<T> await_resume() {
      if (!h) return Errc::no_memory;
      return h.promise().take();
    }
  };
  Awaiter operator co_await() & noexcept { return Awaiter{h_}; }
  Awaiter operator co_await() && noexcept { return Awaiter{h_}; }

 private:
  Handle h_;
};

namespace detail {
template <typename T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>(Task<T>::Handle::from_promise(*this));
}
template <typename T>
Task<T> Promise<T>::get_return_object_on_allocation_failure() noexcept {
  return Task<T>();
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(Task<void>::Handle::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object_on_allocation_failure() noexcept {
  return Task<void>();
}
}  // namespace detail

}  // namespace weft
