// The local cloud's HTTP/1.1 server: one connection, request after request (keep-alive), each parsed with
// HttpRequestParser and answered by the REST API (rest_api.hpp).
//
// Limits (CloudOptions): a request must arrive whole within http_request_timeout (else 408 and close); an
// idle keep-alive connection is closed after http_idle_timeout; a malformed request gets its 4xx/5xx with a
// one-line explanation and the connection is closed (the stream cannot be trusted after it).
#pragma once
#include <string>

#include "core/task.hpp"
#include "peer_stream.hpp"

namespace weft::cloud {

class Cloud;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// Serves `stream` until the client closes, an error, or the cloud stops. `initial`: bytes already read.
[[nodiscard]] Task<> serve_http(Cloud& cloud, PeerStream& stream, std::string initial);

// The bytes of a response: status line, Content-Type, Content-Length, Connection, body (no CORS header).
[[nodiscard]] std::string format_response(const HttpResponse& r, bool keep_alive, bool head_only = false);

}  // namespace weft::cloud
