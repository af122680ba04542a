#include "http_server.hpp"

#include <algorithm>

#include "cloud.hpp"
#include "core/log.hpp"
#include "core/wait_for.hpp"
#include "dashboard.hpp"
#include "http_access.hpp"
#include "rest_api.hpp"

namespace weft::cloud {

std::string format_response(const HttpResponse& r, bool keep_alive, bool head_only) {
  std::string out = "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += reason_phrase(r.status);
  out += "\r\n";
  out += "Content-Type: " + r.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  out += "\r\n";  // no CORS header: a page of another origin must not read the answers (http_access.hpp)
  if (!head_only) out += r.body;
  return out;
}

Task<> serve_http(Cloud& cloud, PeerStream& stream, std::string initial) {
  const CloudOptions& o = cloud.options();
  HttpRequestParser parser(o.http_limits);
  std::string pending = std::move(initial);
  char buf[4096];
  Micros request_started = Loop::current().now();
  for (;;) {
    const std::size_t used = parser.feed(pending);
    pending.erase(0, used);
    const HttpRequestParser::State state = parser.state();
    if (state == HttpRequestParser::State::done) {
      const HttpRequest& req = parser.request();
      HttpResponse resp;
      if (!host_allowed(req, o.host_names)) {
        resp =
            HttpResponse{421, "text/plain; charset=utf-8",
                         "This server answers only to localhost, an IP address or a --host-name it was given "
                         "(a Host it does not know can be a DNS-rebinding page).\n"};
      } else if (is_stream_request(req)) {
        co_await serve_stream(cloud, stream, req);  // the connection is the stream's until it ends
        break;
      } else if (is_dashboard_request(req)) {
        Result<HttpResponse> r = co_await handle_dashboard(cloud, req);
        if (!r) break;  // cancelled: the cloud is stopping
        resp = std::move(*r);
      } else {
        resp = handle_rest(cloud, req);
      }
      const bool keep = req.keep_alive();
      WEFT_LOG_DEBUG("cloud: HTTP %s %s -> %d", req.method.c_str(), req.target.c_str(), resp.status);
      const std::string bytes = format_response(resp, keep, req.method == "HEAD");
      Result<IoResult> written = co_await stream.write_all(bytes, o.write_timeout);
      const IoResult w = net::flatten(written);
      if (!w || !keep) break;
      parser.reset();
      continue;
    }
    if (state == HttpRequestParser::State::failed) {
      const HttpError& e = parser.error();
      WEFT_LOG_WARN("cloud: HTTP request refused with %d: %s", e.status, e.message.c_str());
      const std::string bytes =
          format_response(HttpResponse{e.status, "text/plain; charset=utf-8", e.message + "\n"}, false);
      (void)co_await stream.write_all(bytes, o.write_timeout);
      break;
    }
    // The request deadline runs from its first byte, not per read: a client that drips a byte at a time
    // gets its 408 all the same.
    const bool idle = parser.empty() && pending.empty();
    const Micros now = Loop::current().now();
    if (idle) request_started = now;
    const Micros wait =
        idle ? o.http_idle_timeout : std::max<Micros>(0, request_started + o.http_request_timeout - now);
    Result<IoResult> read = co_await stream.read_some(buf, wait);
    const IoResult r = net::flatten(read);
    if (!r) {
      if (r.error == Errc::timed_out && !idle) {
        const std::string bytes = format_response(
            HttpResponse{408, "text/plain; charset=utf-8", "the request did not arrive whole in time\n"},
            false);
        (void)co_await stream.write_all(bytes, o.write_timeout);
      }
      break;
    }
    pending.append(buf, r.count);
  }
  // Lingering close: the client may still be sending (a refused body); closing with unread bytes would reset
  // the connection and could destroy the response before the client reads it.
  Status shut = co_await stream.shutdown_write(o.write_timeout);
  if (shut.ok()) {
    for (std::size_t drained = 0; drained < 256 * 1024;) {
      Result<IoResult> read = co_await stream.read_some(buf, ms(500));
      const IoResult r = net::flatten(read);
      if (!r) break;
      drained += r.count;
    }
  }
  stream.close();
}

}  // namespace weft::cloud
