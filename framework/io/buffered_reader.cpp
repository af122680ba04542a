#include "buffered_reader.hpp"

#include <algorithm>
#include <cstring>

namespace weft {

BufferedReader::FillAwaiter BufferedReader::fill(std::size_t n) {
  return {*this, n};
}
BufferedReader::LineAwaiter BufferedReader::read_until(char delimiter) {
  return {*this, delimiter};
}
TcpStream::ReadAwaiter BufferedReader::read_exactly(std::span<char> into) {
  return {&stream_->socket_, into, true, this};
}
TcpStream::ReadAwaiter BufferedReader::read_some(std::span<char> into) {
  return {&stream_->socket_, into, false, this};
}

void BufferedReader::consume(std::size_t n) {
  begin_ += std::min(n, end_ - begin_);
  if (begin_ == end_) begin_ = end_ = 0;
}

std::size_t BufferedReader::take(std::span<char> to) {
  std::size_t n = std::min(to.size(), end_ - begin_);
  if (n > 0) std::memcpy(to.data(), storage_.data() + begin_, n);
  consume(n);
  return n;
}

void BufferedReader::compact() {
  std::memmove(storage_.data(), storage_.data() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
}

bool BufferedReader::Filler::attempt(SocketOp& op) {
  auto& self = static_cast<Filler&>(op);
  BufferedReader& r = *self.reader_;
  for (;;) {
    if (self.satisfied_(self)) return true;
    if (r.end_ == r.storage_.size()) {
      if (r.begin_ == 0) {
        self.outcome_ = Errc::too_large;
        return true;
      }
      r.compact();
    }
    if (!self.may_read()) return false;
    IoAttempt a = self.read_once(r.storage_.data() + r.end_, r.storage_.size() - r.end_);
    if (a.error == Errc::would_block) return false;
    r.end_ += a.count;
    if (a.error != Errc::ok) {
      self.outcome_ = a.error;
      return true;
    }
  }
}

bool BufferedReader::FillAwaiter::await_ready() {
  if (wanted_ > reader_->capacity()) {
    outcome_ = Errc::too_large;
    return true;
  }
  return start();
}

bool BufferedReader::FillAwaiter::enough(Filler& f) {
  auto& self = static_cast<FillAwaiter&>(f);
  return self.reader_->end_ - self.reader_->begin_ >= self.wanted_;
}

bool BufferedReader::LineAwaiter::found(Filler& f) {
  auto& self = static_cast<LineAwaiter&>(f);
  std::span<char> b = self.reader_->buffered();
  const void* hit = b.size() > self.scanned_
                        ? std::memchr(b.data() + self.scanned_, self.delimiter_, b.size() - self.scanned_)
                        : nullptr;
  if (hit == nullptr) {
    self.scanned_ = b.size();
    return false;
  }
  self.line_ = static_cast<std::size_t>(static_cast<const char*>(hit) - b.data()) + 1;
  return true;
}

Result<std::span<char>> BufferedReader::LineAwaiter::await_resume() {
  Errc e = error();
  if (e != Errc::ok) return e;
  std::span<char> line = reader_->buffered().first(line_);
  reader_->begin_ += line_;  // not consume(): the span must stay valid until the next read
  return line;
}

}  // namespace weft
