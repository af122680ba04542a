// JSON lines for the control channel: a small parser for one flat request object per line, and a writer for
// replies and events. No dependency; malformed input is an error message, never a crash.
//
// Requests are flat: {"op": "press", "pin": "D5", "id": 7} — values are strings, numbers, true/false/null;
// nested objects and arrays are rejected (the writer may nest, for replies).
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

// Builds one JSON object: w.add("ok", true).add("level", 1).str() -> {"ok":true,"level":1}
class JsonWriter {
 public:
  JsonWriter& add(std::string_view key, std::string_view value);
  JsonWriter& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  JsonWriter& add(std::string_view key, long long value);
  JsonWriter& add(std::string_view key, int value) { return add(key, static_cast<long long>(value)); }
  JsonWriter& add(std::string_view key, bool value);
  JsonWriter& add_raw(std::string_view key,
                      std::string_view json);  // an already-encoded value (array, object)
  JsonWriter& add(std::string_view key, const JsonValue& value);
  [[nodiscard]] std::string str() const { return out_ + "}"; }

  static std::string quote(std::string_view s);

 private:
  void key(std::string_view k);
  std::string out_ = "{";
};

}  // namespace weft::sim
