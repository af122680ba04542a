#include "terminal.hpp"

#include <algorithm>
#include <cstring>

#include "core/log.hpp"

namespace weft::blynk {

Status TerminalBase::refuse_value() {
  WEFT_LOG_ERROR(
      "Blynk: Terminal(V%d).print: a NUL inside the text, or a number that is NaN, infinite or beyond 1e18",
      pin_);
  return Errc::invalid_argument;
}

Status TerminalBase::print(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return refuse_value();
  while (!text.empty()) {
    if (size_ == buffer_.size()) {  // full without a newline: send what we have
      if (Status s = flush(); !s) return s;
    }
    const std::size_t newline = text.find('\n');
    const std::size_t line = newline == std::string_view::npos ? text.size() : newline + 1;
    const std::size_t n = std::min(line, buffer_.size() - size_);
    std::memcpy(buffer_.data() + size_, text.data(), n);
    size_ += n;
    text.remove_prefix(n);
    if (n == line && newline != std::string_view::npos) {
      if (Status s = flush(); !s) return s;
    }
  }
  return {};
}

Status TerminalBase::flush() {
  // In pieces that fit one frame (`vw\0pin\0` takes up to 7 bytes besides the header).
  const std::size_t piece =
      session_->max_frame() > header_size + 8 ? session_->max_frame() - header_size - 8 : 1;
  while (size_ != 0) {
    const std::size_t n = std::min(size_, piece);
    if (Status s = session_->terminal_write(pin_, std::string_view(buffer_.data(), n)); !s) return s;
    std::memmove(buffer_.data(), buffer_.data() + n, size_ - n);
    size_ -= n;
  }
  return {};
}

Status TerminalBase::clear() {
  size_ = 0;
  return session_->terminal_write(pin_, "clr");
}

Status TerminalBase::on_input(InputHandler h) {
  input_ = h;
  return session_->on_write(pin_, [this](int, Values v) { input_(v.text()); });
}

}  // namespace weft::blynk
