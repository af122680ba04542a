// Sleeping: sleep_ms, sleep_us, sleep_until (uasyncio's sleep/sleep_ms) and yield() (loop.hpp).
//
//   co_await weft::sleep_ms(1000);
//
// A sleep arms one timer (O(log n)); sleep_ms(0) and a deadline already past are a yield (a ready-queue
// push, no timer). The await returns Status: ok, Errc::cancelled (the task was cancelled: the timer is
// disarmed), or Errc::invalid_argument for a negative or absurd (> 100 years) duration, logged, without
// waiting. Cancel-safe: a cancelled sleep has no effect besides returning early.
#pragma once
#include <coroutine>

#include "log.hpp"
#include "loop.hpp"

namespace weft {

class SleepAwaiter : WaitNode, TimerNode {
 public:
  // Sleeps `d` from the loop's time at suspension (or until `deadline` if absolute); `early` != ok completes at
  // once with that error.
  static SleepAwaiter relative(Micros d) { return SleepAwaiter(d, false, Errc::ok); }
  static SleepAwaiter absolute(Micros deadline) { return SleepAwaiter(deadline, true, Errc::ok); }
  static SleepAwaiter failed(Errc e) { return SleepAwaiter(0, true, e); }

  [[nodiscard]] bool await_ready() const noexcept { return early_ != Errc::ok; }
  bool await_suspend(std::coroutine_handle<> h) {
    Loop& loop = Loop::current();
    if (!loop.begin_wait(h, *this)) return false;
    Micros now = loop.now_for_deadline();
    Micros deadline = absolute_ ? when_ : deadline_after(now, when_);
    if (deadline <= now) {
      // Already due: a yield. The wait completes now (the task keeps its place in the ready list, like a
      // yield: a task with a wait still pending when its slice ends would leave it).
      fire_inline(Errc::ok);
      return true;
    }
    loop.timers().insert(*this, deadline);
    linked = true;
    return true;
  }
  Status await_resume() const { return early_ != Errc::ok ? early_ : result(); }
  SleepAwaiter(SleepAwaiter&&) = default;            // before it is awaited (wait_for takes it by value)
  [[gnu::always_inline]] ~SleepAwaiter() = default;  // inline: a fired sleep has nothing to undo

 private:
  SleepAwaiter(Micros when, bool absolute, Errc early)
      : WaitNode(&unlink), TimerNode(&expire), when_(when), early_(early), absolute_(absolute) {}
  static void unlink(WaitNode& n) { Loop::current().timers().remove(static_cast<SleepAwaiter&>(n)); }
  static void expire(TimerNode& t) {
    auto& self = static_cast<SleepAwaiter&>(t);
    self.linked = false;
    self.fire_inline(Errc::ok);
  }
  Micros when_;
  Errc early_;
  bool absolute_;
};

namespace detail {
inline SleepAwaiter reject_duration(const char* what, long long value) {
  log_message(LogLevel::error, "%s(%lld): duration out of range (0 .. 100 years); not sleeping", what, value);
  return SleepAwaiter::failed(Errc::invalid_argument);
}
}  // namespace detail

// Sleeps `n` milliseconds, measured from the loop's time when the task suspends.
[[nodiscard]] inline SleepAwaiter sleep_ms(std::int64_t n) {
  Micros d = 0;
  if (!ms_to_micros(n, d)) return detail::reject_duration("sleep_ms", n);
  return SleepAwaiter::relative(d);
}
// Sleeps `n` microseconds.
[[nodiscard]] inline SleepAwaiter sleep_us(Micros n) {
  if (n < 0 || n > kMaxDuration) return detail::reject_duration("sleep_us", n);
  return SleepAwaiter::relative(n);
}
// Sleeps until the loop's clock reaches `deadline` (a past deadline yields once).
[[nodiscard]] inline SleepAwaiter sleep_until(Micros deadline) {
  return SleepAwaiter::absolute(deadline);
}

}  // namespace weft
