#include "body.hpp"

#include <cstring>

namespace weft::blynk {

void Value::set_text(std::string_view text) {
  external_ = text.data();
  size_ = text.size();
  if (external_ == nullptr) {  // a default string_view: the empty field, kept inline
    size_ = 0;
  } else if (text.find('\0') != std::string_view::npos) {
    error_ = Errc::invalid_argument;
  }
}

void Value::set_int(std::int64_t v) {
  external_ = nullptr;
  size_ = text::format_int(inline_.data(), v);
}

void Value::set_uint(std::uint64_t v) {
  external_ = nullptr;
  size_ = text::format_uint(inline_.data(), v);
}

namespace {
template <typename F>
void format_into(F v, text::FloatFormat format, std::span<char> out, std::size_t& size, Errc& error) {
  size = 0;
  Result<std::size_t> n = text::format_float(out, v, format);
  if (n) {
    size = *n;
  } else {
    error = n.error();
  }
}
}  // namespace

void Value::set_float(double v, text::FloatFormat format) {
  external_ = nullptr;
  format_into(v, format, inline_, size_, error_);
}

void Value::set_float(float v, text::FloatFormat format) {
  external_ = nullptr;
  format_into(v, format, inline_, size_, error_);
}

Status BodyWriter::add(const Value& v) {
  if (error_ == Errc::ok && !v.ok()) error_ = v.error();
  return append(v.text(), 1);
}

Status BodyWriter::add_fields(std::string_view fields) {
  std::size_t n = 1;
  for (char c : fields)
    n += c == '\0' ? 1 : 0;
  return append(fields, n);
}

Status BodyWriter::append(std::string_view bytes, std::size_t fields) {
  if (error_ != Errc::ok) return error_;
  const std::size_t separator = fields_ > 0 ? 1 : 0;
  if (bytes.size() + separator > capacity_ - size_) return error_ = Errc::too_large;
  if (separator != 0) out_[size_++] = '\0';
  if (!bytes.empty()) std::memcpy(out_ + size_, bytes.data(), bytes.size());
  size_ += bytes.size();
  fields_ += fields;
  return {};
}

}  // namespace weft::blynk
