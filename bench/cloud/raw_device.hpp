// A raw Blynk device for the cloud benches: a TcpStream and the codec, no client library, so that what is
// measured is the cloud.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "blynk/codec.hpp"
#include "core/weft.hpp"
#include "io/io.hpp"

namespace weft::bench {

// One frame as it goes on the wire: the header, then `body`.
inline std::string frame(blynk::Command c, std::uint16_t id, std::string_view body) {
  char h[blynk::header_size];
  blynk::encode_header(h, {c, id, static_cast<std::uint16_t>(body.size())});
  return std::string(h, sizeof h) + std::string(body);
}

// Reads `s` until it ends or fails, calling `on_frame(const blynk::Frame&)` for each frame (bodies up to
// 512 bytes; the frame's views last until the call returns).
template <class OnFrame>
Task<> read_frames(TcpStream& s, OnFrame on_frame) {
  std::vector<char> buffer(512);
  blynk::FrameParser parser(buffer);
  char buf[4096];
  for (;;) {
    IoResult r = co_await s.read_some(buf);
    if (!r) co_return;
    std::string_view in(buf, r.count);
    for (;;) {
      Result<blynk::Frame> f = parser.next(in);
      if (!f) break;
      on_frame(*f);
    }
  }
}

}  // namespace weft::bench
