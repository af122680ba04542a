// Url: an http:// (or https://) URL split into the parts an HTTP request needs, as views into the text
// (no copy, no allocation: keep the text alive while the Url is used).
//
//   const char* why = nullptr;
//   weft::Result<weft::net::Url> u = weft::net::Url::parse("http://maker.ifttt.com/trigger/x?k=1", &why);
//   if (!u) log("bad URL: %s", why);          // e.g. "missing scheme: write http://host/path"
//   u->host == "maker.ifttt.com", u->port == 80, u->target == "/trigger/x?k=1"
//
// Accepted: scheme http or https (any case); host = a DNS name, a dotted quad or [IPv6]; optional :port
// (1..65535); then a path and/or ?query. A #fragment is dropped (it never goes to the server). Rejected with
// Errc::invalid_argument and a reason in `why`: another scheme, user:password@ (send an Authorization header
// instead), an empty or malformed host, a bad port, spaces, control characters or non-ASCII bytes (percent-
// encode them). Parsing is pure: no logging, O(length).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"

namespace weft::net {

enum class Scheme : std::uint8_t { http, https };

struct Url {
  static constexpr std::size_t kMaxHost = 253;

  Scheme scheme = Scheme::http;
  std::string_view host;    // without the brackets of an IPv6 literal
  std::uint16_t port = 80;  // the scheme's default when the URL has none
  bool explicit_port = false;
  std::string_view target;  // path and query as written: "" or "?q" mean "/" and "/?q"

  [[nodiscard]] static constexpr std::uint16_t default_port(Scheme s) {
    return s == Scheme::https ? 443 : 80;
  }
  [[nodiscard]] bool is_ipv6_literal() const { return host.find(':') != std::string_view::npos; }

  [[nodiscard]] static Result<Url> parse(std::string_view text, const char** why = nullptr);
};

// Resolves a Location header (RFC 3986 reference: absolute URL, //host/path, /path, ?query or a relative
// path) against `base` and writes the absolute URL text into `out`. Returns its length; Errc::too_large when
// `out` is short, Errc::invalid_argument (reason in `why`) when the reference is not a valid http(s) URL.
// Dot segments (../) are left to the server. `out` must not overlap the texts `base` and `location` view.
[[nodiscard]] Result<std::size_t> resolve_reference(const Url& base, std::string_view location,
                                                    std::span<char> out, const char** why = nullptr);

}  // namespace weft::net
