// HttpClient: an HTTP/1.1 client whose requests are awaitables (MicroPython's urequests, never blocking).
//
//   char buffer[1024];                                   // request head, response head, body: no heap
//   weft::net::HttpClient http(buffer);
//   char json[64];
//   weft::net::JsonWriter body(json);
//   body.begin_object().member("value1", "micropython1").end_object();
//   weft::Result<weft::net::HttpResponse> r = co_await http.post(url, *body.finish(), "application/json");
//   if (!r) log("%s", weft::to_string(r.error()));       // name_not_found, refused, timed_out, ...
//   else if (r->status() >= 400) log("HTTP %d", r->status());
//   weft::Result<std::string_view> text = co_await r->body();   // the whole body, or Errc::too_large
//
// Memory. Everything lives in the buffer you give (plus the task frames, from the frame arena): the request
// head is formatted there, the response head is read there and stays there (header() views point into it),
// and body() reads the body right after it. A head longer than the buffer is Errc::too_large. For a large
// body, stream it with read() into your own buffer: RAM use does not grow with the body.
//
// A request, step by step, each step bounded by a timeout (HttpOptions),
//   parse the URL                       Errc::invalid_argument (logged with the reason)
//   resolve the host, connect           name_not_found, refused, unreachable, timed_out (connect_timeout)
//   send the head, then the body        reset, timed_out (read_timeout: the server does not take the bytes)
// and the whole of it (body reads included) by request_timeout: a step past it is timed_out.
//   read the head (1xx ones skipped)    timed_out (read_timeout per wait), closed (the server closed the
//                                       connection before the head was complete), protocol_error (not
//                                       HTTP/1.x, malformed; logged), too_large (longer than the buffer)
//   follow a redirect                   301/302/303/307/308 with a Location, up to max_redirects; 303 (and
//                                       301/302 after a POST) continue as GET without a body, as browsers
//                                       do; more than max_redirects is protocol_error (logged). The caller's
//                                       headers are sent to the new location too (even another host): set
//                                       max_redirects = 0 to see each 3xx yourself when they carry secrets.
// send() returns once the head is in; the status code is the caller's to judge (4xx and 5xx are responses).
// The body is then read with read() or body():
//   framing     Content-Length, chunked, or until the server closes (HEAD, 1xx, 204, 304: none)
//   errors      timed_out, protocol_error (broken chunk framing), closed (the connection ended before the
//               body did), too_large (more than max_body bytes; body(): more than the buffer holds)
// Any error, timeout or cancellation while a request or body read is under way closes the connection: the
// response cannot be continued (its reads then give Errc::closed).
//
// One request at a time: a second send() (or a body read) while one is under way gets Errc::busy. A new
// send() ends the previous response: its unread body is dropped (the connection closed, unless it was
// complete and keep-alive allows reuse) and its reads give Errc::closed. The client must outlive its
// responses and tasks. Keep-alive (off by default): the connection stays open after a complete response
// and the next request to the same origin reuses it; a request on a reused connection that the server had
// closed meanwhile is retried once on a new one.
// https:// runs over TLS (framework/net/tls), verified by default (HttpOptions::tls; errors cert_untrusted,
// cert_expired, cert_wrong_host, tls_error, logged with the reason). Redirects to https:// follow the same.
// Cost: no allocation (task frames come from the frame arena); O(bytes) per request; one socket at a time.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "body_decoder.hpp"
#include "connection.hpp"
#include "core/task.hpp"
#include "core/time.hpp"
#include "io/socket_port.hpp"
#include "request_head.hpp"
#include "response_head.hpp"

namespace weft::net {

struct HttpOptions {
  Micros connect_timeout = Micros{10} * 1000 * 1000;  // the name lookup, then the TCP connect: each
  Micros read_timeout = Micros{10} * 1000 * 1000;     // each wait on the server (sending or receiving)
  // The whole request, from send() to the body's last byte (redirects, retries included): a server that
  // trickles a byte per read_timeout cannot keep the caller (and a battery device) awake. 0: no limit.
  Micros request_timeout = Micros{60} * 1000 * 1000;
  std::uint64_t max_body = 64 * 1024;  // body bytes a response may carry (read() and body())
  unsigned max_redirects = 3;          // 0: 3xx responses are returned as they are
  bool keep_alive = false;             // keep the connection for the next request
  const TlsConfig* tls = nullptr;  // https://: how servers are verified (nullptr: the system bundle)
};

// What to send. The views must stay valid until send() returns.
struct HttpRequest {
  Method method = Method::get;
  std::string_view url;
  std::string_view body;
  std::string_view content_type;  // sent as Content-Type when not empty
  std::span<const Header> headers;
};

class HttpClient;

// A response whose head has arrived. A small handle: copy it freely; it is valid until the client's next
// send() (after which read()/body() give Errc::closed and header() views may show the new response's bytes).
class HttpResponse {
 public:
  [[nodiscard]] int status() const { return head_.status; }
  [[nodiscard]] std::string_view reason() const { return head_.reason; }
  [[nodiscard]] int version_minor() const { return head_.version_minor; }
  // The first header called `name` (any case), trimmed; nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return head_.header(name);
  }
  [[nodiscard]] Headers headers() const { return Headers(head_.fields); }
  [[nodiscard]] const ResponseHead& head() const { return head_; }

  // Streams the body: the next body bytes into `into` (at least one), or 0 at the end of the body.
  // Errc::invalid_argument for an empty `into`; the errors listed above.
  [[nodiscard]] Task<Result<std::size_t>> read(std::span<char> into);
  // The rest of the body, read into the client's buffer right after the head; valid until the next send().
  // Errc::too_large (at once when Content-Length says so) if it exceeds max_body or the buffer's room.
  [[nodiscard]] Task<Result<std::string_view>> body();

 private:
  friend class HttpClient;
  HttpResponse(HttpClient& client, std::uint32_t generation, const ResponseHead& head)
      : client_(&client), generation_(generation), head_(head) {}
  HttpClient* client_;
  std::uint32_t generation_;
  ResponseHead head_;
};

class HttpClient {
 public:
  explicit HttpClient(std::span<char> buffer, HttpOptions options = {},
                      SocketPort& sockets = default_socket_port())
      : buf_(buffer), options_(options), sockets_(&sockets) {}
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  [[nodiscard]] Task<Result<HttpResponse>> send(HttpRequest request);

  [[nodiscard]] Task<Result<HttpResponse>> get(std::string_view url, std::span<const Header> headers = {}) {
    return send({Method::get, url, {}, {}, headers});
  }
  [[nodiscard]] Task<Result<HttpResponse>> head(std::string_view url, std::span<const Header> headers = {}) {
    return send({Method::head, url, {}, {}, headers});
  }
  [[nodiscard]] Task<Result<HttpResponse>> post(std::string_view url, std::string_view body,
                                                std::string_view content_type = "application/json",
                                                std::span<const Header> headers = {}) {
    return send({Method::post, url, body, content_type, headers});
  }
  [[nodiscard]] Task<Result<HttpResponse>> put(std::string_view url, std::string_view body,
                                               std::string_view content_type = "application/json",
                                               std::span<const Header> headers = {}) {
    return send({Method::put, url, body, content_type, headers});
  }
  [[nodiscard]] Task<Result<HttpResponse>> del(std::string_view url, std::span<const Header> headers = {}) {
    return send({Method::delete_, url, {}, {}, headers});
  }

  // Closes the connection (a kept-alive one, or one a response is still being read from).
  void close() { conn_.close(); }
  [[nodiscard]] HttpOptions& options() { return options_; }
  [[nodiscard]] bool connected() const { return conn_.is_open(); }

 private:
  friend class HttpResponse;
  class Busy;

  Task<Status> exchange(const Url& url, Method method, std::span<char> work, std::size_t head_size,
                        std::string_view body);
  Task<Status> read_head(std::span<char> work, bool head_request, std::size_t& received);
  Task<Result<std::size_t>> read_body(std::uint32_t generation, std::span<char> into);
  Task<Result<std::string_view>> read_all(std::uint32_t generation);
  [[nodiscard]] Errc check_body_read(std::uint32_t generation, std::span<char> into) const;
  // The body is complete: keep the connection only when it can carry another request.
  void body_complete();
  Errc body_failed(Errc e, const char* what);
  // A wait of at most `step`, cut to what is left of request_timeout.
  [[nodiscard]] Micros limit(Micros step) const;

  std::span<char> buf_;
  HttpOptions options_;
  SocketPort* sockets_;
  Connection conn_;
  ResponseHead head_;
  BodyDecoder body_;
  std::size_t head_length_ = 0;    // buf_[0, head_length_): the response head
  std::size_t pending_begin_ = 0;  // buf_[pending_begin_, pending_end_): body bytes decoded, not yet read
  std::size_t pending_end_ = 0;
  Micros deadline_ = 0;           // send() + request_timeout
  std::uint32_t generation_ = 0;  // counts send()s: a response handle from an older one is stale
  bool busy_ = false;
  bool reusable_ = false;  // the connection may carry the next request once the body is complete
};

}  // namespace weft::net
