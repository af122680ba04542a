// Bodies: text fields separated by a single NUL byte.
//
//  - BodyReader walks the fields of a received body without copying (views into the body).
//  - Value is one outgoing field: a string (viewed, not copied) or a number (formatted into the
//    Value itself).
//  - BodyWriter appends fields to a fixed buffer, all-or-nothing per field.
//
// Field rules (docs/blynk-protocol.md): the last field is normally not NUL-terminated, but a receiver must
// accept one trailing NUL. So the reader drops exactly one trailing NUL before splitting: "a\0b" and "a\0b\0"
// both read as ["a", "b"], "a\0\0" reads as ["a", ""], and "" (like "\0") has no fields at all. One
// consequence of the protocol, not of this reader: a write of an empty string as the last field (`vw\0 5\0`
// on the wire) reads as a write without a value; handlers should treat a missing value as "".
#pragma once
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/result.hpp"
#include "text/number.hpp"

namespace weft::blynk {

class BodyReader {
 public:
  constexpr BodyReader() = default;  // no fields
  // Inline everywhere: a body is split on the hot path of every received frame.
  [[gnu::always_inline]] constexpr explicit BodyReader(std::string_view body) : rest_(body) {
    if (!rest_.empty() && rest_.back() == '\0') rest_.remove_suffix(1);
    done_ = rest_.empty();
  }

  // The next field (a view into the body), or nullopt after the last. O(field length).
  [[nodiscard]] constexpr std::optional<std::string_view> next() {
    if (done_) return std::nullopt;
    // A plain loop, not memchr: fields are a few bytes, where the call costs more than the scan.
    std::size_t nul = 0;
    while (nul < rest_.size() && rest_[nul] != '\0')
      ++nul;
    if (nul == rest_.size()) {
      done_ = true;
      return std::exchange(rest_, std::string_view{});
    }
    const std::string_view field(rest_.data(), nul);  // not substr(): it may throw, so it needs libstdc++
    rest_.remove_prefix(nul + 1);
    return field;
  }
  // next(), but a missing field is Errc::protocol_error (for fields the message cannot do without).
  [[nodiscard]] Result<std::string_view> next_required() {
    if (auto f = next()) return *f;
    return Errc::protocol_error;
  }
  // next() parsed strictly as T (parse_int); a missing field or garbage is Errc::protocol_error. The field
  // is consumed either way. One pass over the field: the scan for its end is the parse.
  template <text::integer T>
  [[nodiscard]] Result<T> next_int() {
    if (done_) return Errc::protocol_error;
    const char* p = rest_.data();
    const char* const end = p + rest_.size();
    Result<T> v = text::parse_int_prefix<T>(p, end);
    if (p != end && *p != '\0') {  // garbage after the digits: skip to the field's end
      v = Errc::protocol_error;
      while (p != end && *p != '\0')
        ++p;
    }
    skip_to(p);
    return v;
  }
  // The next field as an unsigned decimal of 1 to max_digits (<= 9) digits: no sign, no spaces, leading zeros
  // counted ("0255" has 4 digits). A missing field or anything else is Errc::protocol_error; the field is
  // consumed either way. For small fixed-width numbers such as pins. One pass over the field.
  [[nodiscard]] Result<std::uint32_t> next_digits(unsigned max_digits);
  [[nodiscard]] Result<double> next_double() {
    if (auto f = next()) return text::parse_double(*f);
    return Errc::protocol_error;
  }

  [[nodiscard]] constexpr bool at_end() const { return done_; }
  // The unread fields as on the wire, NUL-separated, without the trailing NUL (e.g. to forward them).
  [[nodiscard]] constexpr std::string_view rest() const { return rest_; }
  // How many fields are left. O(n).
  [[nodiscard]] constexpr std::size_t remaining() const {
    if (done_) return 0;
    std::size_t n = 1;
    for (char c : rest_)
      n += c == '\0' ? 1 : 0;
    return n;
  }

 private:
  // Consumes the field that ends at p (a separator or the end of the body).
  [[gnu::always_inline]] constexpr void skip_to(const char* p) {
    const auto n = static_cast<std::size_t>(p - rest_.data());
    if (n == rest_.size()) {
      done_ = true;
      rest_ = {};
    } else {
      rest_.remove_prefix(n + 1);
    }
  }

  std::string_view rest_;
  bool done_ = true;
};

[[nodiscard]] [[gnu::always_inline]] inline Result<std::uint32_t> BodyReader::next_digits(
    unsigned max_digits) {
  if (done_) return Errc::protocol_error;
  const char* p = rest_.data();
  const char* const end = p + rest_.size();
  std::uint32_t v = 0;
  bool digits_only = true;
  for (; p != end && *p != '\0'; ++p) {
    const unsigned d = static_cast<unsigned char>(*p) - unsigned{'0'};
    digits_only = digits_only && d <= 9;
    v = v * 10 + d;  // wraps on long garbage: rejected below by its length
  }
  const auto n = static_cast<std::size_t>(p - rest_.data());
  skip_to(p);
  if (!digits_only || n == 0 || n > max_digits) return Errc::protocol_error;
  return v;
}

// Character types: a Value refuses them (is 'A' the letter or 65?). signed/unsigned char are numbers (int8_t,
// uint8_t).
template <typename T>
inline constexpr bool is_character_v =
    std::is_same_v<T, char> || std::is_same_v<T, wchar_t> || std::is_same_v<T, char8_t> ||
    std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;
template <typename T>
concept character_type = is_character_v<std::remove_cv_t<T>>;
// Integers a Value formats as numbers: every integer type but bool and the character types.
template <typename T>
concept number_type = text::integer<T> && !character_type<T>;

// Types a Value views as text: strings, string_views, string literals, char pointers.
template <typename S>
concept text_like = std::convertible_to<const S&, std::string_view> && !std::is_arithmetic_v<S>;

// One outgoing field. Strings are viewed, not copied: a Value must not outlive the text it was made from (a
// Value built from a temporary is fine within the same expression, e.g. as an argument to a writer call).
// Numbers are formatted at construction into the Value itself (see text/number.hpp for the float format).
// A Value that cannot be sent carries an error instead, which every writer returns before writing anything:
// Errc::invalid_argument for text containing a NUL byte (it would split the field), for NaN, infinity and
// magnitudes that round to 1e18 or more. Bool is "1"/"0". A char is deliberately not accepted (is 'A' a
// letter or 65?): write int(c) or a string.
class Value {
 public:
  Value() = default;  // an empty text
  template <text_like S>
  Value(const S& text) {  // NOLINT(google-explicit-constructor): fields read best as plain arguments
    set_text(std::string_view(text));
  }
  template <number_type T>
  Value(T v) {  // NOLINT(google-explicit-constructor)
    if constexpr (std::is_signed_v<T>) {
      set_int(static_cast<std::int64_t>(v));
    } else {
      set_uint(static_cast<std::uint64_t>(v));
    }
  }
  template <character_type C>
  Value(C) = delete;
  Value(bool v) { set_uint(v ? 1 : 0); }                  // NOLINT(google-explicit-constructor)
  Value(float v) { set_float(v, text::float_format); }    // NOLINT(google-explicit-constructor)
  Value(double v) { set_float(v, text::double_format); }  // NOLINT(google-explicit-constructor)

  // A float with a chosen format, e.g. Value::number(t, {4, 1}) -> at most one decimal ("21.5").
  static Value number(double v, text::FloatFormat format) {
    Value out{std::string_view{}};
    out.set_float(v, format);
    return out;
  }
  static Value number(float v, text::FloatFormat format) {
    Value out{std::string_view{}};
    out.set_float(v, format);
    return out;
  }

  [[nodiscard]] std::string_view text() const {
    return external_ != nullptr ? std::string_view(external_, size_)
                                : std::string_view(inline_.data(), size_);
  }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool ok() const { return error_ == Errc::ok; }
  [[nodiscard]] Errc error() const { return error_; }

 private:
  void set_text(std::string_view text);
  void set_int(std::int64_t v);
  void set_uint(std::uint64_t v);
  void set_float(double v, text::FloatFormat format);
  void set_float(float v, text::FloatFormat format);

  const char* external_ = nullptr;
  std::size_t size_ = 0;
  std::array<char, text::max_float_chars> inline_{};
  Errc error_ = Errc::ok;
};

// Anything a Value can be made from (strings, integers, floats, bools, Values).
template <typename T>
concept field_value = std::constructible_from<Value, const T&>;

// Appends NUL-separated fields to a fixed buffer. Each add() either writes the whole field (and its
// separator) or nothing: a field that does not fit is Errc::too_large and leaves the body as it was. Errors
// are sticky, so a run of add() calls can be checked once via error(). O(field size) per add; no allocation.
class BodyWriter {
 public:
  explicit BodyWriter(std::span<char> out) : out_(out.data()), capacity_(out.size()) {}

  Status add(const Value& v);
  // Fields already NUL-separated (e.g. a stored multi-value, or BodyReader::rest()), copied as they are after
  // a separator: add_fields("a\0b") writes what add("a"), add("b") would. All-or-nothing like add().
  Status add_fields(std::string_view fields);
  template <field_value... Vs>
  Status add_all(const Vs&... values) {
    (add(Value(values)), ...);
    return error_;
  }

  [[nodiscard]] std::string_view body() const { return {out_, size_}; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t fields() const { return fields_; }
  [[nodiscard]] Errc error() const { return error_; }
  void clear() {
    size_ = 0;
    fields_ = 0;
    error_ = Errc::ok;
  }

 private:
  Status append(std::string_view bytes, std::size_t fields);

  char* out_;
  std::size_t capacity_;
  std::size_t size_ = 0;
  std::size_t fields_ = 0;
  Errc error_ = Errc::ok;
};

// The number of UTF-8 code points in s (bytes that are not continuation bytes). O(n).
[[nodiscard]] constexpr std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
  return n;
}

}  // namespace weft::blynk
