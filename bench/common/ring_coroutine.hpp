// The floor's coroutine: suspends at start and at the end, and is resumed by hand (a loop over a ring of
// handles), with no scheduler. The least a cooperative round-robin scheduler of coroutines can do.
#pragma once
#include <coroutine>
#include <cstdlib>

namespace weft::bench {

struct RingCoroutine {
  struct promise_type {
    RingCoroutine get_return_object() { return {std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::abort(); }
  };
  std::coroutine_handle<promise_type> handle;  // the caller destroys it
};

}  // namespace weft::bench
