// Queue<T, N>: a bounded FIFO between tasks (uasyncio's Queue), storage inline, no allocation.
//
//   weft::Queue<Reading, 8> q;
//   q.try_put(r);                       // Status: ok or Errc::would_block (full); never waits
//   co_await q.put(r);                  // waits while full
//   weft::Result<Reading> r = co_await q.get();   // waits while empty
//
// Hand-off: a put() with a getter waiting gives the item straight to that getter; a get() with a putter
// waiting moves that putter's item in. Waiters are served FIFO. Loop context only.
// Cancel-safety: a cancelled get() received nothing and the item stays in the queue for the next getter;
// a cancelled put() did not enqueue its item. An item handed to a getter whose task is then destroyed before
// it resumes is put back at the front of the queue, so nothing is lost.
#pragma once
#include <array>
#include <coroutine>
#include <cstddef>
#include <optional>
#include <utility>

#include "log.hpp"
#include "loop.hpp"

namespace weft {

template <typename T, std::size_t N>
class Queue {
  static_assert(N > 0, "a Queue needs room for at least one item");

 public:
  Queue() = default;
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;
  ~Queue() {
    getters_.fire_all(Errc::closed);
    putters_.fire_all(Errc::closed);
  }

  [[nodiscard]] std::size_t size() const { return count_; }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] bool full() const { return count_ == N; }
  static constexpr std::size_t capacity() { return N; }

  Status try_put(T item) {
    if (WaitNode* g = getters_.pop_front()) {
      static_cast<GetAwaiter*>(g->context)->slot.emplace(std::move(item));
      g->fire(Errc::ok);
      return {};
    }
    if (count_ == N) return Errc::would_block;
    push_back(std::move(item));
    return {};
  }

  [[nodiscard]] Result<T> try_get() {
    if (count_ == 0) return Errc::would_block;
    T item = pop_front();
    admit_putter();
    return item;
  }

  struct PutAwaiter {
    Queue& q;
    std::optional<T> item;
    WaitNode node{&unlink};
    PutAwaiter(Queue& queue, T&& v) : q(queue), item(std::move(v)) {}
    PutAwaiter(PutAwaiter&& o) noexcept
        : q(o.q), item(std::exchange(o.item, std::nullopt)), node(std::move(o.node)) {}
    PutAwaiter& operator=(PutAwaiter&&) = delete;
    [[gnu::always_inline]] ~PutAwaiter() {}  // inlined: the item (if still here) and the node end in place
    [[nodiscard]] bool await_ready() {
      if (q.try_put(std::move(*item)).ok()) {
        item.reset();
        return true;
      }
      return false;
    }
    bool await_suspend(std::coroutine_handle<> h) {
      if (!Loop::current().begin_wait(h, node)) return false;
      node.context = this;
      q.putters_.push_back(node);
      return true;
    }
    Status await_resume() const { return node.result(); }
    static void unlink(WaitNode& n) { static_cast<PutAwaiter*>(n.context)->q.putters_.remove(n); }
  };

  struct GetAwaiter {
    Queue& q;
    std::optional<T> slot;
    WaitNode node{&unlink};
    bool taken = false;
    explicit GetAwaiter(Queue& queue) : q(queue) {}
    GetAwaiter(GetAwaiter&& o) noexcept
        : q(o.q), slot(std::exchange(o.slot, std::nullopt)), node(std::move(o.node)), taken(o.taken) {}
    GetAwaiter& operator=(GetAwaiter&&) = delete;
    [[gnu::always_inline]] ~GetAwaiter() {
      if (slot && !taken) [[unlikely]]
        give_back();
    }
    [[gnu::noinline]] void give_back() { q.push_front(std::move(*slot)); }  // handed over, never taken
    [[nodiscard]] bool await_ready() {
      if (q.count_ == 0) return false;
      slot.emplace(q.pop_front());
      q.admit_putter();
      return true;
    }
    bool await_suspend(std::coroutine_handle<> h) {
      if (!Loop::current().begin_wait(h, node)) return false;
      node.context = this;
      q.getters_.push_back(node);
      return true;
    }
    Result<T> await_resume() {
      taken = true;
      if (!slot) return node.result() != Errc::ok ? node.result() : Errc::closed;
      return std::move(*slot);
    }
    static void unlink(WaitNode& n) { static_cast<GetAwaiter*>(n.context)->q.getters_.remove(n); }
  };

  // Status: ok, Errc::cancelled (not enqueued), Errc::closed (queue destroyed).
  [[nodiscard]] PutAwaiter put(T item) { return PutAwaiter(*this, std::move(item)); }
  // Result<T>: the item, Errc::cancelled (nothing taken), Errc::closed (queue destroyed).
  [[nodiscard]] GetAwaiter get() { return GetAwaiter(*this); }

 private:
  void push_back(T&& item) {
    slots_[(head_ + count_) % N].emplace(std::move(item));
    ++count_;
  }
  void push_front(T&& item) {
    if (count_ == N) {
      log_message(LogLevel::error,
                  "queue: an item handed to a task that ended before taking it was dropped "
                  "(the queue had filled up meanwhile)");
      return;
    }
    head_ = (head_ + N - 1) % N;
    slots_[head_].emplace(std::move(item));
    ++count_;
  }
  T pop_front() {
    T item = std::move(*slots_[head_]);
    slots_[head_].reset();
    head_ = (head_ + 1) % N;
    --count_;
    return item;
  }
  // A slot freed: move the first waiting putter's item in.
  void admit_putter() {
    if (count_ == N) return;
    if (WaitNode* p = putters_.pop_front()) {
      auto* pa = static_cast<PutAwaiter*>(p->context);
      push_back(std::move(*pa->item));
      pa->item.reset();
      p->fire(Errc::ok);
    }
  }

  std::array<std::optional<T>, N> slots_{};
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  WaitList getters_;
  WaitList putters_;
};

}  // namespace weft
