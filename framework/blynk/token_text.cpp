#include "token_text.hpp"

#include <cstdio>

namespace weft::blynk {

TokenText token_text(std::string_view token) {
  std::uint32_t h = 2166136261u;
  for (char c : token) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  TokenText t{};
  char head[5] = {};
  for (std::size_t i = 0; i < 4 && i < token.size(); ++i) {
    const auto c = static_cast<unsigned char>(token[i]);
    head[i] = c >= 0x21 && c < 0x7f ? static_cast<char>(c) : '?';  // a log line stays one printable line
  }
  std::snprintf(t.text, sizeof t.text, "%s\xE2\x80\xA6#%06x", head, static_cast<unsigned>(h & 0xFFFFFFu));
  return t;
}

}  // namespace weft::blynk
