// Frame: one Blynk message as the parser hands it out — a decoded 5-byte header plus a view of the body.
//
// Wire layout: `u8 command | u16 message id | u16 length`, both 16-bit fields big-endian, then `length` body
// bytes — except for RESPONSE, which has no body: its length field is the status code.
#pragma once
#include <cstdint>
#include <string_view>

#include "protocol.hpp"

namespace weft::blynk {

struct FrameHeader {
  Command command = Command::response;
  std::uint16_t id = 0;
  std::uint16_t length = 0;  // body size, or the status for a RESPONSE

  // The number of body bytes that follow this header on the wire: 0 for a RESPONSE, else length.
  [[nodiscard]] constexpr std::uint16_t body_size() const {
    return command == Command::response ? 0 : length;
  }
  friend constexpr bool operator==(const FrameHeader&, const FrameHeader&) = default;
};

// Decodes the 5 header bytes at p (caller guarantees 5 readable bytes). No validation: see FrameParser.
[[nodiscard]] [[gnu::always_inline]] constexpr FrameHeader decode_header(const char* p) {
  const auto byte = [p](int i) { return static_cast<std::uint8_t>(p[i]); };
  return FrameHeader{static_cast<Command>(byte(0)), static_cast<std::uint16_t>(byte(1) << 8 | byte(2)),
                     static_cast<std::uint16_t>(byte(3) << 8 | byte(4))};
}

// Encodes h into the 5 bytes at out (caller guarantees room).
constexpr void encode_header(char* out, FrameHeader h) {
  out[0] = static_cast<char>(static_cast<std::uint8_t>(h.command));
  out[1] = static_cast<char>(h.id >> 8);
  out[2] = static_cast<char>(h.id & 0xFF);
  out[3] = static_cast<char>(h.length >> 8);
  out[4] = static_cast<char>(h.length & 0xFF);
}

// A parsed frame. `body` views either the caller's input or the parser's buffer (see FrameParser::next for
// how long it stays valid); it is empty for a RESPONSE and for a zero-length body.
struct Frame {
  Command command = Command::response;
  std::uint16_t id = 0;
  std::uint16_t length = 0;  // as on the wire: body size, or the status for a RESPONSE
  std::string_view body;

  [[nodiscard]] constexpr bool is_response() const { return command == Command::response; }
  // The status a RESPONSE carries (meaningless for other commands).
  [[nodiscard]] constexpr StatusCode status() const { return static_cast<StatusCode>(length); }
  [[nodiscard]] constexpr FrameHeader header() const { return {command, id, length}; }
};

}  // namespace weft::blynk
