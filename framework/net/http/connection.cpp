#include "connection.hpp"

#include <cstring>

#include "core/log.hpp"
#include "io/resolver.hpp"
#include "response_head.hpp"

namespace weft::net {

Task<Status> Connection::open(const Url& url, Micros timeout, SocketPort& sockets) {
  close();
  if (url.scheme == Scheme::https) {
    // The TLS seam: a TLS session over the TcpStream opens here (a later issue).
    WEFT_LOG_ERROR("http: https:// needs TLS, which weft does not have yet: use an http:// URL");
    co_return Errc::invalid_argument;
  }
  Result<Endpoint> at = co_await wait_for(resolve(url.host, url.port, sockets), timeout);
  if (!at) co_return at.error();
  Result<TcpStream> s = co_await TcpStream::connect(*at, timeout, sockets);
  if (!s) co_return s.error();
  stream_ = std::move(*s);
  scheme_ = url.scheme;
  port_ = url.port;
  if (url.host.size() <= kMaxReuseHost) {
    std::memcpy(host_, url.host.data(), url.host.size());
    host_length_ = static_cast<std::uint8_t>(url.host.size());
  }
  co_return Status{};
}

bool Connection::serves(const Url& url) const {
  return is_open() && host_length_ != 0 && scheme_ == url.scheme && port_ == url.port &&
         equals_ignoring_case(std::string_view(host_, host_length_), url.host);
}

}  // namespace weft::net
