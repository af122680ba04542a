#include "frame_writer.hpp"

#include <cstring>

#include "frame.hpp"

namespace weft::blynk {

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
  return append(Message::of(command, fields), id);
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

Status FrameWriter::append(const Message& m, std::uint16_t id) {
  if (id == 0) return Errc::invalid_argument;
  if (Status s = m.status(); !s) return s;
  if (m.size() > remaining()) return Errc::too_large;
  m.write(out_ + size_, id);
  size_ += m.size();
  return {};
}

Status FrameWriter::virtual_write(std::uint16_t id, int pin, std::span<const Value> values) {
  return append(Message::virtual_write(pin, values), id);
}

Status FrameWriter::digital_write(std::uint16_t id, int pin, int level) {
  return append(Message::digital_write(pin, level), id);
}

Status FrameWriter::analog_write(std::uint16_t id, int pin, int value) {
  return append(Message::analog_write(pin, value), id);
}

Status FrameWriter::lcd_print(std::uint16_t id, int pin, int x, int y, std::string_view text) {
  return append(Message::lcd_print(pin, x, y, text), id);
}

Status FrameWriter::lcd_clear(std::uint16_t id, int pin) {
  return append(Message::lcd_clear(pin), id);
}

Status FrameWriter::sync_all(std::uint16_t id) {
  return append(Message::sync_all(), id);
}

Status FrameWriter::sync_virtual(std::uint16_t id, std::span<const int> pins) {
  return append(Message::sync_virtual(pins), id);
}

Status FrameWriter::bridge_token(std::uint16_t id, int bridge_pin, std::string_view token) {
  return append(Message::bridge_token(bridge_pin, token), id);
}

Status FrameWriter::bridge_write(std::uint16_t id, int bridge_pin, HardwareOp op, int pin,
                                 std::span<const Value> values) {
  return append(Message::bridge_write(bridge_pin, op, pin, values), id);
}

Status FrameWriter::property(std::uint16_t id, int pin, std::string_view name,
                             std::span<const Value> values) {
  return append(Message::property(pin, name, values), id);
}

Status FrameWriter::notify(std::uint16_t id, std::string_view text) {
  return append(Message::notify(text), id);
}

Status FrameWriter::tweet(std::uint16_t id, std::string_view text) {
  return append(Message::tweet(text), id);
}

Status FrameWriter::sms(std::uint16_t id, std::string_view text) {
  return append(Message::sms(text), id);
}

Status FrameWriter::email(std::uint16_t id, std::string_view to, std::string_view subject,
                          std::string_view body) {
  return append(Message::email(to, subject, body), id);
}

Status FrameWriter::email(std::uint16_t id, std::string_view subject, std::string_view body) {
  return append(Message::email(subject, body), id);
}

Status FrameWriter::event_log(std::uint16_t id, std::string_view code) {
  return append(Message::event_log(code), id);
}

Status FrameWriter::event_log(std::uint16_t id, std::string_view code, std::string_view description) {
  return append(Message::event_log(code, description), id);
}

Status FrameWriter::event_clear(std::uint16_t id, std::string_view code) {
  return append(Message::event_clear(code), id);
}

Status FrameWriter::event_clear_all(std::uint16_t id, std::string_view code) {
  return append(Message::event_clear_all(code), id);
}

Status FrameWriter::rtc_sync(std::uint16_t id) {
  return append(Message::rtc_sync(), id);
}

}  // namespace weft::blynk
