// The Blynk hardware protocol's vocabulary: command codes, status codes, fixed limits and token validation.
// Facts come from docs/blynk-protocol.md (shared docs); this header is the one place the numbers live.
//
// Pure data and tiny functions: no I/O, no allocation, no exceptions; builds for the ESP8266 unchanged.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace weft::blynk {

// The command byte of a frame. The enum is open: a frame may carry any byte value and the parser hands
// unknown codes through unchanged (is_known() is false; the session answers them with
// StatusCode::illegal_command).
enum class Command : std::uint8_t {
  response = 0,        // both ways; NO body: the length field carries the status (StatusCode)
  login = 2,           // device->server, legacy login: body = token
  ping = 6,            // both ways; answered with RESPONSE ok and the same id
  tweet = 12,          // device->server, text (<= 140 characters)
  email = 13,          // device->server, `to\0subject\0body` or `subject\0body`
  notify = 14,         // device->server, text (<= 255 characters)
  bridge = 15,         // device->server, `bridgePin\0i\0token` or `bridgePin\0vw\0pin\0value...`
  hardware_sync = 16,  // device->server, empty body (sync all) or `vr\0pin...`
  internal = 17,       // both ways: info message, rtc/utc, acon/adis, ota, meta
  sms = 18,            // device->server, text
  property = 19,       // device->server, `pin\0property\0value...`
  hardware = 20,       // both ways: pin operations (vw, vr, dw, dr, aw, ar, pm)
  group = 21,          // device->server (Blynk IoT) grouped writes
  hw_login = 29,       // device->server, current login: body = token
  redirect = 41,       // server->device, `host\0port`: reconnect there
  debug_print = 55,    // server->device, text to log
  event_log = 64,      // device->server, `code` or `code\0description`
  event_clear = 65,    // device->server, `code` or `code\0all`
};

// True for the codes listed above.
[[nodiscard]] bool is_known(Command c);
// The protocol's name of the command ("HARDWARE", "HW_LOGIN", ...), or "UNKNOWN" for any other code.
[[nodiscard]] const char* to_string(Command c);

// The status a RESPONSE carries in its length field. Open like Command: any 16-bit value can arrive.
// (Named StatusCode, not Status, so that weft::Status — Result<void> — is not shadowed inside weft::blynk.)
enum class StatusCode : std::uint16_t {
  ok = 200,
  quota_limit = 1,
  illegal_command = 2,
  not_registered = 3,
  already_registered = 4,  // at login: treat as logged in
  not_authenticated = 5,
  not_allowed = 6,
  device_not_in_network = 7,
  no_active_dashboard = 8,
  invalid_token = 9,  // at login: stop retrying and tell the user
  illegal_command_body = 11,
  notification_invalid_body = 13,
  notification_not_authorized = 14,
  notification_exception = 15,
  timeout = 16,
  no_data = 17,
  device_went_offline = 18,
  server_exception = 19,
  not_supported_version = 20,
  energy_limit = 21,
  operation_accept = 23,
  operation_decline = 24,
};

[[nodiscard]] bool is_known(StatusCode s);
// The protocol's name of the status ("OK", "INVALID_TOKEN", ...), or "UNKNOWN_STATUS" for any other value.
[[nodiscard]] const char* to_string(StatusCode s);

// Sizes and ranges of the wire format.
inline constexpr std::size_t header_size = 5;         // u8 command | u16 id | u16 length, big-endian
inline constexpr std::size_t max_body_size = 65535;   // the length field is 16 bits; no long frames on TCP
inline constexpr std::size_t default_buff_in = 256;   // the official C++ client's default receive limit
inline constexpr std::size_t token_size = 32;         // servers reject any other token length
inline constexpr int max_virtual_pin = 255;           // virtual pins are 0..255 on current servers
inline constexpr int max_physical_pin = 255;          // physical pin numbers travel as 0..255
inline constexpr std::size_t max_tweet_chars = 140;   // characters (UTF-8 code points), not bytes
inline constexpr std::size_t max_notify_chars = 255;  // characters (UTF-8 code points), not bytes

[[nodiscard]] constexpr bool is_valid_virtual_pin(int pin) {
  return pin >= 0 && pin <= max_virtual_pin;
}
[[nodiscard]] constexpr bool is_valid_physical_pin(int pin) {
  return pin >= 0 && pin <= max_physical_pin;
}

// What is wrong with an auth token, for a log line the user can act on.
enum class TokenProblem : std::uint8_t {
  none = 0,
  too_short,      // fewer than 32 characters (often: a truncated copy-paste)
  too_long,       // more than 32 characters (often: quotes or a newline copied along)
  bad_character,  // a character outside A-Z a-z 0-9 - _
};

// Checks the token's shape, O(n). Blynk tokens are exactly 32 characters of A-Z a-z 0-9 '-' '_'.
[[nodiscard]] TokenProblem check_token(std::string_view token);
// "token must be exactly 32 characters: this one is shorter", ... ("token ok" for none).
[[nodiscard]] const char* to_string(TokenProblem p);
// check_token() as a Status: ok, or Errc::invalid_argument (use check_token() for the reason).
[[nodiscard]] Status validate_token(std::string_view token);

}  // namespace weft::blynk
