#include "body_decoder.hpp"

#include <cstring>

namespace weft::net {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::size_t kMaxSizeDigits = 15;  // < 2^60: no overflow, and far beyond any real chunk

}  // namespace

BodyDecoder::BodyDecoder(BodyFraming framing, std::uint64_t content_length) : framing_(framing) {
  switch (framing) {
    case BodyFraming::none:
      state_ = State::done;
      break;
    case BodyFraming::length:
      left_ = content_length;
      state_ = content_length == 0 ? State::done : State::data;
      break;
    case BodyFraming::chunked:
      state_ = State::size;
      break;
    case BodyFraming::until_close:
      state_ = State::data;
      break;
  }
}

bool BodyDecoder::fail(Errc e) {
  state_ = State::failed;
  error_ = e;
  return false;
}

Status BodyDecoder::end_of_stream() {
  if (state_ == State::failed) return error_;
  if (state_ == State::done) return {};
  if (framing_ == BodyFraming::until_close) {
    state_ = State::done;
    return {};
  }
  fail(Errc::closed);
  return error_;
}

// One byte of chunk framing (everything but the data); false when it is malformed.
bool BodyDecoder::framing_byte(char c) {
  // After a size line: the chunk's data, or the trailer section after the last (zero-size) chunk.
  State after_size = left_ == 0 ? State::trailer : State::data;
  switch (state_) {
    case State::size: {
      int v = hex_value(c);
      if (v >= 0) {
        left_ = left_ * 16 + static_cast<std::uint64_t>(v);
        return ++digits_ <= kMaxSizeDigits;
      }
      if (digits_ == 0) return false;  // a size line without a size
      if (c == ' ' || c == '\t')
        state_ = State::size_space;
      else if (c == ';')
        state_ = State::extension;
      else if (c == '\r')
        state_ = State::size_lf;
      else if (c == '\n')
        state_ = after_size;
      else
        return false;
      return true;
    }
    case State::size_space:
      if (c == ';')
        state_ = State::extension;
      else if (c == '\r')
        state_ = State::size_lf;
      else if (c == '\n')
        state_ = after_size;
      else if (c != ' ' && c != '\t')
        return false;
      return true;
    case State::extension:
      if (c == '\r')
        state_ = State::size_lf;
      else if (c == '\n')
        state_ = after_size;
      else
        return ++extra_ <= kMaxExtension;
      return true;
    case State::size_lf:
      state_ = after_size;
      return c == '\n';
    case State::data_cr:
      digits_ = 0;
      extra_ = 0;
      if (c == '\r')
        state_ = State::data_lf;
      else if (c == '\n')
        state_ = State::size;
      else
        return false;
      return true;
    case State::data_lf:
      state_ = State::size;
      return c == '\n';
    case State::trailer:
      if (c == '\r')
        state_ = State::last_lf;
      else if (c == '\n')
        state_ = State::done;
      else
        state_ = State::trailer_line;
      return ++extra_ <= kMaxTrailer;
    case State::trailer_line:
      if (c == '\n') state_ = State::trailer;
      return ++extra_ <= kMaxTrailer;
    case State::last_lf:
      state_ = State::done;
      return c == '\n';
    case State::data:
    case State::done:
    case State::failed:
      break;
  }
  return false;
}

BodyDecoder::Step BodyDecoder::decode(std::span<char> data) {
  Step s;
  std::size_t in = 0;
  while (in < data.size() && state_ != State::done && state_ != State::failed) {
    if (state_ != State::data) {
      if (!framing_byte(data[in++])) fail(Errc::protocol_error);
      continue;
    }
    std::size_t avail = data.size() - in;
    std::size_t n =
        framing_ == BodyFraming::until_close || left_ >= avail ? avail : static_cast<std::size_t>(left_);
    std::memmove(data.data() + s.produced, data.data() + in, n);  // produced <= in: moves down, in place
    s.produced += n;
    produced_ += n;
    in += n;
    if (framing_ == BodyFraming::until_close) continue;
    left_ -= n;
    if (left_ == 0) state_ = framing_ == BodyFraming::length ? State::done : State::data_cr;
  }
  s.consumed = in;
  return s;
}

}  // namespace weft::net
