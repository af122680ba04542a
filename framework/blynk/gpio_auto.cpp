#include "gpio_auto.hpp"

#include "core/log.hpp"
#include "machine/adc.hpp"
#include "machine/port.hpp"
#include "machine/pwm.hpp"
#include "session.hpp"

namespace weft::blynk {

void GpioAuto::attach(PhysicalPins* pins) {
  session_.set_physical_pins(pins);
}

Status GpioAuto::check(std::uint8_t pin, const char* op) const {
  if (pin < machine::kGpioCount) return {};
  WEFT_LOG_WARN("Blynk: %s on pin %u: the ESP8266 has GPIO0..16 (and A0 = pin 17 for ar): ignored", op,
                static_cast<unsigned>(pin));
  return Errc::invalid_argument;
}

Status GpioAuto::open_input(std::uint8_t pin, machine::Pull pull) {
  Result<machine::Pin> p = machine::Pin::open(pin, machine::PinMode::in, pull);
  if (!p) return p.error();
  use_[pin] = Use::input;
  return {};
}

Status GpioAuto::configure(std::uint8_t pin, PinMode mode) {
  if (pin == kAnalogPin && (mode == PinMode::input)) return {};  // A0 needs no configuration
  if (Status s = check(pin, "pm"); !s) return s;
  switch (mode) {
    case PinMode::input:
      return open_input(pin, pull_);
    case PinMode::input_pullup:
      return open_input(pin, machine::Pull::up);
    case PinMode::input_pulldown:
      return open_input(pin, machine::Pull::down);
    case PinMode::output: {
      Result<machine::Pin> p = machine::Pin::open(pin, machine::PinMode::out);
      if (!p) return p.error();
      use_[pin] = Use::output;
      return {};
    }
    case PinMode::pwm: {
      Result<machine::Pwm> p = machine::Pwm::open_keep_freq(pin, 0);
      if (!p) return p.error();
      use_[pin] = Use::pwm;
      return {};
    }
  }
  return Errc::invalid_argument;
}

Status GpioAuto::write_digital(std::uint8_t pin, int level) {
  if (Status s = check(pin, "dw"); !s) return s;
  const int l = level != 0 ? 1 : 0;
  if (use_[pin] == Use::output) {
    machine::default_machine_port().pin_write(pin, l);  // validated when it was opened
    return {};
  }
  Result<machine::Pin> p = machine::Pin::open(pin, machine::PinMode::out, machine::Pull::none, l);
  if (!p) return p.error();
  use_[pin] = Use::output;
  return {};
}

Result<int> GpioAuto::read_digital(std::uint8_t pin) {
  if (Status s = check(pin, "dr"); !s) return s.error();
  if (use_[pin] == Use::none) {
    if (Status s = open_input(pin, pull_); !s) return s.error();
  }
  return machine::default_machine_port().pin_read(pin);  // the pad level, whatever the pin's use
}

Status GpioAuto::write_analog(std::uint8_t pin, int value) {
  if (Status s = check(pin, "aw"); !s) return s;
  Result<machine::Pwm> p = machine::Pwm::open_keep_freq(pin, value);
  if (!p) return p.error();
  use_[pin] = Use::pwm;
  return {};
}

Result<int> GpioAuto::read_analog(std::uint8_t pin) {
  if (pin != kAnalogPin) {
    WEFT_LOG_WARN("Blynk: ar on pin %u: the ESP8266's only analog input is A0 (pin 17): ignored",
                  static_cast<unsigned>(pin));
    return Errc::invalid_argument;
  }
  Result<machine::Adc> adc = machine::Adc::open(0);
  if (!adc) return adc.error();
  return adc->read();
}

}  // namespace weft::blynk
