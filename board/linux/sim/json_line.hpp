// JSON lines for the control channel: a small parser for one flat request object per line (replies and
// events are written with net::JsonText). No dependency; malformed input is an error message, never a crash.
//
// Requests are flat: {"op": "press", "pin": "D5", "id": 7} — values are strings, numbers, true/false/null;
// nested objects and arrays are rejected.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weft::sim {

struct JsonValue {
  enum class Type : std::uint8_t { string, number, boolean, null };
  Type type = Type::null;
  std::string text;  // the string, or a number's source text
  double number = 0;
  bool boolean = false;
};

class JsonObject {
 public:
  // false with `error` ("expected ':' after a key at column 12") for anything but one flat object.
  static bool parse(std::string_view line, JsonObject& out, std::string& error);
  [[nodiscard]] const JsonValue* get(std::string_view key) const;

 private:
  std::vector<std::pair<std::string, JsonValue>> members_;
};

}  // namespace weft::sim
