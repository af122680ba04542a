// PhysicalPins: what serves the app's physical-pin operations (`pm`, `dw`, `dr`, `aw`, `ar`) when no handler
// of the user's claims the pin. GpioAuto (gpio_auto.hpp) implements it with framework/machine; tests
// implement it with a fake. The session calls it in loop context, from its reader; nothing may wait.
#pragma once
#include <cstdint>

#include "core/result.hpp"
#include "hardware.hpp"

namespace weft::blynk {

class PhysicalPins {
 public:
  // `pm`: the app uses `pin` in this mode (a legacy server sends these right after login).
  virtual Status pin_mode(std::uint8_t pin, PinMode mode) = 0;
  virtual Status digital_write(std::uint8_t pin, int level) = 0;
  virtual Result<int> digital_read(std::uint8_t pin) = 0;
  virtual Status analog_write(std::uint8_t pin, int value) = 0;
  virtual Result<int> analog_read(std::uint8_t pin) = 0;

 protected:
  PhysicalPins() = default;
  ~PhysicalPins() = default;
  PhysicalPins(const PhysicalPins&) = default;
  PhysicalPins& operator=(const PhysicalPins&) = default;
};

}  // namespace weft::blynk
