#include "json_line.hpp"

#include <cstdlib>

namespace weft::sim {
namespace {

class Reader {
 public:
  Reader(std::string_view s, std::string& error) : s_(s), error_(error) {}
  bool fail(const std::string& what) {
    error_ = what + " at column " + std::to_string(i_ + 1);
    return false;
  }
  void blanks() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r'))
      ++i_;
  }
  bool eat(char c) {
    blanks();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  [[nodiscard]] bool at_end() {
    blanks();
    return i_ == s_.size();
  }
  [[nodiscard]] char peek() {
    blanks();
    return i_ < s_.size() ? s_[i_] : '\0';
  }

  bool string(std::string& out) {
    if (!eat('"')) return fail("expected a \"string\"");
    out.clear();
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) break;
      char e = s_[i_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          if (i_ + 4 > s_.size()) return fail("short \\u escape");
          unsigned cp = 0;
          for (int k = 0; k < 4; ++k) {
            char h = s_[i_++];
            int d = h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : -1;
            if (d < 0) return fail("bad \\u escape");
            cp = cp * 16 + static_cast<unsigned>(d);
          }
          if (cp < 0x80) {
            out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            out += static_cast<char>(0xc0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3f));
          } else {
            out += static_cast<char>(0xe0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (cp & 0x3f));
          }
          break;
        }
        default:
          return fail(std::string("bad escape \\") + e);
      }
    }
    return fail("unterminated string");
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  bool value(JsonValue& v) {
    char c = peek();
    if (c == '"') {
      v.type = JsonValue::Type::string;
      return string(v.text);
    }
    if (c == '{' || c == '[') return fail("nested objects and arrays are not supported in requests");
    for (bool b : {true, false}) {
      if (literal(b ? "true" : "false")) {
        v.type = JsonValue::Type::boolean;
        v.boolean = b;
        return true;
      }
    }
    if (literal("null")) {
      v.type = JsonValue::Type::null;
      return true;
    }
    std::size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    while (i_ < s_.size() && ((s_[i_] >= '0' && s_[i_] <= '9') || s_[i_] == '.' || s_[i_] == 'e' ||
                              s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-')) {
      ++i_;
    }
    if (i_ == start) return fail("expected a value (string, number, true, false or null)");
    v.type = JsonValue::Type::number;
    v.text = std::string(s_.substr(start, i_ - start));
    char* end = nullptr;
    v.number = std::strtod(v.text.c_str(), &end);
    if (end == nullptr || *end != '\0') {
      i_ = start;
      return fail("bad number '" + v.text + "'");
    }
    return true;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  std::string& error_;
};

}  // namespace

bool JsonObject::parse(std::string_view line, JsonObject& out, std::string& error) {
  out.members_.clear();
  if (line.size() > 4096) {
    error = "line longer than 4096 bytes";
    return false;
  }
  Reader r(line, error);
  if (!r.eat('{')) return r.fail("expected a JSON object '{...}'");
  if (!r.eat('}')) {
    for (;;) {
      std::string key;
      JsonValue v;
      if (!r.string(key)) return false;
      if (!r.eat(':')) return r.fail("expected ':' after a key");
      if (!r.value(v)) return false;
      if (out.get(key) != nullptr) return r.fail("duplicate key \"" + key + "\"");
      out.members_.emplace_back(std::move(key), std::move(v));
      if (r.eat(',')) continue;
      if (r.eat('}')) break;
      return r.fail("expected ',' or '}'");
    }
  }
  if (!r.at_end()) return r.fail("unexpected text after the object");
  return true;
}

const JsonValue* JsonObject::get(std::string_view key) const {
  for (const auto& [k, v] : members_) {
    if (k == key) return &v;
  }
  return nullptr;
}

}  // namespace weft::sim
