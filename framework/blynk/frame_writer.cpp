#include "frame_writer.hpp"

#include <cstring>

#include "frame.hpp"

namespace weft::blynk {

namespace {

// Each field source below is a callable taking `emit`; emit(const Value&) is called once per field, in order.
struct Fields {
  std::span<const Value> head;
  std::span<const Value> tail;
  template <typename Emit>
  void operator()(Emit& emit) const {
    for (const Value& v : head)
      emit(v);
    for (const Value& v : tail)
      emit(v);
  }
};

bool is_empty_or_has_error(const Value& v) {
  return !v.ok() || v.size() == 0;
}

}  // namespace

void FrameWriter::consume(std::size_t n) {
  if (n >= size_) {
    size_ = 0;
    return;
  }
  std::memmove(out_, out_ + n, size_ - n);
  size_ -= n;
}

template <typename EachField>
Status FrameWriter::put(Command command, std::uint16_t id, const EachField& each_field) {
  if (id == 0 || command == Command::response) return Errc::invalid_argument;

  // Pass 1: validate every field and size the body, writing nothing.
  std::size_t body = 0;
  std::size_t count = 0;
  Errc error = Errc::ok;
  auto measure = [&](const Value& v) {
    if (!v.ok() && error == Errc::ok) error = v.error();
    body += v.size();
    ++count;
  };
  each_field(measure);
  if (error != Errc::ok) return error;
  if (count > 1) body += count - 1;  // separators
  if (body > max_body_size || header_size + body > remaining()) return Errc::too_large;

  // Pass 2: write.
  char* p = out_ + size_;
  encode_header(p, FrameHeader{command, id, static_cast<std::uint16_t>(body)});
  p += header_size;
  bool first = true;
  auto write = [&](const Value& v) {
    if (!first) *p++ = '\0';
    first = false;
    if (v.size() != 0) std::memcpy(p, v.text().data(), v.size());
    p += v.size();
  };
  each_field(write);
  size_ += header_size + body;
  return {};
}

Status FrameWriter::append(Command command, std::uint16_t id, std::span<const Value> fields) {
  return put(command, id, Fields{fields, {}});
}

Status FrameWriter::append_body(Command command, std::uint16_t id, std::string_view body) {
  if (id == 0 || command == Command::response) return Errc::invalid_argument;
  if (body.size() > max_body_size || header_size + body.size() > remaining()) return Errc::too_large;
  encode_header(out_ + size_, FrameHeader{command, id, static_cast<std::uint16_t>(body.size())});
  if (!body.empty()) std::memcpy(out_ + size_ + header_size, body.data(), body.size());
  size_ += header_size + body.size();
  return {};
}

Status FrameWriter::response(std::uint16_t id, StatusCode status) {
  if (id == 0) return Errc::invalid_argument;
  if (header_size > remaining()) return Errc::too_large;
  encode_header(out_ + size_, FrameHeader{Command::response, id, static_cast<std::uint16_t>(status)});
  size_ += header_size;
  return {};
}

Status FrameWriter::ping(std::uint16_t id) {
  return append_body(Command::ping, id, {});
}

Status FrameWriter::hw_login(std::uint16_t id, std::string_view token) {
  if (Status s = validate_token(token); !s) return s;
  return append_body(Command::hw_login, id, token);
}

Status FrameWriter::login(std::uint16_t id, std::string_view token) {
  if (Status s = validate_token(token); !s) return s;
  return append_body(Command::login, id, token);
}

Status FrameWriter::info(std::uint16_t id, const DeviceInfo& info) {
  const auto each = [&info](auto& emit) {
    const auto text = [&emit](const char* key, std::string_view value) {
      if (value.empty()) return;
      emit(Value(key));
      emit(Value(value));
    };
    const auto number = [&emit](const char* key, std::uint32_t value) {
      if (value == 0) return;
      emit(Value(key));
      emit(Value(value));
    };
    text("ver", info.version);
    number("h-beat", info.heartbeat_s);
    number("buff-in", info.buff_in);
    text("dev", info.device);
    text("cpu", info.cpu);
    text("con", info.connection);
    text("fw-type", info.firmware_type);
    text("fw", info.firmware);
    text("build", info.build);
    text("tmpl", info.template_id);
  };
  return put(Command::internal, id, each);
}

Status FrameWriter::info(std::uint16_t id, std::span<const InfoPair> pairs) {
  for (const InfoPair& p : pairs) {
    if (p.key.empty()) return Errc::invalid_argument;
  }
  const auto each = [pairs](auto& emit) {
    for (const InfoPair& p : pairs) {
      emit(Value(p.key));
      emit(p.value);
    }
  };
  return put(Command::internal, id, each);
}

Status FrameWriter::virtual_write(std::uint16_t id, int pin, std::span<const Value> values) {
  if (!is_valid_virtual_pin(pin)) return Errc::invalid_argument;
  const Value head[] = {Value("vw"), Value(pin)};
  return put(Command::hardware, id, Fields{head, values});
}

Status FrameWriter::digital_write(std::uint16_t id, int pin, int level) {
  if (!is_valid_physical_pin(pin) || (level != 0 && level != 1)) return Errc::invalid_argument;
  return append(Command::hardware, id, {Value("dw"), Value(pin), Value(level)});
}

Status FrameWriter::analog_write(std::uint16_t id, int pin, int value) {
  if (!is_valid_physical_pin(pin)) return Errc::invalid_argument;
  return append(Command::hardware, id, {Value("aw"), Value(pin), Value(value)});
}

Status FrameWriter::lcd_print(std::uint16_t id, int pin, int x, int y, std::string_view text) {
  if (!is_valid_virtual_pin(pin) || x < 0 || x > 15 || y < 0 || y > 1) return Errc::invalid_argument;
  return append(Command::hardware, id,
                {Value("vw"), Value(pin), Value("p"), Value(x), Value(y), Value(text)});
}

Status FrameWriter::lcd_clear(std::uint16_t id, int pin) {
  if (!is_valid_virtual_pin(pin)) return Errc::invalid_argument;
  return append(Command::hardware, id, {Value("vw"), Value(pin), Value("clr")});
}

Status FrameWriter::sync_all(std::uint16_t id) {
  return append_body(Command::hardware_sync, id, {});
}

Status FrameWriter::sync_virtual(std::uint16_t id, std::span<const int> pins) {
  if (pins.empty()) return Errc::invalid_argument;
  for (int pin : pins) {
    if (!is_valid_virtual_pin(pin)) return Errc::invalid_argument;
  }
  const auto each = [pins](auto& emit) {
    emit(Value("vr"));
    for (int pin : pins)
      emit(Value(pin));
  };
  return put(Command::hardware_sync, id, each);
}

Status FrameWriter::bridge_token(std::uint16_t id, int bridge_pin, std::string_view token) {
  if (!is_valid_virtual_pin(bridge_pin)) return Errc::invalid_argument;
  if (Status s = validate_token(token); !s) return s;
  return append(Command::bridge, id, {Value(bridge_pin), Value("i"), Value(token)});
}

Status FrameWriter::bridge_write(std::uint16_t id, int bridge_pin, HardwareOp op, int pin,
                                 std::span<const Value> values) {
  if (!is_valid_virtual_pin(bridge_pin) || !is_write(op)) return Errc::invalid_argument;
  const bool pin_ok =
      op == HardwareOp::virtual_write ? is_valid_virtual_pin(pin) : is_valid_physical_pin(pin);
  if (!pin_ok || values.empty()) return Errc::invalid_argument;
  const Value head[] = {Value(bridge_pin), Value(to_string(op)), Value(pin)};
  return put(Command::bridge, id, Fields{head, values});
}

Status FrameWriter::property(std::uint16_t id, int pin, std::string_view name,
                             std::span<const Value> values) {
  if (!is_valid_virtual_pin(pin) || name.empty() || values.empty()) return Errc::invalid_argument;
  const Value head[] = {Value(pin), Value(name)};
  return put(Command::property, id, Fields{head, values});
}

Status FrameWriter::put_text(Command command, std::uint16_t id, std::string_view text,
                             std::size_t max_chars) {
  const Value v(text);
  if (is_empty_or_has_error(v)) return v.ok() ? Errc::invalid_argument : v.error();
  if (utf8_length(text) > max_chars) return Errc::too_large;
  return put(command, id, Fields{std::span<const Value>(&v, 1), {}});
}

Status FrameWriter::notify(std::uint16_t id, std::string_view text) {
  return put_text(Command::notify, id, text, max_notify_chars);
}

Status FrameWriter::tweet(std::uint16_t id, std::string_view text) {
  return put_text(Command::tweet, id, text, max_tweet_chars);
}

Status FrameWriter::sms(std::uint16_t id, std::string_view text) {
  return put_text(Command::sms, id, text, max_body_size);
}

Status FrameWriter::email(std::uint16_t id, std::string_view to, std::string_view subject,
                          std::string_view body) {
  if (to.empty()) return Errc::invalid_argument;
  return append(Command::email, id, {Value(to), Value(subject), Value(body)});
}

Status FrameWriter::email(std::uint16_t id, std::string_view subject, std::string_view body) {
  return append(Command::email, id, {Value(subject), Value(body)});
}

Status FrameWriter::event_log(std::uint16_t id, std::string_view code) {
  if (code.empty()) return Errc::invalid_argument;
  return append(Command::event_log, id, {Value(code)});
}

Status FrameWriter::event_log(std::uint16_t id, std::string_view code, std::string_view description) {
  if (code.empty()) return Errc::invalid_argument;
  return append(Command::event_log, id, {Value(code), Value(description)});
}

Status FrameWriter::event_clear(std::uint16_t id, std::string_view code) {
  if (code.empty()) return Errc::invalid_argument;
  return append(Command::event_clear, id, {Value(code)});
}

Status FrameWriter::event_clear_all(std::uint16_t id, std::string_view code) {
  if (code.empty()) return Errc::invalid_argument;
  return append(Command::event_clear, id, {Value(code), Value("all")});
}

Status FrameWriter::rtc_sync(std::uint16_t id) {
  return append(Command::internal, id, {Value("rtc"), Value("sync")});
}

}  // namespace weft::blynk
