// BodyDecoder: turns the bytes that follow a response head into body bytes, for each framing (Content-Length,
// chunked, until close), incrementally and in place: feed whatever arrived, in any pieces. Pure (no I/O, no
// logging, no allocation); tests/fuzz/http_response_fuzz exercises it.
//
//   weft::net::BodyDecoder body(head.framing(false), head.content_length.value_or(0));
//   BodyDecoder::Step s = body.decode(received);   // received[0 .. s.produced) is body now
//   if (body.error() != weft::Errc::ok) ...        // Errc::protocol_error: broken chunk framing
//   if (body.done()) ...                           // received[s.consumed ..) is past the body's end
//
// decode() moves the body bytes of `data` to its front (chunk sizes, extensions, line ends and trailers are
// dropped; they are never longer than the input, so no extra buffer is needed) and stops at the end of the
// body. Chunked framing: hex size (at most 15 digits), optional ";extension" (at most kMaxExtension bytes per
// line), CRLF or a bare LF; trailer lines are skipped (at most kMaxTrailer bytes). Errors are sticky:
// Errc::protocol_error (malformed framing), Errc::closed (end_of_stream() before the body was complete).
// Cost: O(input); one memmove per chunk piece.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.hpp"
#include "response_head.hpp"

namespace weft::net {

class BodyDecoder {
 public:
  static constexpr std::size_t kMaxExtension = 256;
  static constexpr std::size_t kMaxTrailer = 4096;

  struct Step {
    std::size_t consumed = 0;  // input bytes used (framing included)
    std::size_t produced = 0;  // body bytes now at the front of the input
  };

  BodyDecoder() = default;  // no body: done at once
  BodyDecoder(BodyFraming framing, std::uint64_t content_length);

  // Decodes data in place (see above). After done() or an error: {0, 0}.
  Step decode(std::span<char> data);
  // The connection ended: completes an until-close body; Errc::closed (sticky) if the body was not complete.
  Status end_of_stream();

  [[nodiscard]] bool done() const { return state_ == State::done; }
  [[nodiscard]] Errc error() const { return error_; }
  [[nodiscard]] BodyFraming framing() const { return framing_; }
  // Body bytes produced so far.
  [[nodiscard]] std::uint64_t produced() const { return produced_; }
  // Body bytes still due when the framing says (Content-Length); 0 otherwise.
  [[nodiscard]] std::uint64_t remaining_length() const { return framing_ == BodyFraming::length ? left_ : 0; }

 private:
  enum class State : std::uint8_t {
    data,        // body bytes (left_ of them for length and chunk data; unbounded for until_close)
    size,        // chunk size digits
    size_space,  // blanks after the size
    extension,   // ;name=value after the size
    size_lf,     // the LF ending the size line
    data_cr,     // the CR (or bare LF) after a chunk's data
    data_lf,     // the LF after that CR
    trailer,     // at the start of a trailer line (an empty one ends the body)
    trailer_line,
    last_lf,  // the LF of the final empty line
    done,
    failed,
  };
  bool fail(Errc e);
  bool framing_byte(char c);

  State state_ = State::done;
  BodyFraming framing_ = BodyFraming::none;
  Errc error_ = Errc::ok;
  std::uint64_t left_ = 0;  // bytes left in the body (length) or the current chunk
  std::uint64_t produced_ = 0;
  std::size_t digits_ = 0;  // chunk size digits so far
  std::size_t extra_ = 0;   // extension or trailer bytes so far
};

}  // namespace weft::net
