#include "pwm.hpp"

#include "core/log.hpp"
#include "gpio.hpp"
#include "port.hpp"

namespace weft::machine {
namespace {
Status check_duty(int gpio, int d) {
  if (d >= 0 && d <= Pwm::kMaxDuty) return {};
  log_message(LogLevel::error, "PWM GPIO%d: duty %d out of range; use 0..1023 (10 bits)", gpio, d);
  return Errc::invalid_argument;
}
Status check_freq(int hz) {
  if (hz >= Pwm::kMinFreq && hz <= Pwm::kMaxFreq) return {};
  log_message(LogLevel::error, "PWM: frequency %d Hz out of range; the ESP8266 does 1..1000 Hz", hz);
  return Errc::invalid_argument;
}
}  // namespace

Result<Pwm> Pwm::open(int gpio, int freq_hz, int duty) {
  if (Status s = check_freq(freq_hz); !s) return s.error();
  Result<Pwm> p = open_keep_freq(gpio, duty);
  if (p) default_machine_port().pwm_set_freq(freq_hz);
  return p;
}

Result<Pwm> Pwm::open_keep_freq(int gpio, int duty) {
  if (Status s = check_gpio(gpio, "PWM"); !s) return s.error();
  if (!is_pwm_gpio(gpio)) {
    log_message(LogLevel::error, "PWM: GPIO%d cannot do PWM; use GPIO0, 2, 4, 5, 12, 13, 14 or 15", gpio);
    return Errc::invalid_argument;
  }
  if (Status s = check_duty(gpio, duty); !s) return s.error();
  default_machine_port().pwm_set_duty(gpio, duty);
  return Pwm(gpio);
}

int Pwm::duty() const {
  int d = default_machine_port().pwm_duty(gpio_);
  return d < 0 ? 0 : d;
}

Status Pwm::duty(int d) const {
  if (Status s = check_duty(gpio_, d); !s) return s;
  default_machine_port().pwm_set_duty(gpio_, d);
  return {};
}

int Pwm::freq() const {
  return default_machine_port().pwm_freq();
}

Status Pwm::freq(int hz) const {
  if (Status s = check_freq(hz); !s) return s;
  default_machine_port().pwm_set_freq(hz);
  return {};
}

void Pwm::deinit() const {
  default_machine_port().pwm_stop(gpio_);
}

}  // namespace weft::machine
