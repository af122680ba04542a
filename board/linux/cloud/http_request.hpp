// HttpRequestParser: HTTP/1.1 requests in, parsed as bytes arrive, with limits and a clear 4xx/5xx for
// anything malformed — the local cloud's REST API (http_server.hpp) reads with it. Pure code (std only, no
// I/O), fuzzed by tests/fuzz/http_request_fuzz.cpp.
//
//   HttpRequestParser p;
//   std::size_t used = p.feed(bytes);           // consumes what it needs; call again with more bytes
//   if (p.state() == HttpRequestParser::State::done) handle(p.request());  // bytes[used..] start the next
//   one if (p.state() == HttpRequestParser::State::failed) reply(p.error());   // then close the connection
//
// Accepted: `METHOD SP target SP HTTP/1.0|1.1 CRLF`, header lines `Name: value CRLF`, an empty line, and a
// body of Content-Length bytes. Bare LF line ends are accepted too (curl never sends them; hand-typed nc
// does). The target is origin-form ("/path?query") or absolute-form ("http://host/path?query": the host is
// dropped). Rejected, with the status a server owes and a message saying what was wrong:
//   400 a malformed request line, header line, header name, percent-escape or Content-Length; obs-fold; a
//       NUL byte or a control character in the head; several differing Content-Lengths
//   414 a request line over Limits::max_request_line        431 a head over Limits::max_head / max_headers
//   413 a body over Limits::max_body                        501 Transfer-Encoding (chunked bodies)
//   505 an HTTP version other than 1.0 / 1.1
// Cost: O(bytes); the head is copied once into the parser (bounded by the limits), the body once.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft::cloud {

struct HttpRequest {
  std::string method;                                        // "GET"
  std::string target;                                        // as sent: "/abc/get/V1?x=1"
  std::string path;                                          // percent-decoded: "/abc/get/V1"
  std::string query;                                         // raw, without '?': "x=1"
  int minor_version = 1;                                     // HTTP/1.<minor>
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values trimmed
  std::string body;

  // The first header of that name (case-insensitive), or nullptr.
  [[nodiscard]] const std::string* header(std::string_view name) const;
  // HTTP/1.1 keeps the connection unless "Connection: close"; HTTP/1.0 closes unless "keep-alive".
  [[nodiscard]] bool keep_alive() const;
};

struct HttpError {
  int status = 400;
  std::string message;  // one sentence: what was wrong and what to send instead
};

struct HttpLimits {
  std::size_t max_request_line = 2048;
  std::size_t max_head = 8192;  // request line + headers
  std::size_t max_headers = 64;
  std::size_t max_body = 64 * 1024;
};

class HttpRequestParser {
 public:
  enum class State { head, body, done, failed };

  explicit HttpRequestParser(HttpLimits limits = {}) : limits_(limits) {}

  // Consumes bytes of `data` until the request is complete or fails; returns how many it consumed (bytes
  // after a complete request belong to the next one: call reset() and feed them again).
  std::size_t feed(std::string_view data);
  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] const HttpRequest& request() const { return request_; }
  [[nodiscard]] const HttpError& error() const { return error_; }
  // True when nothing of a request was received yet (an idle keep-alive connection).
  [[nodiscard]] bool empty() const { return state_ == State::head && head_.empty(); }
  void reset();

 private:
  void fail(int status, std::string message);
  void parse_head();
  bool parse_request_line(std::string_view line);
  bool parse_header(std::string_view line);

  HttpLimits limits_;
  State state_ = State::head;
  std::string head_;
  std::size_t body_left_ = 0;
  HttpRequest request_;
  HttpError error_;
};

// Percent-decoding of a path ("%20" -> " "); with `plus_is_space`, '+' is a space (query strings).
// nullopt for a bad escape ("%G1", "%4").
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

// The query's name=value pairs in order, decoded ("value=1&value=2" -> {value,1},{value,2}; "a" -> {a,""}).
// nullopt for a bad escape.
[[nodiscard]] std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(
    std::string_view query);

// The reason phrase of a status code ("Not Found").
[[nodiscard]] const char* reason_phrase(int status);

}  // namespace weft::cloud
