#include "connection.hpp"

#include <cstring>

#include "core/log.hpp"
#include "io/resolver.hpp"
#include "response_head.hpp"

namespace weft::net {

Task<Status> Connection::open(const Url& url, Micros timeout, SocketPort& sockets, const TlsConfig* tls) {
  close();
  Result<Endpoint> at = co_await wait_for(resolve(url.host, url.port, sockets), timeout);
  if (!at) co_return at.error();
  Result<TcpStream> s = co_await TcpStream::connect(*at, timeout, sockets);
  if (!s) co_return s.error();
  if (url.scheme == Scheme::https) {
#if WEFT_HAS_TLS
    static const TlsConfig kVerified{};
    Status h = co_await tls_.handshake(std::move(*s), url.host, tls != nullptr ? *tls : kVerified);
    if (!h) co_return h;
#else
    (void)tls;
    WEFT_LOG_ERROR("http: https:// needs TLS, which this build lacks (no mbedTLS): use an http:// URL");
    co_return Errc::invalid_argument;
#endif
  } else {
    stream_ = std::move(*s);
  }
  scheme_ = url.scheme;
  port_ = url.port;
  if (url.host.size() <= kMaxReuseHost) {
    std::memcpy(host_, url.host.data(), url.host.size());
    host_length_ = static_cast<std::uint8_t>(url.host.size());
  }
  co_return Status{};
}

bool Connection::is_open() const {
#if WEFT_HAS_TLS
  if (tls_.is_open()) return true;
#endif
  return stream_.is_open();
}

// One read or write on the stream open() chose: `start(tls_, timeout)` on TLS (its own timeout), else
// `start(stream_)` under wait_for. One coroutine frame, as when each call had its own body.
template <class Start>
Task<IoResult> Connection::transfer(Start start, Micros timeout) {
#if WEFT_HAS_TLS
  if (scheme_ == Scheme::https) {
    Result<IoResult> r = co_await start(tls_, timeout);
    co_return flatten(r);
  }
#endif
  IoResult r = co_await wait_for(start(stream_), timeout);
  co_return r;
}

Task<IoResult> Connection::read_some(std::span<char> into, Micros timeout) {
  return transfer([into](auto& s, auto... tls_timeout) { return s.read_some(into, tls_timeout...); },
                  timeout);
}

Task<IoResult> Connection::write_all(std::string_view data, Micros timeout) {
  return transfer([data](auto& s, auto... tls_timeout) { return s.write_all(data, tls_timeout...); },
                  timeout);
}

bool Connection::serves(const Url& url) const {
  return is_open() && host_length_ != 0 && scheme_ == url.scheme && port_ == url.port &&
         equals_ignoring_case(std::string_view(host_, host_length_), url.host);
}

}  // namespace weft::net
