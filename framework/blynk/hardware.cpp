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

Result<std::uint8_t> parse_pin(std::string_view s) {
  if (s.empty() || s.back() == '\0') return Errc::protocol_error;  // a field, not a body: no separator
  BodyReader fields(s);
  const Result<std::uint8_t> pin = next_pin(fields);
  if (!fields.at_end()) return Errc::protocol_error;
  return pin;
}

namespace {
// `pm`, out of line: it keeps the calls it makes off parse_hardware's path for pin writes.
[[gnu::noinline]] Result<HardwareMessage> parse_pin_modes(std::string_view op_name, BodyReader fields) {
  // Validate every pair now, so that handlers never see half a configuration applied.
  const BodyReader pairs_start = fields;
  std::size_t pairs = 0;
  while (!fields.at_end()) {
    const Result<std::uint8_t> pin = next_pin(fields);
    const std::optional<std::string_view> mode = fields.next();
    if (!pin || !mode || !parse_pin_mode(*mode)) return Errc::protocol_error;
    ++pairs;
  }
  if (pairs == 0) return Errc::protocol_error;
  return Result<HardwareMessage>(std::in_place, HardwareOp::pin_mode, op_name, std::uint8_t{0}, pairs_start);
}

// Any body but a known op's: an unknown op (answered illegal_command), or a known op alone (no pin).
[[gnu::noinline]] Result<HardwareMessage> parse_other_op(std::string_view body) {
  BodyReader fields(body);
  const std::optional<std::string_view> op_name = fields.next();
  if (!op_name || to_hardware_op(*op_name) != HardwareOp::unknown) return Errc::protocol_error;
  return Result<HardwareMessage>(std::in_place, HardwareOp::unknown, *op_name, std::uint8_t{0}, fields);
}
}  // namespace

Result<HardwareMessage> parse_hardware(std::string_view body) {
  // Every known op is two letters and a NUL: split off without a scan.
  const HardwareOp op = body.size() >= 3 && body[2] == '\0' ? to_hardware_op(std::string_view(body.data(), 2))
                                                            : HardwareOp::unknown;
  if (op == HardwareOp::unknown) return parse_other_op(body);
  const std::string_view op_name(body.data(), 2);
  BodyReader fields(std::string_view(body.data() + 3, body.size() - 3));
  if (op == HardwareOp::pin_mode) return parse_pin_modes(op_name, fields);

  const Result<std::uint8_t> pin = next_pin(fields);
  if (!pin) return pin.error();
  if ((op == HardwareOp::digital_write || op == HardwareOp::analog_write) && fields.remaining() != 1) {
    return Errc::protocol_error;
  }
  // Built in place in the Result: copied nowhere.
  return Result<HardwareMessage>(std::in_place, op, op_name, *pin, fields);
}

std::optional<PinModeEntry> PinModeReader::next() {
  if (pairs_.at_end()) return std::nullopt;
  const Result<std::uint8_t> p = next_pin(pairs_);
  const std::optional<std::string_view> mode = pairs_.next();
  if (!p || !mode) return std::nullopt;
  const Result<PinMode> m = parse_pin_mode(*mode);
  if (!m) return std::nullopt;
  return PinModeEntry{*p, *m};
}

}  // namespace weft::blynk
