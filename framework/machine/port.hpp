// The machine port: what a board supplies for framework/machine. A board implements MachinePort and defines
// weft::machine::default_machine_port() (board/linux/sim simulates the pads; board/esp8266 maps them onto the
// SDK and the registers).
//
// The framework validates every argument before calling these (GPIO exists, not a flash pin, ranges), logs
// the clear error itself, and keeps one copy of the ESP8266 rules; a port only does the work. All functions
// are called in loop context unless said otherwise; none waits.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/time.hpp"
#include "pin.hpp"
#include "pin_irq.hpp"
#include "power.hpp"

namespace weft::machine {

class MachinePort {
 public:
  // The RTC user memory (kRtcRawBytes), which survives deep sleep and resets but not power loss.
  static constexpr std::size_t kRtcRawBytes = 512;

  // --- GPIO ---
  virtual void pin_configure(int gpio, PinMode mode, Pull pull, int initial) = 0;
  [[nodiscard]] virtual int pin_read(int gpio) = 0;  // the pad level, 0 or 1
  virtual void pin_write(int gpio, int level) = 0;   // the output latch, 0 or 1
  // From now on the board calls PinIrq::raise(gpio) (any context) for every matching edge of the pad.
  virtual void pin_irq_enable(int gpio, Edge edge) = 0;
  virtual void pin_irq_disable(int gpio) = 0;

  // --- PWM (ESP8266: one frequency for every channel) ---
  virtual void pwm_set_freq(int hz) = 0;
  [[nodiscard]] virtual int pwm_freq() = 0;
  virtual void pwm_set_duty(int gpio, int duty) = 0;  // starts PWM on the pin if it is not running
  [[nodiscard]] virtual int pwm_duty(int gpio) = 0;   // -1 when PWM is not running on the pin
  virtual void pwm_stop(int gpio) = 0;

  // --- ADC (A0, 10 bits) ---
  [[nodiscard]] virtual int adc_read() = 0;  // 0..1023

  // --- Power ---
  [[nodiscard]] virtual ResetCause reset_cause() = 0;
  // Starts powering down: deep sleep for `duration` (kForever: until the RST pin), or a software reset.
  // Returns to the caller, which suspends for good; the board ends the running boot soon after (the ESP8266
  // SDK also sleeps "a moment later"). The simulated board reboots the program as the chip would.
  virtual void power_down(PowerDown kind, Micros duration) = 0;
  // Bytes past kRtcRawBytes are neither read nor written.
  virtual void rtc_memory_read(std::size_t offset, std::uint8_t* out, std::size_t n) = 0;
  virtual void rtc_memory_write(std::size_t offset, const std::uint8_t* data, std::size_t n) = 0;

  // --- Watchdog ---
  virtual void watchdog_start(Micros timeout) = 0;
  virtual void watchdog_feed() = 0;

 protected:
  MachinePort() = default;
  ~MachinePort() = default;
  MachinePort(const MachinePort&) = delete;
  MachinePort& operator=(const MachinePort&) = delete;
};

// Defined by the board linked into the program: the machine Pin, Pwm, Adc, power and Watchdog act on.
[[nodiscard]] MachinePort& default_machine_port();

}  // namespace weft::machine
