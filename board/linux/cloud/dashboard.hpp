// The dashboard: a web page (the files in CloudOptions::dashboard_dir, dashboard/ in this directory) that
// lays out each device's widgets from the project, follows every change live, and drives the devices and
// their simulated boards. Served by the cloud's HTTP server next to the REST API; everything but the page's
// own files needs the admin key and this server's own origin (http_access.hpp).
//
//   GET  /                       the page (when the client accepts text/html; curl gets the REST help)
//   GET  /dashboard/FILE         its script and style sheet
//   GET  /api/dashboard          {"seq":N,"devices":[{"device":{...},"board":bool,"history":{...}}],
//                                 "events":[...]}: the snapshot the page starts from; history: the recent
//                                 values of the pins of chart widgets, [[unix_ms,"value"],...]
//   GET  /api/stream?since=N     Server-Sent Events: one `data: {change}` per change of the store after seq N
//                                (value, property, online, offline, event; Store::Change), as it happens;
//                                `event: reset` when changes after N were already dropped (reload the
//                                snapshot); a comment every 15 s keeps idle connections honest
//   POST /api/board/TOKEN        body: one control-channel request ({"op":"state"},
//   board/linux/sim/SCENARIOS.md)
//                                for the device's simulated board; the answer is its reply line
//   POST /api/attach/TOKEN       body: HOST:PORT, a loopback control channel to use for the device's board
// Widget changes go through the REST API (GET /TOKEN/update/PIN?value=...), as the phone app's would.
#pragma once
#include <optional>

#include "core/task.hpp"
#include "http_request.hpp"
#include "http_server.hpp"
#include "peer_stream.hpp"

namespace weft::cloud {

class Cloud;

// True for the requests above (the caller serves the others with the REST API).
[[nodiscard]] bool is_dashboard_request(const HttpRequest& request);
// True for GET /api/stream: serve_stream() takes the connection over.
[[nodiscard]] bool is_stream_request(const HttpRequest& request);

// Answers one dashboard request (not the stream). Access is checked here.
[[nodiscard]] Task<HttpResponse> handle_dashboard(Cloud& cloud, const HttpRequest& request);

// Serves the event stream on `stream` until the client goes away or the cloud stops; then the connection is
// done. A request without access gets its 401/403 instead.
[[nodiscard]] Task<> serve_stream(Cloud& cloud, PeerStream& stream, const HttpRequest& request);

}  // namespace weft::cloud
