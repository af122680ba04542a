// RateLimiter: at most `burst` messages back to back, one per `interval` on average (the generic cell rate
// algorithm: one number, the theoretical arrival time). In any window of length T at most
// burst + T / interval messages pass: with 125 ms and 2, at most 10 in any second — under Blynk IoT's
// ~10 values/s flood limit. interval 0 = unlimited. O(1), no clock of its own: the caller passes now.
#pragma once
#include <cstdint>

#include "core/time.hpp"

namespace weft::blynk {

class RateLimiter {
 public:
  RateLimiter(Micros interval, std::uint8_t burst)
      : interval_(interval), tolerance_(interval * (burst - 1)) {}

  // The earliest time a message may go (<= now: it may go now).
  [[nodiscard]] Micros next_allowed() const { return tat_ - tolerance_; }
  [[nodiscard]] bool allows(Micros now) const { return interval_ == 0 || next_allowed() <= now; }
  // Records one message sent at `now` (call only when allows(now)).
  void take(Micros now) {
    if (interval_ == 0) return;
    tat_ = (tat_ > now ? tat_ : now) + interval_;
  }
  // Forgets the history (a fresh connection starts with a full burst).
  void reset() { tat_ = kNever; }

 private:
  static constexpr Micros kNever = INT64_MIN / 2;
  Micros interval_;
  Micros tolerance_;
  Micros tat_ = kNever;
};

}  // namespace weft::blynk
