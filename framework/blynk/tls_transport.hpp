// TlsTransport: the session's Transport over TLS (framework/net/tls): resolve + connect within the session's
// connect timeout, then a verified TLS handshake (TlsConfig::handshake_timeout), then TlsStream reads and
// writes. Ports, as the Blynk libraries use them: Blynk IoT serves TLS on blynk.cloud:443; a legacy local
// server on 9443 (8441 on old versions); weft-cloud on its --tls-port.
//
//   static weft::net::TlsTrust ca;                       // the server's CA (pinned), or the system bundle
//   weft::blynk::TlsTransport tls({.trust = &ca});
//   weft::blynk::Blynk blynk({.token = "...", .port = 443}, tls);
//
// Verification is on by default (tls_config.hpp): a certificate the trust does not cover, an expired one or
// one for another host ends the attempt (the session retries with its backoff) with a log line naming the
// reason. Cancel-safety is TlsStream's. Reads and writes are TlsStream's coroutines (a frame each: mbedTLS
// asks for its bytes in steps); a write's timeout is TlsStream's deadline for the whole write. Lives in
// weft_blynk_tls, so a plain-TCP device links no mbedTLS.
// The overrides are inline on purpose (see tcp_transport.hpp).
#pragma once
#include "io/socket_port.hpp"
#include "net/tls/tls_stream.hpp"
#include "transport.hpp"

namespace weft::blynk {

class TlsTransport final : public Transport {
 public:
  // `config` is copied; its TlsTrust must outlive the transport.
  explicit TlsTransport(const net::TlsConfig& config = {}, SocketPort& port = default_socket_port())
      : config_(config), port_(&port) {}
  ~TlsTransport() = default;

  [[nodiscard]] Task<Status> open(std::string_view host, std::uint16_t port, Micros timeout) override {
    return tls_.connect(host, port, timeout, config_, *port_);
  }
  [[nodiscard]] ReadOp read_some(std::span<char> into) override { return tls_.read_some(into); }
  [[nodiscard]] WriteOp write_all(std::string_view data, Micros timeout) override {
    return tls_.write_all(data, timeout);
  }
  void close() override { tls_.close(); }
  [[nodiscard]] bool is_open() const override { return tls_.is_open(); }

 private:
  net::TlsConfig config_;
  SocketPort* port_;
  net::TlsStream tls_;
};

}  // namespace weft::blynk
