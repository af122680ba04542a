#include "url.hpp"

#include <cstring>

#include "io/endpoint.hpp"

namespace weft::net {
namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_host_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_';
}
// Bytes that may appear raw in a request target: printable ASCII except space.
bool is_target_char(char c) {
  return c > ' ' && c < 0x7f;
}

bool equals_lower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

Result<Url> fail(const char** why, const char* reason) {
  if (why != nullptr) *why = reason;
  return Errc::invalid_argument;
}

// "scheme:" at the start of a reference (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":").
bool has_scheme(std::string_view ref) {
  if (ref.empty() || !is_alpha(ref[0])) return false;
  for (char c : ref.substr(1)) {
    if (c == ':') return true;
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

// Appends to a fixed buffer; remembers overflow.
struct Out {
  std::span<char> buf;
  std::size_t n = 0;
  bool overflow = false;
  void put(std::string_view s) {
    if (s.empty()) return;
    if (s.size() > buf.size() - n) {
      overflow = true;
      return;
    }
    std::memcpy(buf.data() + n, s.data(), s.size());
    n += s.size();
  }
};

void put_origin(Out& o, const Url& base) {
  o.put(base.scheme == Scheme::https ? "https://" : "http://");
  if (base.is_ipv6_literal()) o.put("[");
  o.put(base.host);
  if (base.is_ipv6_literal()) o.put("]");
  if (base.port != Url::default_port(base.scheme)) {
    char digits[6];
    std::size_t len = 0;
    for (unsigned p = base.port; p != 0; p /= 10)
      digits[len++] = static_cast<char>('0' + p % 10);
    char port[7] = {':'};
    for (std::size_t i = 0; i < len; ++i)
      port[1 + i] = digits[len - 1 - i];
    o.put({port, len + 1});
  }
}

}  // namespace

Result<Url> Url::parse(std::string_view text, const char** why) {
  Url u;
  std::size_t colon = text.find("://");
  if (colon == std::string_view::npos) return fail(why, "missing scheme: write http://host/path");
  std::string_view scheme = text.substr(0, colon);
  if (equals_lower(scheme, "http")) {
    u.scheme = Scheme::http;
  } else if (equals_lower(scheme, "https")) {
    u.scheme = Scheme::https;
  } else {
    return fail(why, "unsupported scheme: use http:// (or https://)");
  }
  u.port = default_port(u.scheme);
  std::string_view rest = text.substr(colon + 3);
  rest = rest.substr(0, rest.find('#'));  // the fragment stays on the client

  std::size_t end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, end);
  u.target = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  if (authority.find('@') != std::string_view::npos) {
    return fail(why, "user:password@ in a URL is not supported: send an Authorization header instead");
  }
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return fail(why, "unterminated [IPv6] host: write http://[::1]:8080/");
    u.host = authority.substr(1, close - 1);
    if (!IpAddress::parse(u.host) || u.host.find(':') == std::string_view::npos) {
      return fail(why, "bad IPv6 address between [ and ]");
    }
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') return fail(why, "unexpected text after the [IPv6] host");
    if (!after.empty()) port = after.substr(1);
  } else {
    std::size_t p = authority.find(':');
    u.host = authority.substr(0, p);
    if (p != std::string_view::npos) port = authority.substr(p + 1);
    if (u.host.empty()) return fail(why, "missing host: write http://host/path");
    if (u.host.size() > kMaxHost) return fail(why, "host name longer than 253 characters");
    for (char c : u.host) {
      if (!is_host_char(c))
        return fail(why, "invalid character in the host name (letters, digits, '-', '.', '_')");
    }
  }
  if (port.data() != nullptr) {
    // "host:" with an empty port means the default (RFC 3986 3.2.3).
    unsigned value = 0;
    for (char c : port) {
      if (!is_digit(c)) return fail(why, "bad port: write :1..65535 after the host");
      value = value * 10 + static_cast<unsigned>(c - '0');
      if (value > 65535) return fail(why, "bad port: write :1..65535 after the host");
    }
    if (!port.empty()) {
      if (value == 0) return fail(why, "bad port: write :1..65535 after the host");
      u.port = static_cast<std::uint16_t>(value);
      u.explicit_port = true;
    }
  }
  for (char c : u.target) {
    if (!is_target_char(c)) {
      return fail(why,
                  "space, control character or non-ASCII byte in the path: percent-encode it (%20, ...)");
    }
  }
  return u;
}

Result<std::size_t> resolve_reference(const Url& base, std::string_view location, std::span<char> out,
                                      const char** why) {
  location = location.substr(0, location.find('#'));
  if (location.empty()) {
    if (why != nullptr) *why = "empty redirect location";
    return Errc::invalid_argument;
  }
  Out o{out};
  if (has_scheme(location)) {
    o.put(location);
  } else if (location.starts_with("//")) {
    o.put(base.scheme == Scheme::https ? "https:" : "http:");
    o.put(location);
  } else {
    put_origin(o, base);
    std::string_view path = base.target.substr(0, base.target.find('?'));
    if (location[0] == '/') {
      o.put(location);
    } else if (location[0] == '?') {
      o.put(path.empty() ? "/" : path);
      o.put(location);
    } else {
      std::size_t slash = path.rfind('/');
      o.put(slash == std::string_view::npos ? "/" : path.substr(0, slash + 1));
      o.put(location);
    }
  }
  if (o.overflow) {
    if (why != nullptr) *why = "redirect location longer than the space left in the client's buffer";
    return Errc::too_large;
  }
  Result<Url> check = Url::parse({out.data(), o.n}, why);
  if (!check) return check.error();
  return o.n;
}

}  // namespace weft::net
