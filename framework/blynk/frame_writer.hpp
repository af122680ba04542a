// FrameWriter: builds whole frames into a fixed buffer, one after another, ready to send.
//
//   std::array<char, 512> tx;
//   FrameWriter w(tx);
//   if (Status s = w.virtual_write(ids.next(), 5, 21.5, "ok"); !s) log(s.error());
//   send(w.data());  w.clear();
//
// Every builder is all-or-nothing: it validates its arguments and computes the exact frame size before
// writing a byte, so on error the buffer is untouched — never a truncated or half-written frame. Errors:
//   Errc::invalid_argument  message id 0; a pin outside 0..255 (virtual and physical); a token that is not
//                           32 characters of A-Z a-z 0-9 - _ (check_token tells why); a Value that cannot
//                           be sent (text with a NUL, NaN, infinity, |x| >= ~1e18); an empty text where the
//                           server requires one; LCD x outside 0..15 or y outside 0..1; `append` of a
//                           RESPONSE (use response(): it has no body)
//   Errc::too_large         the frame does not fit the space left in the buffer; a body over 65535 bytes;
//                           a notification over its limit (tweet 140, notify 255 characters)
// Message ids come from the caller: a MessageIdGenerator for what the device originates, the request's id for
// answers (RESPONSE to PING, `vw` answering `vr`, `dw`/`aw` answering `dr`/`ar`).
//
// Cost: O(frame size); the fields are checked and sized once (Message), then written. No allocation, no
// exceptions.
#pragma once
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "body.hpp"
#include "core/result.hpp"
#include "hardware.hpp"
#include "message.hpp"
#include "protocol.hpp"

namespace weft::blynk {

// What a device tells the server about itself right after login (INTERNAL, `key\0value` pairs).
// Empty strings and zero numbers are left out; the order is the one the official client uses.
struct DeviceInfo {
  std::string_view version;        // "ver": the client library version
  std::uint32_t heartbeat_s = 45;  // "h-beat": heartbeat period in seconds (10..3600)
  std::uint32_t buff_in = 256;     // "buff-in": the largest body the device accepts (FrameParser::buff_in())
  std::string_view device;         // "dev": board name, e.g. "ESP8266"
  std::string_view cpu;            // "cpu"
  std::string_view connection;     // "con": e.g. "WiFi"
  std::string_view firmware_type;  // "fw-type"
  std::string_view firmware;       // "fw": firmware version
  std::string_view build;          // "build": build date or id
  std::string_view template_id;    // "tmpl": Blynk IoT template id (required there)
};

struct InfoPair {
  std::string_view key;
  Value value;
};

class FrameWriter {
 public:
  // out: where frames are built; it must outlive the writer.
  explicit FrameWriter(std::span<char> out) : out_(out.data()), capacity_(out.size()) {}
  FrameWriter(const FrameWriter&) = delete;
  FrameWriter& operator=(const FrameWriter&) = delete;

  // The frames built so far, back to back.
  [[nodiscard]] std::string_view data() const { return {out_, size_}; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] std::size_t remaining() const { return capacity_ - size_; }
  // Drop everything (after a send).
  void clear() { size_ = 0; }
  // Drop the first n bytes (after a partial send); the rest moves to the front. O(size).
  void consume(std::size_t n);

  // --- Generic -------------------------------------------------------------------------------------------
  // A frame whose body is the fields joined by NUL. Any command but RESPONSE.
  Status append(Command command, std::uint16_t id, std::span<const Value> fields);
  Status append(Command command, std::uint16_t id, std::initializer_list<Value> fields) {
    return append(command, id, std::span<const Value>(fields.begin(), fields.size()));
  }
  // A Message (message.hpp): its own validation error, or too_large when it does not fit the space left.
  Status append(const Message& m, std::uint16_t id);
  // A frame with a ready-made body, taken as is (any bytes; e.g. built with a BodyWriter, or forwarded).
  Status append_body(Command command, std::uint16_t id, std::string_view body);

  // --- Connection ----------------------------------------------------------------------------------------
  Status response(std::uint16_t id, StatusCode status);  // header only: the length field is the status
  Status ping(std::uint16_t id);                         // empty body
  Status hw_login(std::uint16_t id,
                  std::string_view token);                 // HW_LOGIN (29), body = token; id is 1 by protocol
  Status login(std::uint16_t id, std::string_view token);  // legacy LOGIN (2)
  Status info(std::uint16_t id, const DeviceInfo& info);   // INTERNAL `ver\0..\0h-beat\0..\0buff-in\0..`
  Status info(std::uint16_t id, std::span<const InfoPair> pairs);  // INTERNAL, pairs in the given order
  Status info(std::uint16_t id, std::initializer_list<InfoPair> pairs) {
    return info(id, std::span<const InfoPair>(pairs.begin(), pairs.size()));
  }

  // --- HARDWARE (20) -------------------------------------------------------------------------------------
  // `vw\0pin\0v1[\0v2...]`: one or more values (ints, floats, strings, bools, Values).
  template <field_value V, field_value... Vs>
  Status virtual_write(std::uint16_t id, int pin, const V& first, const Vs&... rest) {
    const Value list[] = {Value(first), Value(rest)...};
    return virtual_write(id, pin, std::span<const Value>(list));
  }
  Status virtual_write(std::uint16_t id, int pin,
                       std::span<const Value> values);         // a runtime list (may be empty)
  Status digital_write(std::uint16_t id, int pin, int level);  // `dw\0pin\0level`, level 0 or 1
  Status analog_write(std::uint16_t id, int pin, int value);   // `aw\0pin\0value`
  // LCD widget in advanced mode: `vw\0pin\0p\0x\0y\0text` (x 0..15, y 0..1) and `vw\0pin\0clr`.
  Status lcd_print(std::uint16_t id, int pin, int x, int y, std::string_view text);
  Status lcd_clear(std::uint16_t id, int pin);

  // --- HARDWARE_SYNC (16) --------------------------------------------------------------------------------
  Status sync_all(std::uint16_t id);                                 // empty body: every pin
  Status sync_virtual(std::uint16_t id, std::span<const int> pins);  // `vr\0p1\0p2...`, at least one pin
  Status sync_virtual(std::uint16_t id, std::initializer_list<int> pins) {
    return sync_virtual(id, std::span<const int>(pins.begin(), pins.size()));
  }

  // --- BRIDGE (15) ---------------------------------------------------------------------------------------
  // Binds the bridge on bridge_pin to the device with this token: `bridgePin\0i\0token`.
  Status bridge_token(std::uint16_t id, int bridge_pin, std::string_view token);
  // Writes through the bridge: `bridgePin\0op\0pin\0v...`, op one of vw, dw, aw.
  Status bridge_write(std::uint16_t id, int bridge_pin, HardwareOp op, int pin,
                      std::span<const Value> values);
  template <field_value V, field_value... Vs>
  Status bridge_virtual_write(std::uint16_t id, int bridge_pin, int pin, const V& first, const Vs&... rest) {
    const Value list[] = {Value(first), Value(rest)...};
    return bridge_write(id, bridge_pin, HardwareOp::virtual_write, pin, std::span<const Value>(list));
  }

  // --- PROPERTY (19) -------------------------------------------------------------------------------------
  // `pin\0property\0value[\0...]`, e.g. property(id, 5, "color", "#D3435C"), property(id, 5, "labels", "a",
  // "b").
  Status property(std::uint16_t id, int pin, std::string_view name, std::span<const Value> values);
  template <field_value V, field_value... Vs>
  Status property(std::uint16_t id, int pin, std::string_view name, const V& first, const Vs&... rest) {
    const Value list[] = {Value(first), Value(rest)...};
    return property(id, pin, name, std::span<const Value>(list));
  }

  // --- Notifications -------------------------------------------------------------------------------------
  Status notify(std::uint16_t id, std::string_view text);  // NOTIFY (14), 1..255 characters
  Status tweet(std::uint16_t id, std::string_view text);   // TWEET (12), 1..140 characters
  Status sms(std::uint16_t id, std::string_view text);     // SMS (18), not empty
  Status email(std::uint16_t id, std::string_view to, std::string_view subject,
               std::string_view body);  // (13)
  Status email(std::uint16_t id, std::string_view subject,
               std::string_view body);  // to the account's address

  // --- Events (Blynk IoT) --------------------------------------------------------------------------------
  Status event_log(std::uint16_t id, std::string_view code);  // EVENT_LOG (64)
  Status event_log(std::uint16_t id, std::string_view code,
                   std::string_view description);                   // `code\0description`
  Status event_clear(std::uint16_t id, std::string_view code);      // EVENT_CLEAR (65) `code`
  Status event_clear_all(std::uint16_t id, std::string_view code);  // `code\0all`

  // --- INTERNAL (17) -------------------------------------------------------------------------------------
  Status internal(std::uint16_t id, std::initializer_list<Value> fields) {
    return append(Command::internal, id, fields);
  }
  Status rtc_sync(std::uint16_t id);  // `rtc\0sync`: the server answers INTERNAL `rtc\0<epoch seconds>`

 private:
  // Writes one frame whose fields come from each_field(emit), which calls emit(const Value&) per field;
  // it is called twice (size, then write). Defined in frame_writer.cpp, the only place that uses it.
  template <typename EachField>
  Status put(Command command, std::uint16_t id, const EachField& each_field);

  char* out_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};

}  // namespace weft::blynk
