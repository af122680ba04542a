// The session's device API: every device -> server call becomes one Message (message.hpp), checked, sized
// and written once into the Outbox; a refusal is logged and counted (Stats::refused).
#include "core/log.hpp"
#include "session.hpp"

namespace weft::blynk {

Status Session::refuse(const char* what, Status s) {
  ++stats_.refused;
  switch (s.error()) {
    case Errc::too_large:
      WEFT_LOG_ERROR(
          "Blynk: %s refused: the message is larger than the %u-byte send buffer (Limits::tx_buffer) "
          "or over its text limit (notify 255, tweet 140 characters)",
          what, static_cast<unsigned>(tx_.capacity()));
      break;
    case Errc::busy:
      if (!outbox_full_logged_) {  // once per episode: a full outbox is usually full for a while
        WEFT_LOG_WARN(
            "Blynk: %s refused: the outbox is full (%u messages, %u bytes waiting%s); write less often "
            "or raise Limits::outbox",
            what, static_cast<unsigned>(outbox_.count()), static_cast<unsigned>(outbox_.bytes()),
            connected() ? "" : ", offline");
        outbox_full_logged_ = true;
      }
      break;
    default:
      WEFT_LOG_ERROR(
          "Blynk: %s refused: invalid argument (a pin out of range, NaN or infinity, a number beyond "
          "1e18, a NUL inside a text, an empty text, or a bad token)",
          what);
      break;
  }
  return s;
}

Status Session::queue(const char* what, const Message& m, Outbox::Place place) {
  Status s = outbox_.put(m, place);
  if (!s) return refuse(what, s);
  outbox_full_logged_ = false;
  wake_writer();
  return s;
}

Status Session::virtual_write(int pin, std::span<const Value> values) {
  if (Status s = check_pin("virtual_write", pin); !s) return s;
  Message m = Message::virtual_write(pin, values);
  if (in_group_) m.drop_key();
  return queue("virtual_write", m);
}

Status Session::sync_all() {
  return queue("sync_all", Message::sync_all());
}

Status Session::sync_virtual(std::span<const int> pins) {
  for (int pin : pins) {
    if (Status s = check_pin("sync_virtual", pin); !s) return s;
  }
  return queue("sync_virtual", Message::sync_virtual(pins));
}

Status Session::set_property(int pin, std::string_view name, std::span<const Value> values) {
  if (Status s = check_pin("set_property", pin); !s) return s;
  return queue("set_property", Message::property(pin, name, values));
}

Status Session::notify(std::string_view text) {
  return queue("notify", Message::notify(text));
}

Status Session::tweet(std::string_view text) {
  return queue("tweet", Message::tweet(text));
}

Status Session::sms(std::string_view text) {
  return queue("sms", Message::sms(text));
}

Status Session::email(std::string_view to, std::string_view subject, std::string_view body) {
  return queue("email", Message::email(to, subject, body));
}

Status Session::email(std::string_view subject, std::string_view body) {
  return queue("email", Message::email(subject, body));
}

Status Session::log_event(std::string_view code) {
  return queue("log_event", Message::event_log(code));
}

Status Session::log_event(std::string_view code, std::string_view description) {
  return queue("log_event", Message::event_log(code, description));
}

Status Session::event_clear(std::string_view code) {
  return queue("event_clear", Message::event_clear(code));
}

Status Session::event_clear_all(std::string_view code) {
  return queue("event_clear_all", Message::event_clear_all(code));
}

Status Session::begin_group() {
  Status s = queue("begin_group", Message::group_begin());
  if (s) in_group_ = true;
  return s;
}

Status Session::begin_group(std::int64_t timestamp_ms) {
  Status s = queue("begin_group", Message::group_begin(timestamp_ms));
  if (s) in_group_ = true;
  return s;
}

Status Session::end_group() {
  Status s = queue("end_group", Message::group_end());
  if (s) in_group_ = false;
  return s;
}

Status Session::sync_rtc() {
  return queue("sync_rtc", Message::rtc_sync());
}

Status Session::request_utc(std::string_view what) {
  return queue("request_utc", Message::utc_request(what));
}

Status Session::internal(std::span<const Value> fields) {
  return queue("internal", Message::of(Command::internal, fields));
}

Status Session::lcd_print(int pin, int x, int y, std::string_view text) {
  if (Status s = check_pin("lcd_print", pin); !s) return s;
  return queue("lcd_print", Message::lcd_print(pin, x, y, text));
}

Status Session::lcd_clear(int pin) {
  if (Status s = check_pin("lcd_clear", pin); !s) return s;
  return queue("lcd_clear", Message::lcd_clear(pin));
}

Status Session::terminal_write(int pin, std::string_view text) {
  if (Status s = check_pin("terminal", pin); !s) return s;
  return queue("terminal", Message::terminal_write(pin, text));
}

Status Session::bridge_write(int bridge_pin, HardwareOp op, int pin, std::span<const Value> values) {
  if (Status s = check_pin("bridge", bridge_pin); !s) return s;
  Message m = Message::bridge_write(bridge_pin, op, pin, values);
  if (in_group_) m.drop_key();
  return queue("bridge write", m);
}

Status Session::bridge_token(int bridge_pin, std::string_view token, Outbox::Place place) {
  return queue("bridge set_auth_token", Message::bridge_token(bridge_pin, token), place);
}

}  // namespace weft::blynk
