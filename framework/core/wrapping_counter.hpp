// Extends a free-running 32-bit hardware counter (ESP8266 CCOUNT, a 32-bit micros()) to 64 bits.
// The counter must be sampled at least once per wrap period (53.7 s for CCOUNT at 80 MHz, 71.6 min for a
// 32-bit microsecond counter); the loop samples it on every pass and every idle wake, and a board arms its idle
// timer no further out than half a wrap, so no wrap is ever missed.
// Not reentrant: call it from one context (the loop), never from an interrupt.
#pragma once
#include <cstdint>

namespace weft {

class WrappingCounter {
 public:
  // Returns the 64-bit count for a new 32-bit sample; unsigned subtraction makes a wrap look like a small step.
  [[nodiscard]] std::uint64_t extend(std::uint32_t sample) {
    total_ += static_cast<std::uint32_t>(sample - last_);
    last_ = sample;
    return total_;
  }
  // Starts counting from `sample` as zero (boot).
  void reset(std::uint32_t sample) {
    last_ = sample;
    total_ = 0;
  }

 private:
  std::uint32_t last_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace weft
