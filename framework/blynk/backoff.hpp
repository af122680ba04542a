// Backoff: how long to wait before the next connection attempt. Exponential (min, 2 min, 4 min, ... capped at
// max) with "equal jitter": each delay is drawn from [d/2, d], so a fleet of devices that lost the server
// together does not come back in lockstep, yet never retries sooner than half the nominal delay.
// A small xorshift generator (no <random>, no heap); deterministic for a given seed. O(1).
// REDIRECT counts too: the first kRedirectsAtOnce redirects since the last login are followed at once (a
// server handing the device to another), any further one is a failure like any other, so a server that
// redirects every login (to itself, or in a circle) gets the backed-off rate, not a connection per RTT.
#pragma once
#include <cstdint>

#include "core/time.hpp"

namespace weft::blynk {

class Backoff {
 public:
  Backoff(Micros min, Micros max, std::uint32_t seed) : min_(min), max_(max), state_(seed != 0 ? seed : 1) {}

  // The nominal (unjittered) delay of the next attempt.
  [[nodiscard]] Micros nominal() const {
    Micros d = min_;
    for (std::uint32_t i = 0; i < failures_ && d < max_; ++i)
      d *= 2;
    return d < max_ ? d : max_;
  }
  // The delay before the next attempt, and counts the failure.
  Micros next_delay() {
    const Micros d = nominal();
    ++failures_;
    const auto half = static_cast<std::uint64_t>(d / 2);
    return d - static_cast<Micros>(random() % (half + 1));
  }
  [[nodiscard]] std::uint32_t failures() const { return failures_; }
  // Counts a REDIRECT: true when it may be followed at once, false when the caller must back off
  // (next_delay()).
  static constexpr std::uint32_t kRedirectsAtOnce = 2;
  [[nodiscard]] bool follow_redirect_at_once() { return ++redirects_ <= kRedirectsAtOnce; }
  // A login succeeded: the delays and the redirect count start over.
  void reset() {
    failures_ = 0;
    redirects_ = 0;
  }

 private:
  std::uint32_t random() {  // xorshift32
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }

  Micros min_;
  Micros max_;
  std::uint32_t state_;
  std::uint32_t failures_ = 0;
  std::uint32_t redirects_ = 0;  // since the last reset()
};

}  // namespace weft::blynk
