// A virtual clock for simulation and tests. When the loop idles (every task waits on time only), time jumps
// straight to the next deadline: 24 hours of firmware behaviour run in milliseconds, deterministically.
// advance()/set_now() let a test step time by hand. No I/O: a loop on it has no IoPoller, so when nothing is
// ready and nothing is due it reports Errc::deadlock. Single-threaded except wake(), which is atomic.
#pragma once
#include <atomic>

#include "clock_port.hpp"

namespace weft {

class VirtualClock final : public ClockPort {
 public:
  explicit VirtualClock(Micros start = 0) : now_(start) {}

  [[nodiscard]] Micros now() override { return now_; }
  void wait_until(Micros deadline) override {
    // Load then store, not an exchange (a library call on CPUs without atomic read-modify-write, the lx106):
    // a wake() in between finds the flag already set, and this return serves both.
    if (woken_.load()) [[unlikely]] {
      woken_.store(false);
      return;
    }
    if (deadline != kForever && deadline > now_) now_ = deadline;
  }
  void wake() override { woken_.store(true); }
  [[nodiscard]] bool is_virtual() const override { return true; }

  void advance(Micros d) { now_ += d; }
  void set_now(Micros t) { now_ = t; }

 private:
  Micros now_;
  std::atomic<bool> woken_{false};
};

}  // namespace weft
