#include "endpoint.hpp"

#include <cstring>

namespace weft {
namespace {

// Decimal 0..max with 1..digits digits and no leading zero; advances `i`.
bool parse_decimal(std::string_view s, std::size_t& i, unsigned max, unsigned digits, unsigned& out) {
  std::size_t start = i;
  unsigned v = 0;
  while (i < s.size() && i - start < digits && s[i] >= '0' && s[i] <= '9')
    v = v * 10 + unsigned(s[i++] - '0');
  if (i == start || v > max) return false;
  if (i < s.size() && s[i] >= '0' && s[i] <= '9') return false;  // too many digits
  if (s[start] == '0' && i - start > 1) return false;            // "01": octal to some parsers; refuse
  out = v;
  return true;
}

bool parse_v4(std::string_view s, std::uint8_t* out) {
  std::size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    unsigned v = 0;
    if (part > 0 && (i >= s.size() || s[i++] != '.')) return false;
    if (!parse_decimal(s, i, 255, 3, v)) return false;
    out[part] = static_cast<std::uint8_t>(v);
  }
  return i == s.size();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_v6(std::string_view s, std::array<std::uint8_t, 16>& out) {
  std::uint16_t groups[8] = {};
  int n = 0;
  int gap = -1;  // index of the "::" (groups after it are shifted to the end)
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    gap = 0;
    i = 2;
  }
  while (i < s.size()) {
    if (n == 8) return false;
    std::size_t start = i;
    unsigned v = 0;
    while (i < s.size() && i - start < 5 && hex_value(s[i]) >= 0)
      v = v * 16 + unsigned(hex_value(s[i++]));
    if (i == start || i - start > 4) return false;
    if (i < s.size() && s[i] == '.') {  // an IPv4 tail takes the last two groups
      std::uint8_t q[4];
      if (n > 6 || !parse_v4(s.substr(start), q)) return false;
      groups[n++] = static_cast<std::uint16_t>(q[0] << 8 | q[1]);
      groups[n++] = static_cast<std::uint16_t>(q[2] << 8 | q[3]);
      i = s.size();
      break;
    }
    groups[n++] = static_cast<std::uint16_t>(v);
    if (i == s.size()) break;
    if (s[i++] != ':') return false;
    if (i < s.size() && s[i] == ':') {
      if (gap >= 0) return false;  // only one "::"
      gap = n;
      ++i;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  if (gap < 0 ? n != 8 : n > 7) return false;
  std::uint16_t full[8] = {};
  int tail = gap < 0 ? 0 : n - gap;
  int head = n - tail;
  for (int k = 0; k < head; ++k)
    full[k] = groups[k];
  for (int k = 0; k < tail; ++k)
    full[8 - tail + k] = groups[head + k];
  for (int k = 0; k < 8; ++k) {
    out[std::size_t(2 * k)] = static_cast<std::uint8_t>(full[k] >> 8);
    out[std::size_t(2 * k + 1)] = static_cast<std::uint8_t>(full[k]);
  }
  return true;
}

// Appends to a fixed buffer; remembers overflow instead of failing each call.
class TextOut {
 public:
  explicit TextOut(std::span<char> out) : out_(out) {}
  void put(char c) {
    if (len_ + 1 < out_.size()) out_[len_] = c;
    ++len_;
  }
  void put(const char* s) {
    while (*s != '\0')
      put(*s++);
  }
  void decimal(unsigned v) {
    char digits[10];
    int n = 0;
    do
      digits[n++] = static_cast<char>('0' + v % 10);
    while ((v /= 10) != 0);
    while (n > 0)
      put(digits[--n]);
  }
  void hex(unsigned v) {
    static constexpr char kHex[] = "0123456789abcdef";
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      unsigned d = (v >> shift) & 0xf;
      if (d != 0 || started || shift == 0) {
        put(kHex[d]);
        started = true;
      }
    }
  }
  Result<std::size_t> finish() {
    if (len_ + 1 > out_.size()) return Errc::too_large;
    out_[len_] = '\0';
    return len_;
  }

 private:
  std::span<char> out_;
  std::size_t len_ = 0;
};

void format_address(const IpAddress& a, TextOut& out) {
  auto b = a.bytes();
  if (a.is_v4()) {
    for (int i = 0; i < 4; ++i) {
      if (i > 0) out.put('.');
      out.decimal(b[std::size_t(i)]);
    }
    return;
  }
  unsigned g[8];
  for (int i = 0; i < 8; ++i)
    g[i] = unsigned(b[std::size_t(2 * i)]) << 8 | b[std::size_t(2 * i + 1)];
  // RFC 5952: the longest run of two or more zero groups (the first on a tie) becomes "::".
  int best = -1;
  int best_len = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && g[j] == 0)
      ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  bool mapped_v4 = best == 0 && best_len == 5 && g[5] == 0xffff;  // ::ffff:a.b.c.d
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out.put(i == 0 ? "::" : ":");
      i += best_len - 1;
      continue;
    }
    if (mapped_v4 && i == 6) {
      for (int k = 12; k < 16; ++k) {
        out.decimal(b[std::size_t(k)]);
        if (k < 15) out.put('.');
      }
      break;
    }
    out.hex(g[i]);
    if (i < 7) out.put(':');
  }
}

}  // namespace

Result<IpAddress> IpAddress::parse(std::string_view text) {
  IpAddress a;
  if (text.find(':') == std::string_view::npos) {
    if (!parse_v4(text, a.bytes_.data())) return Errc::invalid_argument;
    return a;
  }
  a.family_ = IpFamily::v6;
  if (!parse_v6(text, a.bytes_)) return Errc::invalid_argument;
  return a;
}

Result<std::size_t> IpAddress::format(std::span<char> out) const {
  TextOut t(out);
  format_address(*this, t);
  return t.finish();
}

Result<Endpoint> Endpoint::parse(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find("]:");
    if (close == std::string_view::npos) return Errc::invalid_argument;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    std::size_t colon = text.find(':');
    if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
      return Errc::invalid_argument;  // no port, or an IPv6 address without brackets
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  Result<IpAddress> address = IpAddress::parse(host);
  if (!address) return address.error();
  std::size_t i = 0;
  unsigned p = 0;
  if (!parse_decimal(port, i, 65535, 5, p) || i != port.size()) return Errc::invalid_argument;
  return Endpoint{*address, static_cast<std::uint16_t>(p)};
}

Result<std::size_t> Endpoint::format(std::span<char> out) const {
  TextOut t(out);
  if (!address.is_v4()) t.put('[');
  format_address(address, t);
  if (!address.is_v4()) t.put(']');
  t.put(':');
  t.decimal(port);
  return t.finish();
}

}  // namespace weft
