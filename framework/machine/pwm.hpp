// Pwm: a PWM output on one GPIO (MicroPython's machine.PWM on the ESP8266).
//
//   auto led = weft::machine::Pwm::open(5, 1000);     // Result<Pwm>: GPIO5 at 1 kHz, duty 0
//   led->duty(512);                                    // half brightness
//
// ESP8266 rules, checked here with a logged Errc::invalid_argument that says what is allowed:
//   - pins 0, 2, 4, 5, 12, 13, 14, 15 (not 1/3, the UART, nor 16);
//   - duty 0..1023 (10 bits); frequency 1..1000 Hz, and ONE frequency for every channel: setting it on one
//     Pwm changes them all (the chip has a single PWM timer).
// A Pwm is a small value (the GPIO number). The output keeps running when the value is dropped; deinit()
// stops it (the pad then floats as an input). Pin::open on the same GPIO also stops it. Nothing waits.
#pragma once
#include "core/result.hpp"

namespace weft::machine {

class Pwm {
 public:
  static constexpr int kMaxDuty = 1023;
  static constexpr int kMinFreq = 1;
  static constexpr int kMaxFreq = 1000;
  static constexpr int kDefaultFreq = 1000;

  // Starts PWM on `gpio` with `duty`, and sets the shared frequency to `freq_hz`.
  [[nodiscard]] static Result<Pwm> open(int gpio, int freq_hz = kDefaultFreq, int duty = 0);
  // Drives `gpio` with PWM at the current shared frequency, leaving the other channels alone.
  [[nodiscard]] static Result<Pwm> open_keep_freq(int gpio, int duty = 0);

  [[nodiscard]] int gpio() const { return gpio_; }
  // 0..1023; 0 after deinit().
  [[nodiscard]] int duty() const;
  Status duty(int d) const;
  [[nodiscard]] int freq() const;
  Status freq(int hz) const;
  void deinit() const;

 private:
  explicit Pwm(int gpio) : gpio_(gpio) {}
  int gpio_;
};

// True for the GPIOs the ESP8266 can drive with PWM.
[[nodiscard]] constexpr bool is_pwm_gpio(int gpio) {
  return gpio == 0 || gpio == 2 || gpio == 4 || gpio == 5 || (gpio >= 12 && gpio <= 15);
}

}  // namespace weft::machine
