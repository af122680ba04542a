#include "response_head.hpp"

namespace weft::net {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

// Field content: visible ASCII, obs-text (bytes >= 0x80), spaces and tabs; no other control characters.
bool is_field_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x20 ? u != 0x7f : c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back()))
    s.remove_suffix(1);
  return s;
}

// The next line of `rest` without its line end (CRLF or LF); advances `rest`. false when no LF is left.
bool next_line(std::string_view& rest, std::string_view& line) {
  std::size_t lf = rest.find('\n');
  if (lf == std::string_view::npos) return false;
  line = rest.substr(0, lf);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  rest.remove_prefix(lf + 1);
  return true;
}

// Calls fn(token) for each comma-separated element of a header value (empty elements skipped).
template <typename F>
bool for_each_token(std::string_view value, F&& fn) {
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view t = trim(value.substr(0, comma));
    if (!t.empty() && !fn(t)) return false;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return true;
}

// Splits a validated header line.
Header split(std::string_view line) {
  std::size_t colon = line.find(':');
  return Header{line.substr(0, colon), trim(line.substr(colon + 1))};
}

Result<ResponseHead> fail(const char** why, const char* reason) {
  if (why != nullptr) *why = reason;
  return Errc::protocol_error;
}

}  // namespace

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::size_t find_head_end(std::string_view data, std::size_t scanned) {
  for (std::size_t i = scanned > 3 ? scanned - 3 : 0; i < data.size(); ++i) {
    if (data[i] != '\n') continue;
    if (i + 1 < data.size() && data[i + 1] == '\n') return i + 2;
    if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') return i + 3;
  }
  return 0;
}

void Headers::Iterator::next() {
  std::string_view line;
  if (!next_line(rest_, line) || line.empty()) {
    done_ = true;
    rest_ = {};
    return;
  }
  current_ = split(line);
}

Result<ResponseHead> ResponseHead::parse(std::string_view head, const char** why) {
  ResponseHead h;
  std::string_view rest = head;
  std::string_view line;
  if (!next_line(rest, line)) return fail(why, "the response head is incomplete (no line end)");
  // "HTTP/1.1 200 OK": exactly one space on each side of the code; the reason may be empty.
  if (line.size() < 12 || !line.starts_with("HTTP/1.") || line[8] != ' ' ||
      (line.size() > 12 && line[12] != ' ')) {
    return fail(why, "malformed status line (expected \"HTTP/1.x NNN reason\")");
  }
  if (line[7] < '0' || line[7] > '9') return fail(why, "malformed HTTP version in the status line");
  h.version_minor = line[7] - '0';
  for (std::size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return fail(why, "the status code is not 3 digits");
    h.status = h.status * 10 + (line[i] - '0');
  }
  if (h.status < 100) return fail(why, "status code below 100");
  h.reason = line.size() > 13 ? line.substr(13) : std::string_view{};
  for (char c : h.reason) {
    if (!is_field_char(c)) return fail(why, "control character in the reason phrase");
  }

  const char* fields_begin = rest.data();
  bool blank = false;
  bool chunked_seen = false;
  while (next_line(rest, line)) {
    if (line.empty()) {
      blank = true;
      break;
    }
    if (is_ows(line[0])) return fail(why, "folded header line (obsolete line folding is not accepted)");
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return fail(why, "header line without ':'");
    std::string_view name = line.substr(0, colon);
    if (name.empty()) return fail(why, "empty header name");
    for (char c : name) {
      if (!is_token_char(c)) return fail(why, "invalid character in a header name (or a space before ':')");
    }
    std::string_view value = trim(line.substr(colon + 1));
    for (char c : value) {
      if (!is_field_char(c)) return fail(why, "control character (NUL, CR, ...) in a header value");
    }
    if (equals_ignoring_case(name, "content-length")) {
      if (value.empty() || value.size() > 18)
        return fail(why, "bad Content-Length (digits only, at most 18)");
      std::uint64_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return fail(why, "bad Content-Length (digits only, at most 18)");
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (h.content_length && *h.content_length != n) return fail(why, "conflicting Content-Length headers");
      h.content_length = n;
    } else if (equals_ignoring_case(name, "transfer-encoding")) {
      bool ok = for_each_token(value, [&](std::string_view t) {
        if (chunked_seen) return false;  // chunked must be the last coding
        if (equals_ignoring_case(t, "chunked"))
          chunked_seen = true;
        else if (!equals_ignoring_case(t, "identity"))
          return false;
        return true;
      });
      if (!ok) return fail(why, "unsupported Transfer-Encoding (only chunked, as the last coding)");
    } else if (equals_ignoring_case(name, "connection")) {
      (void)for_each_token(value, [&](std::string_view t) {
        if (equals_ignoring_case(t, "close")) h.close = true;
        if (equals_ignoring_case(t, "keep-alive")) h.keep_alive = true;
        return true;
      });
    }
  }
  if (!blank) return fail(why, "the response head is incomplete (no blank line)");
  if (!rest.empty()) return fail(why, "bytes after the blank line that ends the head");
  h.fields = std::string_view(fields_begin, static_cast<std::size_t>(rest.data() - fields_begin));
  h.chunked = chunked_seen;
  if (h.chunked && h.content_length) h.close = true;  // RFC 9112 6.3: a smuggling risk; never reuse
  if (h.version_minor == 0 && !h.keep_alive) h.close = true;
  return h;
}

std::optional<std::string_view> ResponseHead::header(std::string_view name) const {
  for (const Header& f : Headers(fields)) {
    if (equals_ignoring_case(f.name, name)) return f.value;
  }
  return std::nullopt;
}

std::size_t ResponseHead::count(std::string_view name) const {
  std::size_t n = 0;
  for (const Header& f : Headers(fields))
    n += equals_ignoring_case(f.name, name) ? 1 : 0;
  return n;
}

BodyFraming ResponseHead::framing(bool head_request) const {
  if (head_request || status < 200 || status == 204 || status == 304) return BodyFraming::none;
  if (chunked) return BodyFraming::chunked;
  if (content_length) return BodyFraming::length;
  return BodyFraming::until_close;
}

bool ResponseHead::reusable(bool head_request) const {
  return !close && framing(head_request) != BodyFraming::until_close;
}

}  // namespace weft::net
