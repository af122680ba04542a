// HARDWARE bodies (command 20, also what a BRIDGE delivers to its target): pin operations.
//
//   `vw\0pin\0v1[\0v2...]`  virtual write: app -> device, and device -> server
//   `vr\0pin`               server asks for a virtual pin: answer HARDWARE `vw\0pin\0value` with the same id
//   `dw\0pin\0level`, `aw\0pin\0value`   write a physical pin
//   `dr\0pin`, `ar\0pin`    read a physical pin: answer `dw\0pin\0v` / `aw\0pin\0v` with the same id
//   `pm\0pin\0mode[\0pin\0mode...]`     pin modes: in, out, pwm, pu (input pull-up), pd (input pull-down)
//
// parse_hardware() splits a body into op, pin and the remaining fields without copying. What a session does
// with the outcome: an unknown op parses fine (op == unknown) and is answered with RESPONSE illegal_command;
// a malformed body is Errc::protocol_error and is answered with RESPONSE illegal_command_body (or the
// connection is dropped — the session's policy).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "body.hpp"
#include "core/result.hpp"

namespace weft::blynk {

enum class HardwareOp : std::uint8_t {
  virtual_write,  // vw
  virtual_read,   // vr
  digital_write,  // dw
  digital_read,   // dr
  analog_write,   // aw
  analog_read,    // ar
  pin_mode,       // pm
  unknown,        // anything else
};

// "vw" -> virtual_write, ...; unknown for any other text. O(1).
[[nodiscard]] [[gnu::always_inline]] constexpr HardwareOp to_hardware_op(std::string_view s) {
  if (s.size() != 2) return HardwareOp::unknown;
  const char a = s[0], b = s[1];
  if (b == 'w') {
    if (a == 'v') return HardwareOp::virtual_write;
    if (a == 'd') return HardwareOp::digital_write;
    if (a == 'a') return HardwareOp::analog_write;
  } else if (b == 'r') {
    if (a == 'v') return HardwareOp::virtual_read;
    if (a == 'd') return HardwareOp::digital_read;
    if (a == 'a') return HardwareOp::analog_read;
  } else if (a == 'p' && b == 'm') {
    return HardwareOp::pin_mode;
  }
  return HardwareOp::unknown;
}
// The wire text ("vw", ...), "" for unknown.
[[nodiscard]] const char* to_string(HardwareOp op);
[[nodiscard]] constexpr bool is_write(HardwareOp op) {
  return op == HardwareOp::virtual_write || op == HardwareOp::digital_write || op == HardwareOp::analog_write;
}

enum class PinMode : std::uint8_t { input, output, pwm, input_pullup, input_pulldown };

// "in", "out", "pwm", "pu", "pd"; anything else is Errc::protocol_error.
[[nodiscard]] Result<PinMode> parse_pin_mode(std::string_view s);
[[nodiscard]] const char* to_string(PinMode m);  // the wire text

// A pin number as the server sends it: 1 to 3 decimal digits, 0..255. Anything else (sign, spaces, "V5", 256)
// is Errc::protocol_error. O(1).
[[nodiscard]] Result<std::uint8_t> parse_pin(std::string_view s);
// The next field of a body as a pin (the rules of parse_pin); consumed either way. One pass over the field.
[[nodiscard]] [[gnu::always_inline]] inline Result<std::uint8_t> next_pin(BodyReader& fields) {
  const Result<std::uint32_t> v = fields.next_digits(3);
  if (!v || *v > 255) return Errc::protocol_error;
  return static_cast<std::uint8_t>(*v);
}

struct HardwareMessage {
  HardwareOp op = HardwareOp::unknown;
  std::string_view op_name;  // the op as received (useful to log an unknown one)
  std::uint8_t pin = 0;      // the pin, for every op but pin_mode and unknown
  // The fields after the pin: vw: the values (possibly none: an empty-string write, see body.hpp);
  // dw/aw: exactly one value; vr/dr/ar: normally none (more are left here, not rejected);
  // pm: the pin/mode pairs (all of them, first pin included; validated, read them with PinModeReader);
  // unknown: every field after the op.
  BodyReader values;
};

// Splits a HARDWARE body. Errc::protocol_error for: an empty body; a missing or malformed pin; dw/aw without
// exactly one value; pm with no pairs, an odd field count, a bad pin or an unknown mode. O(body size).
[[nodiscard]] Result<HardwareMessage> parse_hardware(std::string_view body);

struct PinModeEntry {
  std::uint8_t pin = 0;
  PinMode mode = PinMode::input;
};

// Reads the pairs of a `pm` message that parse_hardware() accepted (it validated them all, so next() cannot
// fail on them; a malformed pair ends the iteration).
class PinModeReader {
 public:
  explicit PinModeReader(BodyReader pairs) : pairs_(pairs) {}
  [[nodiscard]] std::optional<PinModeEntry> next();

 private:
  BodyReader pairs_;
};

}  // namespace weft::blynk
