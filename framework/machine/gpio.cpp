#include "gpio.hpp"

#include "core/log.hpp"

namespace weft::machine {
namespace {
// Index: Dn; value: GPIO.
constexpr int kLabels[] = {nodemcu::D0, nodemcu::D1, nodemcu::D2, nodemcu::D3, nodemcu::D4,
                           nodemcu::D5, nodemcu::D6, nodemcu::D7, nodemcu::D8};
constexpr const char* kLabelNames[] = {"D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"};

bool parse_number(std::string_view s, int& out) {
  if (s.empty() || s.size() > 3) return false;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  out = n;
  return true;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != prefix[i]) return false;
  }
  return true;
}
}  // namespace

Status check_gpio(int gpio, const char* what) {
  if (gpio < 0 || gpio >= kGpioCount) {
    log_message(LogLevel::error, "%s: GPIO%d does not exist; the ESP8266 has GPIO0..GPIO16 (6..11 excepted)",
                what, gpio);
    return Errc::invalid_argument;
  }
  if (is_flash_gpio(gpio)) {
    log_message(
        LogLevel::error,
        "%s: GPIO%d is wired to the SPI flash (GPIO6..11); use GPIO0..5 or GPIO12..16 (NodeMCU D0..D8)", what,
        gpio);
    return Errc::invalid_argument;
  }
  return {};
}

Result<int> parse_gpio(std::string_view text) {
  int n = -1;
  if (starts_with_nocase(text, "GPIO")) {
    if (!parse_number(text.substr(4), n)) return Errc::invalid_argument;
  } else if (starts_with_nocase(text, "D")) {
    int label = 0;
    if (!parse_number(text.substr(1), label) || label > 8) return Errc::invalid_argument;
    n = kLabels[label];
  } else if (!parse_number(text, n)) {
    return Errc::invalid_argument;
  }
  if (!is_usable_gpio(n)) return Errc::invalid_argument;
  return n;
}

const char* nodemcu_label(int gpio) {
  for (int i = 0; i < 9; ++i) {
    if (kLabels[i] == gpio) return kLabelNames[i];
  }
  return nullptr;
}

}  // namespace weft::machine
