// Config: where a Blynk session connects, how it identifies itself, and its timing. Plain data with defaults
// that match the official libraries (heartbeat 45 s, login timeout 6 s) and Blynk IoT's flood limit.
//
//   Blynk IoT (blynk.cloud), the template id from the console's "Firmware configuration":
//     weft::blynk::Config cfg{.token = "YourAuthTokenFromTheConsole_0123", .template_id = "TMPL4abc123"};
//   A local (legacy) server:
//     weft::blynk::Config cfg{.token = "...", .host = "192.168.1.10", .port = 8080,
//                             .login = weft::blynk::Login::legacy};
//
// Strings are views: the texts must outlive the session (string literals and static buffers do). Every field
// has a default, so designated initializers may name only what differs (no -Wmissing-field-initializers).
// check_config() (called by Session::run before anything is sent) rejects bad values with a log line that
// says what to fix.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"
#include "protocol.hpp"

namespace weft::blynk {

enum class Login : std::uint8_t {
  hw_login,  // HW_LOGIN (29): Blynk IoT and current local servers (the official C++ library since 0.6)
  legacy,    // LOGIN (2): old local servers and what lib-python sends
};

struct Config {
  // --- Server ---
  std::string_view token{};  // exactly 32 characters of A-Z a-z 0-9 - _
  std::string_view host = "blynk.cloud";
  std::uint16_t port = 80;  // Blynk IoT: 80 plain (443 = TLS, a later transport); local: 8080
  Login login = Login::hw_login;

  // --- What the device tells the server right after login (the INTERNAL info message) ---
  std::string_view template_id{};         // "tmpl": required by Blynk IoT, ignored by local servers
  std::string_view device = "ESP8266";    // "dev"
  std::string_view firmware{};            // "fw": your firmware version, e.g. "1.0.3"
  std::string_view firmware_type{};       // "fw-type": empty = the template id (as the official library does)
  std::string_view build{};               // "build": e.g. __DATE__ " " __TIME__
  std::string_view version = "weft-0.1";  // "ver": the client library

  // --- Timing ---
  Micros heartbeat = sec(45);  // ping after this much silence; announced as "h-beat" (servers: 10..3600 s)
  Micros response_timeout = sec(2);  // pings repeat this often; dead after heartbeat + 3 x this of silence
  Micros connect_timeout = sec(10);  // DNS + TCP handshake
  Micros login_timeout = sec(6);     // login sent -> answer
  Micros write_timeout = sec(10);    // a write that makes no progress this long: the link is dead

  // --- Reconnection: exponential backoff with jitter, capped ---
  Micros retry_min = sec(2);      // first delay; doubles per failed attempt ...
  Micros retry_max = sec(120);    // ... up to this; each delay is drawn from [d/2, d]
  std::uint32_t jitter_seed = 0;  // 0: derived from the token, so a fleet's devices differ (tests fix it)

  // --- Flood protection (messages the user queues: values, properties, notifications, ...) ---
  Micros send_interval = ms(125);  // one message per interval on average (8/s; 0 = no limit) ...
  std::uint8_t send_burst = 2;     // ... and up to this many back to back: <= 10 in any second
};

// Ok, or Errc::invalid_argument with one log line per problem ("Blynk: auth token must be exactly 32
// characters: this one is shorter (truncated?): got 12 characters; copy ...", "Blynk: heartbeat 7200000 ms is
// outside 1000..3600000 ms", ...). run() calls it before anything is sent.
[[nodiscard]] Status check_config(const Config& config);

// The session's life (Session::state()).
enum class State : std::uint8_t {
  idle,         // not started, or disconnect() was called: waits for connect()
  connecting,   // resolving and connecting
  logging_in,   // login sent, waiting for the answer
  connected,    // logged in: app writes are dispatched, queued messages flow
  waiting,      // lost the connection; the next attempt is scheduled (backoff)
  auth_failed,  // the server rejected the token: no retries until connect() (after set_token())
  bad_config,   // check_config() failed: run() returned Errc::invalid_argument
};
[[nodiscard]] const char* to_string(State s);

// Why a connection ended (or never came up): what on_disconnected receives and last_disconnect() tells.
enum class DisconnectReason : std::uint8_t {
  none,
  user,               // disconnect() was called
  resolve_failed,     // the host name did not resolve
  connect_failed,     // refused / unreachable / timed out
  login_timeout,      // no answer to the login in time
  login_rejected,     // the server answered the login with an error other than INVALID_TOKEN (retried)
  invalid_token,      // the server rejected the token (not retried)
  redirected,         // the server sent REDIRECT: reconnecting to the new address (at once for the first two
                      // since the last login, then backed off: backoff.hpp)
  closed_by_server,   // end of stream
  network_error,      // reset or another I/O error
  heartbeat_timeout,  // nothing received for heartbeat + 3 x response_timeout
  write_timeout,      // a write made no progress for write_timeout
  protocol_error,     // a malformed frame (id 0) from the server
  frame_too_large,    // the server announced a body larger than our buff-in
};
[[nodiscard]] const char* to_string(DisconnectReason r);

}  // namespace weft::blynk
