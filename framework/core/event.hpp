// Event: a flag tasks can wait for (uasyncio's Event). set() wakes every waiter; the flag stays set until
// clear(), so a wait() on a set Event returns at once. Loop context only: from an interrupt, signal or other
// thread use ThreadSafeFlag (thread_safe_flag.hpp).
//
// Cost: set() O(waiters); wait() O(1). Cancel-safe: a cancelled wait() unlinks itself and changes nothing.
#pragma once
#include <coroutine>

#include "loop.hpp"

namespace weft {

class Event {
 public:
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() { waiters_.fire_all(Errc::closed); }  // waiters of a destroyed event learn it is gone

  void set() {
    set_ = true;
    if (!waiters_.empty()) waiters_.fire_all(Errc::ok);
  }
  void clear() { set_ = false; }
  [[nodiscard]] bool is_set() const { return set_; }

  struct Awaiter {
    Event& e;
    WaitNode node{&unlink};
    explicit Awaiter(Event& ev) : e(ev) {}
    Awaiter(Awaiter&&) = default;         // before it is awaited (wait_for moves it in)
    [[gnu::always_inline]] ~Awaiter() {}  // inlined: a fired node (the usual case) has nothing to undo
    [[nodiscard]] bool await_ready() const noexcept { return e.set_; }
    bool await_suspend(std::coroutine_handle<> h) {
      if (!Loop::current().begin_wait(h, node)) return false;
      node.context = &e;
      e.waiters_.push_back(node);
      return true;
    }
    Status await_resume() const { return node.result(); }
    static void unlink(WaitNode& n) { static_cast<Event*>(n.context)->waiters_.remove(n); }
  };
  // Status: ok once set; Errc::cancelled; Errc::closed if the Event is destroyed while waiting.
  [[nodiscard]] Awaiter wait() { return Awaiter(*this); }

 private:
  WaitList waiters_;
  bool set_ = false;
};

}  // namespace weft
