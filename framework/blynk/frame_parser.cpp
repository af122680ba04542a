#include "frame_parser.hpp"

#include <algorithm>
#include <cstring>

namespace weft::blynk {

namespace {
std::uint16_t clamp_capacity(std::size_t n) {
  return static_cast<std::uint16_t>(n > max_body_size ? max_body_size : n);
}
}  // namespace

FrameParser::FrameParser(std::span<char> body_buffer)
    : buffer_(body_buffer.data()), capacity_(clamp_capacity(body_buffer.size())) {}

void FrameParser::reset() {
  body_have_ = 0;
  header_ = {};
  header_have_ = 0;
  state_ = State::header;
  error_ = Errc::ok;
}

std::size_t FrameParser::pending() const {
  switch (state_) {
    case State::header:
      return header_have_;
    case State::body:
      return header_size + body_have_;
    case State::failed:
      return 0;
  }
  return 0;
}

Errc FrameParser::fail(Errc e) {
  state_ = State::failed;
  error_ = e;
  return e;
}

Result<Frame> FrameParser::next(std::string_view& input) {
  // The common case first: between frames, with the whole frame in the input. Nothing is copied and the
  // state does not change; anything else (a split frame, a bad header) takes the general path below.
  if (state_ == State::header && header_have_ == 0 && input.size() >= header_size) {
    const FrameHeader h = decode_header(input.data());
    const std::uint16_t body_size = h.body_size();
    if (h.id != 0 && body_size <= capacity_ && input.size() - header_size >= body_size) {
      header_ = h;
      const char* const body = input.data() + header_size;
      input.remove_prefix(header_size + body_size);
      return Frame{h.command, h.id, h.length,
                   body_size == 0 ? std::string_view{} : std::string_view(body, body_size)};
    }
  }
  return next_in_parts(input);
}

Result<Frame> FrameParser::next_in_parts(std::string_view& input) {
  if (state_ == State::failed) return error_;

  if (state_ == State::header) {
    if (header_have_ == 0 && input.size() >= header_size) {
      header_ = decode_header(input.data());  // the common case: the header is whole in the input
      input.remove_prefix(header_size);
    } else {
      const std::size_t n = std::min<std::size_t>(header_size - header_have_, input.size());
      if (n != 0) std::memcpy(header_bytes_.data() + header_have_, input.data(), n);
      header_have_ = static_cast<std::uint8_t>(header_have_ + n);
      input.remove_prefix(n);
      if (header_have_ < header_size) return Errc::would_block;
      header_ = decode_header(header_bytes_.data());
      header_have_ = 0;
    }
    if (header_.id == 0) return fail(Errc::protocol_error);
    const std::uint16_t body_size = header_.body_size();
    if (body_size > capacity_) return fail(Errc::too_large);
    if (body_size == 0) return Frame{header_.command, header_.id, header_.length, {}};
    body_have_ = 0;
    state_ = State::body;
  }

  // State::body: header_ is valid, body_have_ bytes of the body are in buffer_.
  const std::size_t need = header_.length - body_have_;
  if (body_have_ == 0 && input.size() >= need) {
    const std::string_view body(input.data(),
                                need);  // whole in the input: no copy (and no substr: it throws)
    input.remove_prefix(need);
    state_ = State::header;
    return Frame{header_.command, header_.id, header_.length, body};
  }
  const std::size_t n = std::min(need, input.size());
  if (n != 0) std::memcpy(buffer_ + body_have_, input.data(), n);
  body_have_ = static_cast<std::uint16_t>(body_have_ + n);
  input.remove_prefix(n);
  if (body_have_ < header_.length) return Errc::would_block;
  state_ = State::header;
  return Frame{header_.command, header_.id, header_.length, std::string_view(buffer_, header_.length)};
}

}  // namespace weft::blynk
