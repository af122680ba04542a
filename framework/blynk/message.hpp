// Message: one outgoing frame as data — its command, its fields, and how many leading fields form the
// coalescing key (Outbox). The named constructors validate the arguments; building a Message also sizes the
// frame, in the same pass over the fields that checks each Value. size() is what write() writes because both
// walk the same fields, which a Message never changes after construction.
//
//   const Message m = Message::virtual_write(5, values);    // validated and sized here
//   if (!m.status()) ...;                                    // invalid_argument / too_large
//   outbox.put(m);  or  frame_writer.append(m, id);          // written once, no second pass to size it
//
// The first fields (up to kMaxHead: the op, pins, names) are copied into the Message; the values after them
// are a view of the caller's span, which must outlive the Message. Six Values on the stack; no allocation.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "body.hpp"
#include "core/result.hpp"
#include "hardware.hpp"
#include "protocol.hpp"

namespace weft::blynk {

class Message {
 public:
  static constexpr std::size_t kMaxHead = 6;

  // Any command but RESPONSE, fields joined by NUL, never coalesced.
  static Message of(Command command, std::span<const Value> fields) { return {command, {}, fields, 0}; }
  // HARDWARE (20)
  static Message virtual_write(int pin, std::span<const Value> values);  // key: vw, pin
  static Message lcd_print(int pin, int x, int y, std::string_view text);
  static Message lcd_clear(int pin);
  static Message terminal_write(int pin, std::string_view text);  // a vw that is never coalesced
  static Message digital_write(int pin, int level);
  static Message analog_write(int pin, int value);
  // HARDWARE_SYNC (16)
  static Message sync_all();
  static Message sync_virtual(std::span<const int> pins);  // at least one pin
  // BRIDGE (15)
  static Message bridge_token(int bridge_pin, std::string_view token);  // key: pin, i
  static Message bridge_write(int bridge_pin, HardwareOp op, int pin, std::span<const Value> values);
  // PROPERTY (19)
  static Message property(int pin, std::string_view name, std::span<const Value> values);  // key: pin, name
  // Notifications: NOTIFY 1..255 characters, TWEET 1..140, SMS not empty; EMAIL.
  static Message notify(std::string_view text);
  static Message tweet(std::string_view text);
  static Message sms(std::string_view text);
  static Message email(std::string_view to, std::string_view subject, std::string_view body);
  static Message email(std::string_view subject, std::string_view body);
  // Blynk IoT events and groups.
  static Message event_log(std::string_view code);
  static Message event_log(std::string_view code, std::string_view description);
  static Message event_clear(std::string_view code);
  static Message event_clear_all(std::string_view code);
  static Message group_begin();
  static Message group_begin(std::int64_t timestamp_ms);
  static Message group_end();
  // INTERNAL (17)
  static Message rtc_sync();                          // key: rtc, sync
  static Message utc_request(std::string_view what);  // key: utc, what

  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  // ok, or why the message cannot be sent: invalid_argument (a pin out of range, a NUL in a text, NaN, an
  // empty required text, a bad token), too_large (a body over 65535 bytes or over a text limit).
  [[nodiscard]] Status status() const { return error_; }
  [[nodiscard]] Command command() const { return command_; }
  // The whole frame's size (header included); meaningful when status() is ok.
  [[nodiscard]] std::size_t size() const { return header_size + body_size_; }
  // The fields a later message must match to replace this one in the Outbox (empty: never replaced).
  [[nodiscard]] std::span<const Value> key() const { return {head_.data(), key_fields_}; }
  // Never coalesced (writes inside a group).
  void drop_key() { key_fields_ = 0; }
  // Writes the frame, header included, to out[0 .. size()). Requires status() ok and id != 0.
  void write(char* out, std::uint16_t id) const;

 private:
  Message(Command command, std::initializer_list<Value> head, std::span<const Value> tail, std::size_t key,
          std::span<const int> pins = {});
  explicit Message(Errc error) : error_(error) {}
  static Message text(Command command, std::string_view text, std::size_t max_chars);

  std::array<Value, kMaxHead> head_;
  std::span<const Value> tail_;
  std::span<const int> pins_;  // sync_virtual's pins, after the tail
  std::size_t body_size_ = 0;
  Command command_ = Command::hardware;
  std::uint8_t head_count_ = 0;
  std::uint8_t key_fields_ = 0;
  Errc error_ = Errc::ok;
};

}  // namespace weft::blynk
