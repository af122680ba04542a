#include "hardware.hpp"

namespace weft::blynk {

const char* to_string(HardwareOp op) {
  switch (op) {
    case HardwareOp::virtual_write:
      return "vw";
    case HardwareOp::virtual_read:
      return "vr";
    case HardwareOp::digital_write:
      return "dw";
    case HardwareOp::digital_read:
      return "dr";
    case HardwareOp::analog_write:
      return "aw";
    case HardwareOp::analog_read:
      return "ar";
    case HardwareOp::pin_mode:
      return "pm";
    case HardwareOp::unknown:
      return "";
  }
  return "";
}

Result<PinMode> parse_pin_mode(std::string_view s) {
  if (s == "in") return PinMode::input;
  if (s == "out") return PinMode::output;
  if (s == "pwm") return PinMode::pwm;
  if (s == "pu") return PinMode::input_pullup;
  if (s == "pd") return PinMode::input_pulldown;
  return Errc::protocol_error;
}

const char* to_string(PinMode m) {
  switch (m) {
    case PinMode::input:
      return "in";
    case PinMode::output:
      return "out";
    case PinMode::pwm:
      return "pwm";
    case PinMode::input_pullup:
      return "pu";
    case PinMode::input_pulldown:
      return "pd";
  }
  return "";
}

Result<HardwareMessage> parse_hardware(std::string_view body) {
  // Each return builds the message in place in the Result: it is copied nowhere.
  using R = Result<HardwareMessage>;
  BodyReader fields(body);
  const std::optional<std::string_view> op_name = fields.next();
  if (!op_name) return Errc::protocol_error;

  const HardwareOp op = to_hardware_op(*op_name);
  switch (op) {
    case HardwareOp::unknown:
      return R(std::in_place, op, *op_name, std::uint8_t{0}, fields);
    case HardwareOp::pin_mode: {
      // Validate every pair now, so that handlers never see half a configuration applied.
      const BodyReader pairs_start = fields;
      std::size_t pairs = 0;
      for (;;) {
        const std::optional<std::string_view> pin = fields.next();
        if (!pin) break;
        const std::optional<std::string_view> mode = fields.next();
        if (!mode || !parse_pin(*pin) || !parse_pin_mode(*mode)) return Errc::protocol_error;
        ++pairs;
      }
      if (pairs == 0) return Errc::protocol_error;
      return R(std::in_place, op, *op_name, std::uint8_t{0}, pairs_start);
    }
    default:
      break;
  }

  const std::optional<std::string_view> pin_text = fields.next();
  if (!pin_text) return Errc::protocol_error;
  const Result<std::uint8_t> pin = parse_pin(*pin_text);
  if (!pin) return pin.error();
  if ((op == HardwareOp::digital_write || op == HardwareOp::analog_write) && fields.remaining() != 1) {
    return Errc::protocol_error;
  }
  return R(std::in_place, op, *op_name, *pin, fields);
}

std::optional<PinModeEntry> PinModeReader::next() {
  const std::optional<std::string_view> pin = pairs_.next();
  const std::optional<std::string_view> mode = pairs_.next();
  if (!pin || !mode) return std::nullopt;
  const Result<std::uint8_t> p = parse_pin(*pin);
  const Result<PinMode> m = parse_pin_mode(*mode);
  if (!p || !m) return std::nullopt;
  return PinModeEntry{*p, *m};
}

}  // namespace weft::blynk
