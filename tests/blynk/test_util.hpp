// Helpers for the codec tests: bytes as hex, frames built by hand (independently of FrameWriter).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "blynk/frame.hpp"

namespace weft::blynk::test {

// "14 00 01 00 02 76 77": lowercase hex, one space between bytes.
inline std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (i != 0) out += ' ';
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

// A frame as raw bytes, header written by hand.
inline std::string raw_frame(std::uint8_t command, std::uint16_t id, std::uint16_t length,
                             std::string_view body) {
  std::string f;
  f += static_cast<char>(command);
  f += static_cast<char>(id >> 8);
  f += static_cast<char>(id & 0xFF);
  f += static_cast<char>(length >> 8);
  f += static_cast<char>(length & 0xFF);
  f += body;
  return f;
}
inline std::string raw_frame(Command command, std::uint16_t id, std::string_view body) {
  return raw_frame(static_cast<std::uint8_t>(command), id, static_cast<std::uint16_t>(body.size()), body);
}

}  // namespace weft::blynk::test
