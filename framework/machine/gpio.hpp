// GPIO numbers of the ESP8266, and the NodeMCU board labels printed next to them.
//
// weft's machine API takes chip GPIO numbers (as MicroPython's Pin(14) does), never board labels: D5 on a
// NodeMCU is GPIO14. The label table below converts; seed 000's note about D0..D8 is the reason it exists.
//
//   GPIO 0..16 exist. GPIO 6..11 drive the SPI flash the firmware runs from: touching them crashes the chip,
//   so every machine function rejects them. GPIO16 lives in the RTC domain: no interrupts, no PWM, and its
//   only pull is a pull-down.
#pragma once
#include <string_view>

#include "core/result.hpp"

namespace weft::machine {

inline constexpr int kGpioCount = 17;  // GPIO0 .. GPIO16

[[nodiscard]] constexpr bool is_flash_gpio(int gpio) {
  return gpio >= 6 && gpio <= 11;
}
[[nodiscard]] constexpr bool is_usable_gpio(int gpio) {
  return gpio >= 0 && gpio < kGpioCount && !is_flash_gpio(gpio);
}

// Checks a GPIO number for `what` (e.g. "Pin", "PWM"): Errc::invalid_argument, logged with the allowed
// numbers, when it does not exist or is a flash pin.
[[nodiscard]] Status check_gpio(int gpio, const char* what);

// NodeMCU (and Wemos D1 mini) labels -> chip GPIO numbers.
namespace nodemcu {
inline constexpr int D0 = 16;
inline constexpr int D1 = 5;
inline constexpr int D2 = 4;
inline constexpr int D3 = 0;
inline constexpr int D4 = 2;  // the on-board LED of most modules (lit when low)
inline constexpr int D5 = 14;
inline constexpr int D6 = 12;
inline constexpr int D7 = 13;
inline constexpr int D8 = 15;
inline constexpr int RX = 3;
inline constexpr int TX = 1;
}  // namespace nodemcu

// "D5" -> 14, "GPIO14" -> 14, "14" -> 14 (case-insensitive). Errc::invalid_argument for anything else,
// including flash pins (not logged: the caller knows what it was parsing).
[[nodiscard]] Result<int> parse_gpio(std::string_view text);

// The NodeMCU label of a GPIO ("D5" for 14), or nullptr when the board has none.
[[nodiscard]] const char* nodemcu_label(int gpio);

}  // namespace weft::machine
