// Lock: a mutex for tasks (uasyncio's Lock). FIFO: the lock passes straight to the longest waiter on
// unlock, so no task starves.
//
//   weft::Result<weft::Lock::Guard> guard = co_await lock.acquire();   // unlocked when it goes out of scope
//
// acquire() gives Result<Lock::Guard>: the guard, or Errc::cancelled (the task was cancelled while waiting;
// it does not hold the lock). try_acquire() never waits (Errc::would_block). Loop context only.
#pragma once
#include <coroutine>
#include <utility>

#include "loop.hpp"

namespace weft {

class Lock {
 public:
  class [[nodiscard]] Guard {
   public:
    Guard() = default;
    explicit Guard(Lock* l) : lock_(l) {}
    Guard(Guard&& o) noexcept : lock_(std::exchange(o.lock_, nullptr)) {}
    Guard& operator=(Guard&& o) noexcept {
      if (this != &o) {
        unlock();
        lock_ = std::exchange(o.lock_, nullptr);
      }
      return *this;
    }
    ~Guard() { unlock(); }
    void unlock() {
      if (lock_ != nullptr) std::exchange(lock_, nullptr)->release();
    }
    [[nodiscard]] bool owns() const { return lock_ != nullptr; }

   private:
    Lock* lock_ = nullptr;
  };

  Lock() = default;
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  [[nodiscard]] bool locked() const { return locked_; }

  [[nodiscard]] Result<Guard> try_acquire() {
    if (locked_) return Errc::would_block;
    locked_ = true;
    return Guard(this);
  }

  struct Awaiter {
    Lock& l;
    WaitNode node{&unlink};
    bool queued = false;
    bool taken = false;
    Awaiter(Lock& lock) : l(lock) {}  // NOLINT(google-explicit-constructor)
    Awaiter(Awaiter&& o) noexcept = default;
    Awaiter& operator=(Awaiter&&) = delete;
    // The lock was handed to this waiter but its task ended before taking it: pass it on, never leak it.
    ~Awaiter() {
      if (queued && !taken && !node.pending() && !node.linked && node.result() == Errc::ok) l.release();
    }
    [[nodiscard]] bool await_ready() {
      if (l.locked_) return false;
      l.locked_ = true;
      node.context = &l;  // marks "acquired without waiting"
      return true;
    }
    bool await_suspend(std::coroutine_handle<> h) {
      if (!Loop::current().begin_wait(h, node)) return false;
      node.context = &l;
      l.waiters_.push_back(node);
      queued = true;
      return true;
    }
    Result<Guard> await_resume() {
      taken = true;
      if (node.result() != Errc::ok) return node.result();
      return Guard(&l);
    }
    static void unlink(WaitNode& n) { static_cast<Lock*>(n.context)->waiters_.remove(n); }
  };
  [[nodiscard]] Awaiter acquire() { return Awaiter{*this}; }

 private:
  void release() {
    // Hand-off: the lock stays locked and now belongs to the first waiter.
    if (WaitNode* w = waiters_.pop_front()) {
      w->fire(Errc::ok);
      return;
    }
    locked_ = false;
  }
  WaitList waiters_;
  bool locked_ = false;
};

}  // namespace weft
