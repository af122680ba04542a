// PinRef: one pin of a device as the cloud, its project files and its REST API name it: V0..V255 (virtual),
// D0..D255 (digital: the Blynk protocol's pin number, on the ESP8266 the chip's GPIO number, so D2 is GPIO2,
// not the NodeMCU label D2) and A0..A255 (analog; the ESP8266's ADC is A17 in the Blynk app's board profile).
// Lower-case prefixes are accepted, as the legacy server's REST API does.
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "blynk/hardware.hpp"

namespace weft::cloud {

enum class PinType : char { virtual_pin = 'V', digital = 'D', analog = 'A' };

struct PinRef {
  PinType type = PinType::virtual_pin;
  std::uint8_t number = 0;

  // "V1", "v1", "D5", "A17"; nullopt for anything else (no sign, no spaces, 0..255).
  [[nodiscard]] static std::optional<PinRef> parse(std::string_view text) {
    if (text.size() < 2 || text.size() > 4) return std::nullopt;
    const char t = static_cast<char>(text[0] & ~0x20);  // upper case
    if (t != 'V' && t != 'D' && t != 'A') return std::nullopt;
    Result<std::uint8_t> n = blynk::parse_pin(text.substr(1));
    if (!n) return std::nullopt;
    return PinRef{static_cast<PinType>(t), *n};
  }
  [[nodiscard]] std::string name() const { return static_cast<char>(type) + std::to_string(number); }
  // The HARDWARE op that writes this pin (vw, dw, aw).
  [[nodiscard]] blynk::HardwareOp write_op() const {
    return type == PinType::virtual_pin ? blynk::HardwareOp::virtual_write
           : type == PinType::digital   ? blynk::HardwareOp::digital_write
                                        : blynk::HardwareOp::analog_write;
  }
  // The pin a HARDWARE write op refers to (vw 5 -> V5); nullopt for other ops.
  [[nodiscard]] static std::optional<PinRef> of_write(blynk::HardwareOp op, std::uint8_t pin) {
    switch (op) {
      case blynk::HardwareOp::virtual_write:
        return PinRef{PinType::virtual_pin, pin};
      case blynk::HardwareOp::digital_write:
        return PinRef{PinType::digital, pin};
      case blynk::HardwareOp::analog_write:
        return PinRef{PinType::analog, pin};
      default:
        return std::nullopt;
    }
  }
  friend auto operator<=>(const PinRef&, const PinRef&) = default;
};

}  // namespace weft::cloud
