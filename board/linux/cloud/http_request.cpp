#include "http_request.hpp"

#include <algorithm>

namespace weft::cloud {
namespace {

bool is_tchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  for (char t : std::string_view("!#$%&'*+-.^_`|~"))
    if (c == t) return true;
  return false;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

const std::string* HttpRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return &v;
  }
  return nullptr;
}

bool HttpRequest::keep_alive() const {
  const std::string* c = header("Connection");
  if (minor_version == 0) return c != nullptr && iequals(*c, "keep-alive");
  return c == nullptr || !iequals(*c, "close");
}

void HttpRequestParser::reset() {
  state_ = State::head;
  head_.clear();
  body_left_ = 0;
  request_ = HttpRequest{};
  error_ = HttpError{};
}

void HttpRequestParser::fail(int status, std::string message) {
  state_ = State::failed;
  error_ = HttpError{status, std::move(message)};
}

std::size_t HttpRequestParser::feed(std::string_view data) {
  std::size_t used = 0;
  while (state_ == State::head && used < data.size()) {
    const char c = data[used++];
    if (head_.empty() && (c == '\r' || c == '\n')) continue;  // empty lines before a request are ignored
    head_ += c;
    if (head_.size() > limits_.max_request_line && head_.find('\n') == std::string::npos) {
      fail(414, "the request line is longer than " + std::to_string(limits_.max_request_line) +
                    " bytes: shorten the URL");
      return used;
    }
    if (head_.size() > limits_.max_head) {
      fail(431, "the request head (request line and headers) is longer than " +
                    std::to_string(limits_.max_head) + " bytes: send fewer or shorter headers");
      return used;
    }
    const std::size_t n = head_.size();
    if (c == '\n' && n >= 2 &&
        (head_[n - 2] == '\n' || (n >= 3 && head_[n - 2] == '\r' && head_[n - 3] == '\n')))
      parse_head();
  }
  if (state_ == State::body) {
    const std::size_t take = std::min(body_left_, data.size() - used);
    request_.body.append(data.data() + used, take);
    used += take;
    body_left_ -= take;
    if (body_left_ == 0) state_ = State::done;
  }
  return used;
}

void HttpRequestParser::parse_head() {
  std::string_view rest = head_;
  bool first = true;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the end of the head
    for (char c : line) {
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
        fail(400, "a control character (byte " + std::to_string(static_cast<unsigned char>(c)) +
                      ") in the request head: only printable text is allowed");
        return;
      }
    }
    if (first ? !parse_request_line(line) : !parse_header(line)) return;
    first = false;
  }
  const std::string* te = request_.header("Transfer-Encoding");
  if (te != nullptr) {
    fail(501, "Transfer-Encoding '" + *te + "' is not supported: send the body with a Content-Length");
    return;
  }
  std::size_t length = 0;
  bool have_length = false;
  for (const auto& [name, value] : request_.headers) {
    if (!iequals(name, "Content-Length")) continue;
    if (value.empty() || value.size() > 10 || value.find_first_not_of("0123456789") != std::string::npos) {
      fail(400, "Content-Length '" + value + "' is not a number");
      return;
    }
    std::size_t v = 0;
    for (char c : value)
      v = v * 10 + static_cast<std::size_t>(c - '0');
    if (have_length && v != length) {
      fail(400, "several Content-Length headers that disagree");
      return;
    }
    length = v;
    have_length = true;
  }
  if (length > limits_.max_body) {
    fail(413, "the body of " + std::to_string(length) + " bytes is over the limit of " +
                  std::to_string(limits_.max_body) + " bytes");
    return;
  }
  body_left_ = length;
  state_ = length > 0 ? State::body : State::done;
}

bool HttpRequestParser::parse_request_line(std::string_view line) {
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    fail(400, "the request line must be `METHOD /path HTTP/1.1` (three parts separated by single spaces)");
    return false;
  }
  const std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (method.empty() || method.size() > 16) {
    fail(400, "bad method: expected a word such as GET");
    return false;
  }
  for (char c : method) {
    if (!is_tchar(c)) {
      fail(400, "bad method: expected a word such as GET");
      return false;
    }
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9') {
    fail(400, "bad HTTP version '" + std::string(version) + "': expected HTTP/1.1");
    return false;
  }
  if (version[5] != '1' || version[7] > '1') {
    fail(505, "HTTP version " + std::string(version.substr(5)) + " is not supported: use HTTP/1.1");
    return false;
  }
  request_.minor_version = version[7] - '0';
  request_.method = std::string(method);
  request_.target = std::string(target);
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() > scheme.size() && iequals(target.substr(0, scheme.size()), scheme)) {
      const std::size_t slash = target.find('/', scheme.size());
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
  }
  if (target.empty() || target[0] != '/') {
    fail(400, "bad request target '" + std::string(target) + "': it must start with '/'");
    return false;
  }
  const std::size_t q = target.find('?');
  std::optional<std::string> path = percent_decode(target.substr(0, q), false);
  if (!path || path->find('\0') != std::string::npos) {
    fail(400, "bad percent-escape in the path: write %XX with two hex digits (and no %00)");
    return false;
  }
  request_.path = std::move(*path);
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    query = query.substr(0, query.find('#'));
    request_.query = std::string(query);
  }
  return true;
}

bool HttpRequestParser::parse_header(std::string_view line) {
  if (line[0] == ' ' || line[0] == '\t') {
    fail(400, "a header line starts with whitespace (obsolete line folding): put each header on one line");
    return false;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    fail(400, "bad header line '" + std::string(line.substr(0, 40)) + "': expected `Name: value`");
    return false;
  }
  const std::string_view name = line.substr(0, colon);
  for (char c : name) {
    if (!is_tchar(c)) {
      fail(400, "bad header name '" + std::string(name.substr(0, 40)) +
                    "': letters, digits and -_. only, and no space before the colon");
      return false;
    }
  }
  if (request_.headers.size() >= limits_.max_headers) {
    fail(431, "more than " + std::to_string(limits_.max_headers) + " headers");
    return false;
  }
  request_.headers.emplace_back(std::string(name), std::string(trim(line.substr(colon + 1))));
  return true;
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::optional<std::string> name = percent_decode(pair.substr(0, eq), true);
    std::optional<std::string> value =
        percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 421:
      return "Misdirected Request";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

}  // namespace weft::cloud
