// FrameParser: a byte stream, chunked any way the network likes, in; Frames out, copied only when split.
//
//   std::string_view in{rx, n};              // one read
//   for (;;) {
//     Result<Frame> f = parser.next(in);     // consumes from `in`
//     if (f.error() == Errc::would_block) break;   // all of `in` consumed; read more
//     if (!f) return f.error();              // too_large / protocol_error: drop the connection
//     dispatch(*f);
//   }
//
// Zero copy: a frame whose body lies whole in the input is handed out as a view into the input. Only a body
// that is split across reads is reassembled, into the fixed buffer given at construction (a split header is
// kept in 5 bytes of the parser itself, and does not force a copy of the body).
//
// Limits: the buffer's size is the device's `buff-in`, the largest body it accepts (capped at 65535). A
// header announcing a larger body fails with Errc::too_large before any body byte is read — also when the
// body would lie whole in the input — so no frame longer than buff-in ever comes out and nothing is ever
// written past the buffer. Message id 0 fails with Errc::protocol_error. RESPONSE has no body: its length
// field is the status, and no bytes are consumed for it beyond the header. Unknown command codes are not
// errors: they come out as frames with their code and body (the session answers them with
// StatusCode::illegal_command).
//
// After an error the parser is `failed()` and stays so (every next() returns the same error without consuming
// input) until reset(); header() tells which header was rejected. The stream cannot be resynchronised — the
// session drops the connection and calls reset() for the next one.
//
// Cost: O(1) per frame plus a memcpy of the bytes that had to be reassembled. No allocation, no exceptions.
// Not thread-safe; one parser per connection.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "frame.hpp"

namespace weft::blynk {

class FrameParser {
 public:
  // body_buffer: where split bodies are reassembled; its size (at most 65535 is used) is the buff-in limit.
  // The buffer must outlive the parser.
  explicit FrameParser(std::span<char> body_buffer);
  FrameParser(const FrameParser&) = delete;
  FrameParser& operator=(const FrameParser&) = delete;

  // Consumes bytes from the front of `input` until one frame is complete, and returns it.
  //  - A Frame: `input` now starts right after it. Its body views `input`'s storage (valid as long as
  //    that is) or the parser's buffer (valid until the next call to next() or reset()).
  //  - Errc::would_block: `input` is empty now; every byte of it was kept (the frame continues in the
  //    next read).
  //  - Errc::protocol_error (message id 0) or Errc::too_large (body larger than buff_in()): the parser
  //    is failed; `input` is left where the offending header ended.
  [[nodiscard]] Result<Frame> next(std::string_view& input);

  // Forget any partial frame and any error: ready for a new connection.
  void reset();

  // The largest body accepted: the buffer's size, capped at 65535. Announce it as `buff-in`.
  [[nodiscard]] std::size_t buff_in() const { return capacity_; }
  // True between frames: no partial header or body is held.
  [[nodiscard]] bool idle() const { return state_ == State::header && header_have_ == 0; }
  [[nodiscard]] bool failed() const { return state_ == State::failed; }
  // Errc::ok, or the error that failed the parser.
  [[nodiscard]] Errc error() const { return error_; }
  // The last header decoded: the rejected one after a failure (for a log line such as
  // "HARDWARE id 7 length 300 exceeds buff-in 256").
  [[nodiscard]] FrameHeader header() const { return header_; }
  // Bytes of the current partial frame held so far (header and body), 0 when idle.
  [[nodiscard]] std::size_t pending() const;

 private:
  enum class State : std::uint8_t { header, body, failed };

  Errc fail(Errc e);
  Result<Frame> next_in_parts(std::string_view& input);  // next() for split frames, failures and errors

  char* buffer_;
  std::uint16_t capacity_;
  std::uint16_t body_have_ = 0;
  FrameHeader header_{};
  std::array<char, header_size> header_bytes_{};
  std::uint8_t header_have_ = 0;
  State state_ = State::header;
  Errc error_ = Errc::ok;
};

namespace detail {
template <std::size_t N>
struct ParserStorage {
  std::array<char, N> storage{};
};
}  // namespace detail

// A FrameParser that owns its buffer: StaticFrameParser<256> parser; (buff-in 256).
template <std::size_t BuffIn>
class StaticFrameParser : private detail::ParserStorage<BuffIn>, public FrameParser {
  static_assert(BuffIn >= 1 && BuffIn <= max_body_size, "buff-in is 1..65535 bytes");

 public:
  StaticFrameParser() : FrameParser(std::span<char>(this->storage)) {}
};

}  // namespace weft::blynk
