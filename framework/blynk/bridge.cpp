#include "bridge.hpp"

#include <cstring>

#include "core/log.hpp"

namespace weft::blynk {

Bridge::Bridge(Session& session, int bridge_pin) : session_(&session), pin_(bridge_pin) {
  if (!is_valid_virtual_pin(bridge_pin)) {
    WEFT_LOG_ERROR("Blynk: Bridge(V%d): the bridge's channel is a virtual pin 0..%d", bridge_pin,
                   max_virtual_pin);
  }
  session.add_hook(*this);
}

Bridge::~Bridge() {
  if (session_ != nullptr) session_->remove_hook(*this);
}

void Bridge::logged_in() {
  if (has_token_) (void)session_->bridge_token(pin_, token(), Outbox::Place::front);  // refusals are logged
}

void Bridge::session_ended() {
  session_ = nullptr;
}

Status Bridge::set_auth_token(std::string_view token) {
  if (session_ == nullptr) return Errc::closed;
  if (!is_valid_virtual_pin(pin_)) return Errc::invalid_argument;
  if (TokenProblem p = check_token(token); p != TokenProblem::none) {
    WEFT_LOG_ERROR("Blynk: Bridge(V%d).set_auth_token: %s: got %u characters", pin_, to_string(p),
                   static_cast<unsigned>(token.size()));
    return Errc::invalid_argument;
  }
  std::memcpy(token_, token.data(), token_size);
  has_token_ = true;
  return session_->bridge_token(pin_, this->token());
}

Status Bridge::write(HardwareOp op, int pin, std::span<const Value> values) {
  if (session_ == nullptr) return Errc::closed;
  if (!is_valid_virtual_pin(pin_)) return Errc::invalid_argument;
  if (!has_token_) {
    WEFT_LOG_ERROR("Blynk: Bridge(V%d): call set_auth_token() before writing through the bridge", pin_);
    return Errc::invalid_argument;
  }
  return session_->bridge_write(pin_, op, pin, values);
}

Status Bridge::virtual_write(int pin, std::span<const Value> values) {
  return write(HardwareOp::virtual_write, pin, values);
}

Status Bridge::digital_write(int pin, int level) {
  const Value v[] = {Value(level)};
  if (level != 0 && level != 1) {
    WEFT_LOG_ERROR("Blynk: Bridge(V%d).digital_write(%d, %d): the level is 0 or 1", pin_, pin, level);
    return Errc::invalid_argument;
  }
  return write(HardwareOp::digital_write, pin, v);
}

Status Bridge::analog_write(int pin, int value) {
  const Value v[] = {Value(value)};
  return write(HardwareOp::analog_write, pin, v);
}

}  // namespace weft::blynk
