// JsonWriter: builds a JSON document into a fixed buffer (no JSON library, no allocation), for request
// bodies such as the seed's webhook {"value1": "micropython1"}.
//
//   char buf[64];
//   weft::net::JsonWriter json(buf);
//   json.begin_object().member("value1", button_id).member("count", 3).end_object();
//   weft::Result<std::string_view> body = json.finish();   // {"value1":"micropython1","count":3}
//
// Strings may hold any bytes (device values, user text) and always come out as valid JSON (RFC 8259):
//   " and \               a backslash before them
//   U+0000..U+001F        \b \f \n \r \t, the others \u00XX (NUL is \u0000); DEL and the rest are copied
//   valid UTF-8           copied as it is
//   ill-formed UTF-8      each maximal ill-formed subpart (Unicode 15, 3.9: a byte that cannot start a
//                         sequence, or the longest valid prefix of a truncated one) becomes \ufffd
// Numbers: integers exactly; doubles as the shortest text that reads back as the same double, laid out as
// JavaScript does (text/shortest_double.hpp: 0.1, 100, 1e+21, 1.5e-7, -0), and NaN/infinity are refused (JSON
// has no such values). No printf: the chip's integer-only printf would print "*float*".
// Errors are sticky: the first one is kept, later calls do nothing, and finish() reports it:
//   Errc::too_large         the buffer is full (nothing past it was written)
//   Errc::invalid_argument  a value where a key is due (or the reverse), end_* not matching its begin_*,
//                           nesting deeper than kMaxDepth, a second top-level value, NaN/inf,
//                           or finish() with a container still open / nothing written
// Cost: O(output); no allocation. JsonText (below) is the same writer over a growing std::string, for host
// tools (the local cloud's REST API, the simulator's control channel).
#pragma once
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.hpp"

namespace weft::net {

class JsonWriter {
 public:
  static constexpr int kMaxDepth = 16;

  explicit JsonWriter(std::span<char> buffer) : buf_(buffer) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  // The key of the next member (inside an object only).
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) { return raw_value(b ? "true" : "false"); }
  JsonWriter& value(double d);
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) JsonWriter& value(T n) {
    if constexpr (std::is_signed_v<T>)
      return signed_integer(static_cast<std::int64_t>(n));
    else
      return unsigned_integer(static_cast<std::uint64_t>(n));
  }
  JsonWriter& null() { return raw_value("null"); }

  template <typename V>
  JsonWriter& member(std::string_view k, V&& v) {
    key(k);
    return value(static_cast<V&&>(v));
  }

  // The document: ok once exactly one complete top-level value was written.
  [[nodiscard]] Result<std::string_view> finish() const;
  [[nodiscard]] Errc error() const { return error_; }
  // The bytes written so far (whatever the state).
  [[nodiscard]] std::string_view text() const { return {buf_.data(), size_}; }

 protected:
  // For a writer that owns growable storage: returns a buffer of at least `capacity` bytes that starts with
  // the text written so far, or a smaller one when it cannot grow (then the write fails with too_large).
  using Grow = std::span<char> (*)(JsonWriter& self, std::size_t capacity);
  JsonWriter(std::span<char> buffer, Grow grow) : buf_(buffer), grow_(grow) {}

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  JsonWriter& raw_value(std::string_view token);
  JsonWriter& signed_integer(std::int64_t n);
  JsonWriter& unsigned_integer(std::uint64_t n);
  bool begin_value();  // separator and state checks before a value; false on error
  void put(std::string_view s);
  void put(char c) { put(std::string_view(&c, 1)); }
  void fail(Errc e) {
    if (error_ == Errc::ok) error_ = e;
  }
  [[nodiscard]] bool in_object() const { return depth_ > 0 && (objects_ >> (depth_ - 1) & 1u) != 0; }

  std::span<char> buf_;
  Grow grow_ = nullptr;
  std::size_t size_ = 0;
  std::uint32_t objects_ = 0;   // bit d: the container at depth d+1 is an object
  std::uint32_t nonempty_ = 0;  // bit d: it has a member/element already (a comma is due)
  int depth_ = 0;
  bool key_pending_ = false;  // a key was written; its value is due
  bool done_ = false;         // the top-level value is complete
  Errc error_ = Errc::ok;
};

// JsonText: a JsonWriter over its own std::string, grown as needed (doubling: O(output) amortized).
//   weft::net::JsonText json;
//   json.begin_object().member("ok", true).end_object();
//   std::string line = json.str();   // {"ok":true}
class JsonText : public JsonWriter {
 public:
  JsonText() : JsonWriter({}, &JsonText::grow) {}
  JsonText(const JsonText&) = delete;  // the writer points into storage_
  JsonText& operator=(const JsonText&) = delete;
  ~JsonText() = default;

  // The text written so far as a string; finish() says whether it is a complete document.
  [[nodiscard]] std::string str() const { return std::string(text()); }

 private:
  static std::span<char> grow(JsonWriter& self, std::size_t capacity) {
    std::string& s = static_cast<JsonText&>(self).storage_;
    s.resize(capacity > 2 * s.size() ? capacity : 2 * s.size());
    return s;
  }
  std::string storage_;
};

}  // namespace weft::net
