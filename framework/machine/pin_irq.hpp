// PinIrq: edge interrupts of one GPIO, awaited by a task (MicroPython's Pin.irq, without a callback in
// interrupt context).
//
//   weft::machine::PinIrq button;                                   // after the Loop exists
//   if (!button.enable(*pin, Edge::falling)) ...                    // a press pulls the pin low
//   for (;;) { co_await button.wait(); handle(button.take_count()); }
//
// On an edge the board's interrupt handler only bumps an atomic counter and sets a ThreadSafeFlag
// (thread_safe_flag.hpp): it never touches the loop's queues. The waiting task wakes on the loop's next pass.
// Edges that come while nobody waits are latched: the next wait() returns at once (several count once;
// take_count() says how many there were). No debouncing: a bouncing contact gives several edges.
//
// One PinIrq per GPIO at a time; GPIO16 has no interrupts on the ESP8266. Destroying the PinIrq (or
// disable()) stops the interrupt. A PinIrq must outlive the waits on it (keep it in the waiting task's
// frame).
#pragma once
#include <atomic>
#include <cstdint>

#include "core/thread_safe_flag.hpp"
#include "pin.hpp"

namespace weft::machine {

enum class Edge : std::uint8_t { rising = 1, falling = 2, both = 3 };

class PinIrq {
 public:
  explicit PinIrq(Loop& loop = Loop::current()) : flag_(loop) {}
  ~PinIrq() { disable(); }
  PinIrq(const PinIrq&) = delete;
  PinIrq& operator=(const PinIrq&) = delete;

  // Starts delivering `edge`s of `pin` (re-enabling moves the PinIrq to the new pin/edge; stale edges are
  // dropped). Errors, logged: Errc::invalid_argument (GPIO16 has no interrupts), Errc::busy (another
  // PinIrq already watches that GPIO).
  Status enable(const Pin& pin, Edge edge);
  // Stops the interrupt; latched edges are dropped. No-op when not enabled.
  void disable();
  [[nodiscard]] bool enabled() const { return gpio_ >= 0; }
  [[nodiscard]] int gpio() const { return gpio_; }

  struct Awaiter {
    ThreadSafeFlag::Awaiter inner;
    Errc early;
    [[nodiscard]] bool await_ready() { return early != Errc::ok || inner.await_ready(); }
    bool await_suspend(std::coroutine_handle<> h) { return inner.await_suspend(h); }
    Status await_resume() const { return early != Errc::ok ? Status{early} : inner.await_resume(); }
  };
  // Waits until at least one edge happened since the previous wait (at once if one is latched).
  // Status: ok; Errc::invalid_argument when not enabled (logged); Errc::busy when another task already waits;
  // Errc::cancelled. Cancel-safe: a cancelled wait consumes no edge.
  [[nodiscard]] Awaiter wait();
  // Edges counted since the previous call (any context; wraps at 2^32).
  std::uint32_t take_count() { return count_.exchange(0, std::memory_order_relaxed); }

  // Board side: an edge on `gpio` (any context, including an interrupt handler). Ignored when no PinIrq
  // watches it.
  static void raise(int gpio);

 private:
  ThreadSafeFlag flag_;
  std::atomic<std::uint32_t> count_{0};
  int gpio_ = -1;
};

}  // namespace weft::machine
