// Connection: the byte stream under HttpClient. http:// is a plain TcpStream; https:// is a TlsStream
// (framework/net/tls) verified per HttpOptions::tls: nothing above this class knows which one it talks to.
//
// open() resolves the URL's host (DNS, or a numeric address at once) and connects; each step gets `timeout`
// (https: then the handshake, within TlsConfig::handshake_timeout). Errors: name_not_found, timed_out,
// refused, unreachable, reset, io_error, cancelled; https: cert_untrusted, cert_expired, cert_wrong_host,
// tls_error (logged); invalid_argument for https:// in a build without TLS. Cancel-safe: a cancelled open
// leaves the connection closed. read_some / write_all have TcpStream's cancel-safety (a TLS write cancelled
// part-way closes the connection: HttpClient closes it on any error) and a timeout: Errc::timed_out.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/task.hpp"
#include "core/wait_for.hpp"
#include "io/socket_port.hpp"
#include "io/tcp_stream.hpp"
#include "url.hpp"
#if WEFT_HAS_TLS
#include "net/tls/tls_stream.hpp"
#endif

namespace weft::net {

struct TlsConfig;  // net/tls/tls_config.hpp

// An awaited Task<IoResult> as an IoResult (a task that could not start: its error, nothing moved).
[[nodiscard]] inline IoResult flatten(const Result<IoResult>& r) {
  return r ? *r : IoResult{0, r.error()};
}

class Connection {
 public:
  // Longest host name remembered for reuse (keep-alive); a connection to a longer one is never reused.
  static constexpr std::size_t kMaxReuseHost = 64;

  // `tls`: how an https:// server is verified (copied; its TlsTrust must outlive the connection).
  [[nodiscard]] Task<Status> open(const Url& url, Micros timeout, SocketPort& sockets, const TlsConfig* tls);
  [[nodiscard]] Task<IoResult> read_some(std::span<char> into, Micros timeout);
  [[nodiscard]] Task<IoResult> write_all(std::string_view data, Micros timeout);
  void close() {
    stream_.close();
#if WEFT_HAS_TLS
    tls_.close();
#endif
    host_length_ = 0;
  }
  [[nodiscard]] bool is_open() const;
  // Open, and to the origin (scheme, host, port) of `url`: it can carry a request for it.
  [[nodiscard]] bool serves(const Url& url) const;

 private:
  template <class Start>
  Task<IoResult> transfer(Start start, Micros timeout);

  TcpStream stream_;
#if WEFT_HAS_TLS
  TlsStream tls_;
#endif
  Scheme scheme_ = Scheme::http;
  std::uint16_t port_ = 0;
  std::uint8_t host_length_ = 0;  // 0: not reusable
  char host_[kMaxReuseHost] = {};
};

}  // namespace weft::net
