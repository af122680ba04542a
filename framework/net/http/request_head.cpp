#include "request_head.hpp"

#include <cstring>

namespace weft::net {
namespace {

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

struct Writer {
  std::span<char> out;
  std::size_t n = 0;
  bool overflow = false;
  void put(std::string_view s) {
    if (s.empty()) return;
    if (overflow || s.size() > out.size() - n) {
      overflow = true;
      return;
    }
    std::memcpy(out.data() + n, s.data(), s.size());
    n += s.size();
  }
  void put_number(std::uint64_t v) {
    char digits[20];
    std::size_t len = sizeof digits;
    do {
      digits[--len] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    put({digits + len, sizeof digits - len});
  }
  void header(std::string_view name, std::string_view value) {
    put(name);
    put(": ");
    put(value);
    put("\r\n");
  }
};

}  // namespace

const char* to_string(Method m) {
  switch (m) {
    case Method::get:
      return "GET";
    case Method::head:
      return "HEAD";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
    case Method::patch:
      return "PATCH";
    case Method::delete_:
      return "DELETE";
  }
  return "GET";
}

Status check_request_header(const Header& h, const char** why) {
  auto fail = [&](const char* reason) {
    if (why != nullptr) *why = reason;
    return Status(Errc::invalid_argument);
  };
  if (h.name.empty()) return fail("empty header name");
  for (char c : h.name) {
    if (!is_token_char(c))
      return fail("invalid character in a header name (letters, digits, !#$%&'*+-.^_`|~)");
  }
  for (char c : h.value) {
    if (c == '\r' || c == '\n' || c == '\0') return fail("CR, LF or NUL in a header value");
  }
  for (std::string_view own : {"host", "content-length", "transfer-encoding", "connection"}) {
    if (equals_ignoring_case(h.name, own)) {
      return fail("Host, Content-Length, Transfer-Encoding and Connection are set by the client");
    }
  }
  return {};
}

Result<std::size_t> format_request_head(const RequestHeadParts& r, std::span<char> out, const char** why) {
  bool user_agent = false;
  for (const Header& h : r.headers) {
    if (Status s = check_request_header(h, why); !s) return s.error();
    user_agent = user_agent || equals_ignoring_case(h.name, "user-agent");
  }
  if (r.content_type.find_first_of("\r\n", 0) != std::string_view::npos ||
      r.content_type.find('\0') != std::string_view::npos) {
    if (why != nullptr) *why = "CR, LF or NUL in the content type";
    return Errc::invalid_argument;
  }
  const Url& url = *r.url;
  Writer w{out};
  w.put(to_string(r.method));
  w.put(" ");
  if (url.target.empty() || url.target[0] != '/') w.put("/");
  w.put(url.target);
  w.put(" HTTP/1.1\r\nHost: ");
  if (url.is_ipv6_literal()) w.put("[");
  w.put(url.host);
  if (url.is_ipv6_literal()) w.put("]");
  if (url.port != Url::default_port(url.scheme)) {
    w.put(":");
    w.put_number(url.port);
  }
  w.put("\r\n");
  if (!user_agent) w.header("User-Agent", "weft/0.1");
  if (!r.content_type.empty()) w.header("Content-Type", r.content_type);
  bool has_body_method = r.method == Method::post || r.method == Method::put || r.method == Method::patch;
  if (r.body_size > 0 || has_body_method) {
    w.put("Content-Length: ");
    w.put_number(r.body_size);
    w.put("\r\n");
  }
  if (!r.keep_alive) w.header("Connection", "close");
  for (const Header& h : r.headers)
    w.header(h.name, h.value);
  w.put("\r\n");
  if (w.overflow) {
    if (why != nullptr) *why = "the request head does not fit in the client's buffer";
    return Errc::too_large;
  }
  return w.n;
}

}  // namespace weft::net
