// Values: the values of one pin write as a handler receives them (`vw\0pin\0v1\0v2...` -> v1, v2, ...).
// A view into the received frame: valid during the handler call only; copy what you keep.
//
//   blynk.on_write(1, [](int, Values v) { set_led(v.as_int().value_or(0)); });        // a button: "1" / "0"
//   blynk.on_write(2, [](int, Values v) { joystick(v.as_int(0).value_or(0), v.as_int(1).value_or(0)); });
//
// Parsing is strict (text/number.hpp): "12abc" is not 12 but Errc::protocol_error, so a malformed value from the
// app shows up as an error instead of a silent zero. A write without a value (the app sent an empty string)
// has size() 0 and text() "". O(n) in the body's length per lookup; no allocation.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "body.hpp"
#include "core/result.hpp"

namespace weft::blynk {

class Values {
 public:
  Values() = default;
  explicit Values(BodyReader fields) : fields_(fields) {}

  // The number of values. O(n).
  [[nodiscard]] std::size_t size() const { return fields_.remaining(); }
  [[nodiscard]] bool empty() const { return fields_.at_end(); }
  // The i-th value as text, "" when there are fewer values.
  [[nodiscard]] std::string_view operator[](std::size_t i) const {
    BodyReader r = fields_;
    for (std::size_t k = 0; k < i; ++k) {
      if (!r.next()) return {};
    }
    return r.next().value_or(std::string_view{});
  }
  // The first value as text ("" when there is none): a Terminal line, a Text Input.
  [[nodiscard]] std::string_view text() const { return (*this)[0]; }
  // The i-th value as a number: Errc::protocol_error when it is missing or not a number.
  [[nodiscard]] Result<int> as_int(std::size_t i = 0) const { return parse<int>(i); }
  [[nodiscard]] Result<std::int64_t> as_int64(std::size_t i = 0) const { return parse<std::int64_t>(i); }
  [[nodiscard]] Result<double> as_double(std::size_t i = 0) const {
    const std::string_view t = (*this)[i];
    if (t.empty()) return Errc::protocol_error;
    return text::parse_double(t);
  }
  [[nodiscard]] Result<float> as_float(std::size_t i = 0) const {
    const std::string_view t = (*this)[i];
    if (t.empty()) return Errc::protocol_error;
    return text::parse_float(t);
  }
  // The fields as on the wire (NUL-separated), e.g. to forward them.
  [[nodiscard]] std::string_view raw() const { return fields_.rest(); }
  // A reader over the values, for walking them once in order.
  [[nodiscard]] BodyReader reader() const { return fields_; }

 private:
  // Skips in place like operator[], not through a helper returning a positioned reader: on the lx106 that
  // copy costs every received `vw` frame about 28 instructions (bench/target/blynk_bench.cpp).
  template <typename T>
  [[nodiscard]] Result<T> parse(std::size_t i) const {
    BodyReader r = fields_;
    for (; i > 0; --i) {
      if (!r.next()) return Errc::protocol_error;
    }
    return r.next_int<T>();
  }

  BodyReader fields_;
};

}  // namespace weft::blynk
