#include "pin.hpp"

#include "core/log.hpp"
#include "gpio.hpp"
#include "port.hpp"

namespace weft::machine {

Result<Pin> Pin::open(int gpio, PinMode mode, Pull pull, int initial) {
  if (Status s = check_gpio(gpio, "Pin"); !s) return s.error();
  if (pull == Pull::up && gpio == 16) {
    log_message(LogLevel::error,
                "Pin: GPIO16 has no pull-up (only Pull::down); GPIO0..15 have only Pull::up");
    return Errc::invalid_argument;
  }
  if (pull == Pull::down && gpio != 16) {
    log_message(LogLevel::error,
                "Pin: GPIO%d has no pull-down; only GPIO16 (D0) has one (use Pull::up or none)", gpio);
    return Errc::invalid_argument;
  }
  if (initial != 0 && initial != 1) {
    log_message(LogLevel::error, "Pin: GPIO%d initial level %d; use 0 or 1", gpio, initial);
    return Errc::invalid_argument;
  }
  default_machine_port().pin_configure(gpio, mode, pull, initial);
  return Pin(gpio);
}

int Pin::value() const {
  return default_machine_port().pin_read(gpio_);
}
void Pin::value(int level) const {
  default_machine_port().pin_write(gpio_, level != 0 ? 1 : 0);
}
void Pin::toggle() const {
  default_machine_port().pin_write(gpio_, default_machine_port().pin_read(gpio_) != 0 ? 0 : 1);
}

}  // namespace weft::machine
