// The machine port: what a board supplies for framework/machine. Declared here, defined by the board linked
// into the program (board/linux/sim simulates them; a real ESP8266 board maps them onto the SDK/registers).
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

namespace weft::machine::port {

// --- GPIO ---
void pin_configure(int gpio, PinMode mode, Pull pull, int initial);
[[nodiscard]] int pin_read(int gpio);  // the pad level, 0 or 1
void pin_write(int gpio, int level);   // the output latch, 0 or 1
// From now on the board calls PinIrq::raise(gpio) (any context) for every matching edge of the pad.
void pin_irq_enable(int gpio, Edge edge);
void pin_irq_disable(int gpio);

// --- PWM (ESP8266: one frequency for every channel) ---
void pwm_set_freq(int hz);
[[nodiscard]] int pwm_freq();
void pwm_set_duty(int gpio, int duty);  // starts PWM on the pin if it is not running
[[nodiscard]] int pwm_duty(int gpio);   // -1 when PWM is not running on the pin
void pwm_stop(int gpio);

// --- ADC (A0, 10 bits) ---
[[nodiscard]] int adc_read();  // 0..1023

// --- Power ---
[[nodiscard]] ResetCause reset_cause();
// Starts powering down: deep sleep for `duration` (kForever: until the RST pin), or a software reset. Returns
// to the caller, which suspends for good; the board ends the running boot soon after (the ESP8266 SDK also
// sleeps "a moment later"). The simulated board reboots the program as the chip would.
void power_down(PowerDown kind, Micros duration);
// The RTC user memory (kRtcRawBytes), which survives deep sleep and resets but not power loss.
inline constexpr std::size_t kRtcRawBytes = 512;
void rtc_memory_read(std::size_t offset, std::uint8_t* out, std::size_t n);
void rtc_memory_write(std::size_t offset, const std::uint8_t* data, std::size_t n);

// --- Watchdog ---
void watchdog_start(Micros timeout);
void watchdog_feed();

}  // namespace weft::machine::port
