#include "message.hpp"

#include <cstring>

#include "frame.hpp"

namespace weft::blynk {

namespace {
bool is_empty_or_has_error(const Value& v) {
  return !v.ok() || v.size() == 0;
}
Errc empty_or_error(const Value& v) {
  return v.ok() ? Errc::invalid_argument : v.error();
}
}  // namespace

// The single pass over the fields: each one's check and its size (the body is the fields joined by NUL).
Message::Message(Command command, std::initializer_list<Value> head, std::span<const Value> tail,
                 std::size_t key, std::span<const int> pins)
    : tail_(tail), pins_(pins), command_(command), key_fields_(static_cast<std::uint8_t>(key)) {
  if (command == Command::response || head.size() > kMaxHead || key > head.size()) {
    error_ = Errc::invalid_argument;
    return;
  }
  std::size_t fields = 0;
  const auto add = [&](const Value& v) {
    if (!v.ok() && error_ == Errc::ok) error_ = v.error();
    body_size_ += v.size();
    ++fields;
  };
  for (const Value& v : head) {
    head_[head_count_++] = v;
    add(v);
  }
  for (const Value& v : tail)
    add(v);
  for (int pin : pins)
    add(Value(pin));
  if (fields > 1) body_size_ += fields - 1;
  if (error_ == Errc::ok && body_size_ > max_body_size) error_ = Errc::too_large;
}

void Message::write(char* out, std::uint16_t id) const {
  encode_header(out, FrameHeader{command_, id, static_cast<std::uint16_t>(body_size_)});
  char* p = out + header_size;
  bool first = true;
  const auto put = [&](const Value& v) {
    if (!first) *p++ = '\0';
    first = false;
    if (v.size() != 0) std::memcpy(p, v.text().data(), v.size());
    p += v.size();
  };
  for (std::size_t i = 0; i < head_count_; ++i)
    put(head_[i]);
  for (const Value& v : tail_)
    put(v);
  for (int pin : pins_)
    put(Value(pin));
}

// ============================================ HARDWARE =====================================================

Message Message::virtual_write(int pin, std::span<const Value> values) {
  if (!is_valid_virtual_pin(pin)) return Message(Errc::invalid_argument);
  return {Command::hardware, {Value("vw"), Value(pin)}, values, 2};
}

Message Message::lcd_print(int pin, int x, int y, std::string_view text) {
  if (!is_valid_virtual_pin(pin) || x < 0 || x > 15 || y < 0 || y > 1) return Message(Errc::invalid_argument);
  return {Command::hardware, {Value("vw"), Value(pin), Value("p"), Value(x), Value(y), Value(text)}, {}, 0};
}

Message Message::lcd_clear(int pin) {
  if (!is_valid_virtual_pin(pin)) return Message(Errc::invalid_argument);
  return {Command::hardware, {Value("vw"), Value(pin), Value("clr")}, {}, 0};
}

Message Message::terminal_write(int pin, std::string_view text) {
  if (!is_valid_virtual_pin(pin)) return Message(Errc::invalid_argument);
  return {Command::hardware, {Value("vw"), Value(pin), Value(text)}, {}, 0};
}

Message Message::digital_write(int pin, int level) {
  if (!is_valid_physical_pin(pin) || (level != 0 && level != 1)) return Message(Errc::invalid_argument);
  return {Command::hardware, {Value("dw"), Value(pin), Value(level)}, {}, 0};
}

Message Message::analog_write(int pin, int value) {
  if (!is_valid_physical_pin(pin)) return Message(Errc::invalid_argument);
  return {Command::hardware, {Value("aw"), Value(pin), Value(value)}, {}, 0};
}

// ============================================ HARDWARE_SYNC ================================================

Message Message::sync_all() {
  return {Command::hardware_sync, {}, {}, 0};
}

Message Message::sync_virtual(std::span<const int> pins) {
  if (pins.empty()) return Message(Errc::invalid_argument);
  for (int pin : pins) {
    if (!is_valid_virtual_pin(pin)) return Message(Errc::invalid_argument);
  }
  return {Command::hardware_sync, {Value("vr")}, {}, 0, pins};
}

// ============================================ BRIDGE =======================================================

Message Message::bridge_token(int bridge_pin, std::string_view token) {
  if (!is_valid_virtual_pin(bridge_pin)) return Message(Errc::invalid_argument);
  if (Status s = validate_token(token); !s) return Message(s.error());
  return {Command::bridge, {Value(bridge_pin), Value("i"), Value(token)}, {}, 2};
}

Message Message::bridge_write(int bridge_pin, HardwareOp op, int pin, std::span<const Value> values) {
  if (!is_valid_virtual_pin(bridge_pin) || !is_write(op)) return Message(Errc::invalid_argument);
  const bool pin_ok =
      op == HardwareOp::virtual_write ? is_valid_virtual_pin(pin) : is_valid_physical_pin(pin);
  if (!pin_ok || values.empty()) return Message(Errc::invalid_argument);
  return {Command::bridge, {Value(bridge_pin), Value(to_string(op)), Value(pin)}, values, 3};
}

// ============================================ PROPERTY =====================================================

Message Message::property(int pin, std::string_view name, std::span<const Value> values) {
  if (!is_valid_virtual_pin(pin) || name.empty() || values.empty()) return Message(Errc::invalid_argument);
  return {Command::property, {Value(pin), Value(name)}, values, 2};
}

// ============================================ Notifications ================================================

Message Message::text(Command command, std::string_view text, std::size_t max_chars) {
  const Value v(text);
  if (is_empty_or_has_error(v)) return Message(empty_or_error(v));
  if (utf8_length(text) > max_chars) return Message(Errc::too_large);
  return {command, {v}, {}, 0};
}

Message Message::notify(std::string_view text) {
  return Message::text(Command::notify, text, max_notify_chars);
}

Message Message::tweet(std::string_view text) {
  return Message::text(Command::tweet, text, max_tweet_chars);
}

Message Message::sms(std::string_view text) {
  return Message::text(Command::sms, text, max_body_size);
}

Message Message::email(std::string_view to, std::string_view subject, std::string_view body) {
  if (to.empty()) return Message(Errc::invalid_argument);
  return {Command::email, {Value(to), Value(subject), Value(body)}, {}, 0};
}

Message Message::email(std::string_view subject, std::string_view body) {
  return {Command::email, {Value(subject), Value(body)}, {}, 0};
}

// ============================================ Events and groups ============================================

Message Message::event_log(std::string_view code) {
  if (code.empty()) return Message(Errc::invalid_argument);
  return {Command::event_log, {Value(code)}, {}, 0};
}

Message Message::event_log(std::string_view code, std::string_view description) {
  if (code.empty()) return Message(Errc::invalid_argument);
  return {Command::event_log, {Value(code), Value(description)}, {}, 0};
}

Message Message::event_clear(std::string_view code) {
  if (code.empty()) return Message(Errc::invalid_argument);
  return {Command::event_clear, {Value(code)}, {}, 0};
}

Message Message::event_clear_all(std::string_view code) {
  if (code.empty()) return Message(Errc::invalid_argument);
  return {Command::event_clear, {Value(code), Value("all")}, {}, 0};
}

Message Message::group_begin() {
  return {Command::group, {Value("b")}, {}, 0};
}

Message Message::group_begin(std::int64_t timestamp_ms) {
  return {Command::group, {Value("b"), Value("t"), Value(timestamp_ms)}, {}, 0};
}

Message Message::group_end() {
  return {Command::group, {Value("e")}, {}, 0};
}

// ============================================ INTERNAL =====================================================

Message Message::rtc_sync() {
  return {Command::internal, {Value("rtc"), Value("sync")}, {}, 2};
}

Message Message::utc_request(std::string_view what) {
  return {Command::internal, {Value("utc"), Value(what)}, {}, 2};
}

}  // namespace weft::blynk
