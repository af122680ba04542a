// Bridge: writes to another Blynk device through the server, over one of this device's virtual pins (the
// bridge's channel). Several bridges at once, one per channel pin.
//
//   weft::blynk::Bridge garage(blynk, 64);                  // V64 is the channel to the garage device
//   garage.set_auth_token("TheGarageDevicesAuthToken_012345");
//   garage.digital_write(5, 1);                             // the garage device's GPIO5 high
//   garage.virtual_write(3, "open");                        // its V3 handler gets "open"
//
// Unlike pblynk, there is no need to wait for the connection before set_auth_token(): the token is kept and
// (re)sent right after every login, before anything queued, so the bridge survives reconnections.
// Writes go through the session's outbox (rate limit, coalescing per target pin) and report its errors.
// Lifetime: a bridge unregisters itself when destroyed; if its session goes first, it refuses every call with
// Errc::closed. About 48 bytes (the token is copied, so the caller's text may go away).
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "body.hpp"
#include "core/result.hpp"
#include "hardware.hpp"
#include "protocol.hpp"
#include "session.hpp"

namespace weft::blynk {

class Bridge final : SessionHook {
 public:
  // bridge_pin: the virtual pin (0..255) of this device that carries the bridge. An invalid pin is logged and
  // every call then fails with Errc::invalid_argument.
  Bridge(Session& session, int bridge_pin);
  ~Bridge();
  Bridge(const Bridge&) = delete;
  Bridge& operator=(const Bridge&) = delete;

  // Binds the bridge to the device with this token (32 characters; invalid_argument, logged, otherwise).
  Status set_auth_token(std::string_view token);
  template <field_value V, field_value... Vs>
  Status virtual_write(int pin, const V& first, const Vs&... rest) {
    const Value list[] = {Value(first), Value(rest)...};
    return virtual_write(pin, std::span<const Value>(list));
  }
  Status virtual_write(int pin, std::span<const Value> values);
  Status digital_write(int pin, int level);  // level 0 or 1
  Status analog_write(int pin, int value);

  [[nodiscard]] int pin() const { return pin_; }
  [[nodiscard]] bool has_token() const { return has_token_; }
  [[nodiscard]] std::string_view token() const { return {token_, has_token_ ? token_size : 0}; }

 private:
  void logged_in() override;      // re-sends the token, ahead of anything queued
  void session_ended() override;  // every later call: Errc::closed
  Status write(HardwareOp op, int pin, std::span<const Value> values);

  Session* session_;
  int pin_;
  char token_[token_size] = {};
  bool has_token_ = false;
};

}  // namespace weft::blynk
