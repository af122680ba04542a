// ResponseHead: an HTTP/1.x response's status line and headers, parsed from the bytes of the head (no I/O),
// as views into those bytes (keep them alive and unchanged while the head is used). Pure: no logging, no
// allocation; this is what tests/fuzz/http_response_fuzz exercises.
//
//   std::size_t n = weft::net::find_head_end(received);       // 0: the head is not complete yet
//   const char* why = nullptr;
//   weft::Result<weft::net::ResponseHead> h = weft::net::ResponseHead::parse(received.substr(0, n), &why);
//   h->status == 200; h->header("Content-Type") == "application/json"
//
// Grammar (RFC 9112), strict where leniency would hide a broken server, lenient where the RFC allows it:
//   status line   HTTP/1.0 or HTTP/1.1, one space, 3 digits (100..999), then an optional reason phrase
//   line ends     CRLF, or a bare LF
//   header        token ":" OWS value OWS; a name with spaces before the colon, a folded line (starting
//                 with a space), a NUL or a bare CR in a value are Errc::protocol_error
//   framing       Content-Length: digits only (several headers must agree); Transfer-Encoding: only
//                 "chunked" (with or without "identity" before it; any other coding is protocol_error,
//                 since the client never asks for one); Connection: close / keep-alive tokens
// Errors: Errc::protocol_error, with the reason in `why`.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace weft::net {

// How a response's body is delimited (RFC 9112 section 6.3).
enum class BodyFraming : std::uint8_t {
  none,         // HEAD requests, 1xx, 204 and 304 responses
  length,       // Content-Length bytes
  chunked,      // Transfer-Encoding: chunked
  until_close,  // neither: the body ends when the server closes the connection
};

struct ResponseHead {
  int version_minor = 1;  // HTTP/1.<minor>
  int status = 0;
  std::string_view reason;
  std::string_view fields;  // the header lines, validated (iterate them with Headers)
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
  bool close = false;       // Connection: close, or HTTP/1.0 without keep-alive
  bool keep_alive = false;  // Connection: keep-alive was sent

  // The first header called `name` (any case), its value without surrounding spaces; nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
  // How many headers are called `name`.
  [[nodiscard]] std::size_t count(std::string_view name) const;
  // The framing of this response's body; `head_request`: the request was HEAD (no body, whatever the head
  // says).
  [[nodiscard]] BodyFraming framing(bool head_request) const;
  // The connection may carry another request after this response's body (keep-alive, framed body).
  [[nodiscard]] bool reusable(bool head_request) const;

  // `head` is the status line through the blank line (find_head_end's length). Errc::protocol_error.
  [[nodiscard]] static Result<ResponseHead> parse(std::string_view head, const char** why = nullptr);
};

// One header line of a parsed head.
struct Header {
  std::string_view name;
  std::string_view value;
};

// Iterates the header lines of a parsed head: for (Header h : Headers(head.fields)) ...
class Headers {
 public:
  class Iterator {
   public:
    Iterator(std::string_view rest) : rest_(rest) { next(); }
    const Header& operator*() const { return current_; }
    const Header* operator->() const { return &current_; }
    Iterator& operator++() {
      next();
      return *this;
    }
    bool operator==(const Iterator& o) const {
      return done_ == o.done_ && (done_ || rest_.data() == o.rest_.data());
    }

   private:
    void next();
    std::string_view rest_;
    Header current_;
    bool done_ = false;
  };
  explicit Headers(std::string_view fields) : fields_(fields) {}
  [[nodiscard]] Iterator begin() const { return Iterator(fields_); }
  [[nodiscard]] Iterator end() const { return Iterator({}); }

 private:
  std::string_view fields_;
};

// The length of the head at the start of `data` through its blank line (CRLF CRLF, or bare LFs), or 0 when
// the blank line has not arrived. `scanned`: bytes already searched by an earlier call on the same data
// (lets a reader search only what is new); the search restarts 3 bytes before it.
[[nodiscard]] std::size_t find_head_end(std::string_view data, std::size_t scanned = 0);

// ASCII case-insensitive comparison (header names and tokens).
[[nodiscard]] bool equals_ignoring_case(std::string_view a, std::string_view b);

}  // namespace weft::net
