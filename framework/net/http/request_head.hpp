// The request line and headers the client sends, formatted into a fixed buffer (pure: no I/O, no logging).
//
//   GET /path?q HTTP/1.1                  the method and the URL's target ("/" when it has none)
//   Host: example.com:8080                the port only when it is not the scheme's default
//   User-Agent: weft/0.1                  unless the caller's headers have one
//   Content-Type: application/json        when given
//   Content-Length: 21                    when there is a body, and always for POST, PUT and PATCH
//   Connection: close                     unless keep-alive
//   ...the caller's headers...
//
// The caller's headers are checked, so a value cannot smuggle a second header or request: a name must be a
// token (letters, digits, !#$%&'*+-.^_`|~), a value must not hold CR, LF or NUL, and Host, Content-Length,
// Transfer-Encoding and Connection are the client's (Errc::invalid_argument, reason in `why`). A head longer
// than `out` is Errc::too_large.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "response_head.hpp"
#include "url.hpp"

namespace weft::net {

enum class Method : std::uint8_t { get, head, post, put, patch, delete_ };
[[nodiscard]] const char* to_string(Method m);  // "GET", ...

struct RequestHeadParts {
  Method method = Method::get;
  const Url* url = nullptr;
  std::span<const Header> headers;
  std::string_view content_type;  // "" = none
  std::size_t body_size = 0;
  bool keep_alive = false;
};

[[nodiscard]] Result<std::size_t> format_request_head(const RequestHeadParts& r, std::span<char> out,
                                                      const char** why = nullptr);

// Checks one caller header (the rules above).
[[nodiscard]] Status check_request_header(const Header& h, const char** why = nullptr);

}  // namespace weft::net
