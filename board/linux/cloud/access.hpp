// Who may use the cloud's administration side (the dashboard and its API, dashboard.hpp): one check, in one
// place, for every such request.
//
//   if (std::optional<HttpResponse> no = refuse_admin(cloud.options(), request)) return *no;
//
// A request passes when
//   - its Host header names this server: a loopback address or `localhost` (any port), or one of
//     CloudOptions::host_names — so a page of another site cannot reach the cloud through DNS rebinding;
//   - an Origin header, when there is one, is this very server (`http://` + the Host header) — so another
//     site's page cannot drive the API or read tokens from the browser (no CORS header is ever granted);
//   - it carries the admin key (CloudOptions::admin_key, printed at start): the header `X-Weft-Key: KEY`,
//     `Authorization: Bearer KEY`, or `key=KEY` in the query (for EventSource, which cannot set headers).
// Otherwise the answer is 403 (host, origin) or 401 (key) with a one-line reason. The key is compared in
// constant time and never logged.
#pragma once
#include <optional>
#include <string_view>

#include "http_request.hpp"
#include "http_server.hpp"

namespace weft::cloud {

struct CloudOptions;

[[nodiscard]] std::optional<HttpResponse> refuse_admin(const CloudOptions& options,
                                                       const HttpRequest& request);

// The host part of a Host header value ("127.0.0.1:8080" -> "127.0.0.1", "[::1]:80" -> "::1").
[[nodiscard]] std::string_view host_of(std::string_view host_header);

// True for 127.0.0.0/8, ::1 and localhost.
[[nodiscard]] bool is_loopback_name(std::string_view host);

}  // namespace weft::cloud
