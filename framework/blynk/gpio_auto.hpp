// GpioAuto: pblynk's gpio_auto(pull) — the app's physical-pin widgets work with zero code. The server's `pm`
// (sent by local servers right after login for the pins the app uses) configures the GPIOs, and the app's
// `dw` / `dr` / `aw` / `ar` are served through framework/machine:
//
//   pm in / pu / pd   Pin input (`in` takes the pull given here, as pblynk applies its pull to every input)
//   pm out            Pin output;  dw -> level (an unconfigured pin becomes an output on its first dw)
//   pm pwm            PWM;         aw -> duty 0..1023 (an unconfigured PWM-capable pin starts PWM on its
//   first aw) dr                the pad level (an unconfigured pin becomes an input with the pull) ar on pin
//   17      the ADC (A0 is pin 17 in the Blynk app's ESP8266 profile, as in the Arduino core)
//
//   weft::blynk::GpioAuto gpio(blynk, weft::machine::Pull::up);   // pblynk: b.gpio_auto(machine.Pin.PULL_UP)
//
// Pins are chip GPIO numbers (GPIO14, not D5), as in pblynk. Pins the machine layer refuses (flash pins
// 6..11, GPIO17+, a pull the pin does not have, PWM on a pin that cannot) are logged by it and ignored here.
// A pin with a handler of its own (Session::add_digital_hw_pin) is served by that handler instead.
// Registers itself with the session (set_physical_pins) and unregisters when destroyed.
// (Constructor and overrides are inline: no key function, so the vtable is emitted where a GpioAuto is made.)
#pragma once
#include <array>
#include <cstdint>

#include "machine/gpio.hpp"
#include "machine/pin.hpp"
#include "physical_pins.hpp"

namespace weft::blynk {

class Session;

class GpioAuto final : public PhysicalPins {
 public:
  static constexpr int kAnalogPin = 17;  // "A0"

  explicit GpioAuto(Session& session, machine::Pull pull = machine::Pull::none)
      : session_(session), pull_(pull) {
    attach(this);
  }
  ~GpioAuto() { attach(nullptr); }
  GpioAuto(const GpioAuto&) = delete;
  GpioAuto& operator=(const GpioAuto&) = delete;

  Status pin_mode(std::uint8_t pin, PinMode mode) override { return configure(pin, mode); }
  Status digital_write(std::uint8_t pin, int level) override { return write_digital(pin, level); }
  Result<int> digital_read(std::uint8_t pin) override { return read_digital(pin); }
  Status analog_write(std::uint8_t pin, int value) override { return write_analog(pin, value); }
  Result<int> analog_read(std::uint8_t pin) override { return read_analog(pin); }

 private:
  enum class Use : std::uint8_t { none, input, output, pwm };
  void attach(PhysicalPins* pins);
  Status configure(std::uint8_t pin, PinMode mode);
  Status write_digital(std::uint8_t pin, int level);
  Result<int> read_digital(std::uint8_t pin);
  Status write_analog(std::uint8_t pin, int value);
  Result<int> read_analog(std::uint8_t pin);
  Status check(std::uint8_t pin, const char* op) const;
  Status open_input(std::uint8_t pin, machine::Pull pull);

  Session& session_;
  machine::Pull pull_;
  std::array<Use, machine::kGpioCount> use_{};
};

}  // namespace weft::blynk
