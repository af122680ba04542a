// Pin: one GPIO as a digital input or output (MicroPython's machine.Pin on the ESP8266).
//
//   auto led = weft::machine::Pin::open(2, PinMode::out);            // Result<Pin>
//   if (led) led->off();                                               // NodeMCU D4: the LED is lit when low
//   auto button = weft::machine::Pin::open(nodemcu::D5, PinMode::in, Pull::up);
//   int pressed = button->value() == 0;
//
// A Pin is a small value (the GPIO number): copy it freely. The configuration lives in the chip (or the
// simulated board), so two Pins for one GPIO see and drive the same pad; opening a pin reconfigures it (and
// takes it away from a PWM channel). Edge interrupts: pin_irq.hpp. Numbers and labels: gpio.hpp.
//
// Modes: in; out (push-pull); open_drain (drives low, releases for high: value(1) lets the pull or the
// outside decide the level). Pulls: up on GPIO0..15; down on GPIO16 only (the ESP8266 has no other).
// value() reads the pad, also for outputs. All calls are O(1) register accesses; none waits.
#pragma once
#include <cstdint>

#include "core/result.hpp"

namespace weft::machine {

enum class PinMode : std::uint8_t { in, out, open_drain };
enum class Pull : std::uint8_t { none, up, down };

class Pin {
 public:
  // Configures `gpio`. For outputs, `initial` (0 or 1) is written before the pad starts driving, so it does
  // not glitch. Errc::invalid_argument (logged, saying what is allowed): no such GPIO, a flash pin (6..11),
  // a pull the pin does not have, `initial` not 0/1.
  [[nodiscard]] static Result<Pin> open(int gpio, PinMode mode, Pull pull = Pull::none, int initial = 0);

  [[nodiscard]] int gpio() const { return gpio_; }
  // The pad level, 0 or 1.
  [[nodiscard]] int value() const;
  // Sets the output latch: 0 drives low; anything else drives high (released, for open_drain).
  void value(int level) const;
  void on() const { value(1); }
  void off() const { value(0); }
  void toggle() const;

 private:
  explicit Pin(int gpio) : gpio_(gpio) {}
  int gpio_;
};

}  // namespace weft::machine
