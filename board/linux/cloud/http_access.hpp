// Who may ask the local cloud's REST API what: the Host check against DNS rebinding and the admin key that
// guards whatever lists tokens. One place for both, so every HTTP route (REST, a dashboard) applies the same
// rules.
//
// Security model (README.md in this directory): the cloud binds to loopback by default and sends no CORS
// header, so a web page of another origin cannot read its answers. A page could still reach it through a
// rebound DNS name; the Host check refuses any request whose Host is not loopback, an IP literal (rebinding
// needs a name) or a name given with --host-name. Knowing a device's token gives access to that device only;
// listings of every device or event (tokens included) need the admin key: a random key the cloud makes at
// start (or --admin-key / WEFT_CLOUD_ADMIN_KEY) and prints, sent as `Authorization: Bearer KEY`.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "http_request.hpp"

namespace weft::cloud {

// 32 hex characters from the system's random source.
[[nodiscard]] std::string make_admin_key();

// True when the request's Host (without its port) is localhost, an IPv4 literal, a bracketed IPv6 literal or
// one of `names` (case-insensitive). An HTTP/1.0 request without Host passes (no browser sends one).
[[nodiscard]] bool host_allowed(const HttpRequest& req, const std::vector<std::string>& names);

// True when the request carries `Authorization: Bearer <key>` with this key (compared in constant time).
// An empty key admits nobody. With `or_in_query`, `?key=<key>` in the query counts too (for a browser's
// EventSource, which cannot set headers; only the dashboard's routes accept it).
[[nodiscard]] bool has_admin_key(const HttpRequest& req, std::string_view key, bool or_in_query = false);

// True when the request has no Origin header or comes from this server's own pages (Origin is `http://` and
// its Host): the dashboard's routes refuse other sites' pages even when the browser would not let them read.
[[nodiscard]] bool origin_allowed(const HttpRequest& req);

}  // namespace weft::cloud
