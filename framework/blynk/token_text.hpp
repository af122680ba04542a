// TokenText: how a token appears in a log line or on a page, everywhere: its first 4 characters and a short
// hash of the whole ("AbCd…#3f9a1c"), so two log lines about one device can be matched without the line
// being enough to log in as it. Never write a token in full anywhere else.
//
//   WEFT_LOG_WARN("unknown token %s", blynk::token_text(token).c_str());
//
// FNV-1a over the bytes, 24 bits shown; O(n), no heap.
#pragma once
#include <cstdint>
#include <string_view>

namespace weft::blynk {

struct TokenText {
  char text[16];  // "AbCd…#3f9a1c" (the ellipsis is 3 bytes of UTF-8) and its NUL
  [[nodiscard]] const char* c_str() const { return text; }
};

[[nodiscard]] TokenText token_text(std::string_view token);

}  // namespace weft::blynk
