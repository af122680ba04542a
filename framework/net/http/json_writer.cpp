#include "json_writer.hpp"

#include <cstring>

#include "text/number.hpp"
#include "text/shortest_double.hpp"

namespace weft::net {
namespace {

// The UTF-8 sequence at the start of s (not empty): its length (1..4) when it is well-formed, else the length
// of its maximal ill-formed subpart (1..3: the bytes that could still have begun a well-formed sequence).
struct Utf8Sequence {
  std::size_t length;
  bool valid;
};

Utf8Sequence utf8_sequence(std::string_view s) {
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  if (c < 0x80) return {1, true};
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // nothing beyond U+10FFFF
  } else {
    return {1, false};
  }
  for (std::size_t i = 1; i < n; ++i) {
    if (i >= s.size() || b(i) < (i == 1 ? lo : 0x80) || b(i) > (i == 1 ? hi : 0xBF)) return {i, false};
  }
  return {n, true};
}

}  // namespace

void JsonWriter::put(std::string_view s) {
  if (error_ != Errc::ok || s.empty()) return;
  if (s.size() > buf_.size() - size_ && grow_ != nullptr) buf_ = grow_(*this, size_ + s.size());
  if (s.size() > buf_.size() - size_) {
    fail(Errc::too_large);
    return;
  }
  std::memcpy(buf_.data() + size_, s.data(), s.size());
  size_ += s.size();
}

bool JsonWriter::begin_value() {
  if (error_ != Errc::ok) return false;
  if (done_ || (in_object() && !key_pending_)) {
    fail(Errc::invalid_argument);
    return false;
  }
  if (key_pending_) {
    key_pending_ = false;
  } else if (depth_ > 0) {
    std::uint32_t bit = 1u << (depth_ - 1);
    if ((nonempty_ & bit) != 0) put(',');
    nonempty_ |= bit;
  }
  return error_ == Errc::ok;
}

JsonWriter& JsonWriter::open(char bracket) {
  if (!begin_value()) return *this;
  if (depth_ == kMaxDepth) {
    fail(Errc::invalid_argument);
    return *this;
  }
  std::uint32_t bit = 1u << depth_;
  objects_ = bracket == '{' ? objects_ | bit : objects_ & ~bit;
  nonempty_ &= ~bit;
  ++depth_;
  put(bracket);
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  if (error_ != Errc::ok) return *this;
  if (depth_ == 0 || key_pending_ || in_object() != (bracket == '}')) {
    fail(Errc::invalid_argument);
    return *this;
  }
  --depth_;
  put(bracket);
  if (depth_ == 0) done_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  if (error_ != Errc::ok) return *this;
  if (!in_object() || key_pending_) {
    fail(Errc::invalid_argument);
    return *this;
  }
  std::uint32_t bit = 1u << (depth_ - 1);
  if ((nonempty_ & bit) != 0) put(',');
  nonempty_ |= bit;
  key_pending_ = true;  // set before value(): it lets the string through as the key
  value(k);
  put(':');
  key_pending_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  if (!begin_value()) return *this;
  put('"');
  std::size_t run = 0;  // bytes copied as they are, flushed before each escape
  for (std::size_t i = 0; i < s.size() && error_ == Errc::ok;) {
    auto c = static_cast<unsigned char>(s[i]);
    const char* esc = nullptr;
    char u[7];
    if (c == '"')
      esc = "\\\"";
    else if (c == '\\')
      esc = "\\\\";
    else if (c == '\n')
      esc = "\\n";
    else if (c == '\r')
      esc = "\\r";
    else if (c == '\t')
      esc = "\\t";
    else if (c == '\b')
      esc = "\\b";
    else if (c == '\f')
      esc = "\\f";
    else if (c < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = kHex[c >> 4], u[5] = kHex[c & 15], u[6] = 0;
      esc = u;
    }
    if (esc != nullptr) {
      put(s.substr(i - run, run));
      put(esc);
      run = 0;
      ++i;
      continue;
    }
    Utf8Sequence seq = utf8_sequence(s.substr(i));
    if (!seq.valid) {
      put(s.substr(i - run, run));
      put("\\ufffd");
      run = 0;
    } else {
      run += seq.length;
    }
    i += seq.length;
  }
  put(s.substr(s.size() - run, run));
  put('"');
  if (depth_ == 0) done_ = true;
  return *this;
}

JsonWriter& JsonWriter::raw_value(std::string_view token) {
  if (!begin_value()) return *this;
  put(token);
  if (depth_ == 0) done_ = true;
  return *this;
}

JsonWriter& JsonWriter::signed_integer(std::int64_t n) {
  char digits[text::max_int_chars];
  return raw_value({digits, text::format_int(digits, n)});
}

JsonWriter& JsonWriter::unsigned_integer(std::uint64_t n) {
  char digits[text::max_int_chars];
  return raw_value({digits, text::format_uint(digits, n)});
}

JsonWriter& JsonWriter::value(double d) {
  char digits[text::max_shortest_chars];
  Result<std::size_t> n = text::format_shortest(digits, d);
  if (!n) {  // NaN or infinity: JSON has no such numbers
    if (begin_value()) fail(n.error());
    return *this;
  }
  return raw_value({digits, *n});
}

Result<std::string_view> JsonWriter::finish() const {
  if (error_ != Errc::ok) return error_;
  if (!done_) return Errc::invalid_argument;
  return text();
}

}  // namespace weft::net
