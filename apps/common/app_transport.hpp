// AppTransport: the Blynk session's transport for a demo app: plain TCP, or TLS when WEFT_BLYNK_TLS=1 (or
// the app's config section asks for it), verified per AppTls (app_tls.hpp: WEFT_TLS_CA, a pinned CA, or the
// system bundle). Point WEFT_BLYNK_SERVER at the server's TLS port (blynk.cloud:443, weft-cloud's
// --tls-port) with the name its certificate carries (localhost for `./weft sim --tls`).
//
//   const AppConfig cfg = app_config(kToken, kServer);
//   AppTransport transport(want_tls(false));   // the section's choice; WEFT_BLYNK_TLS overrides it
//   weft::blynk::Blynk blynk(blynk_config(cfg), transport);    // blynk_config.hpp
//
// In a build without TLS (WEFT_HAS_TLS unset) a TLS request makes every open() fail with
// Errc::invalid_argument and a log line: the session never falls back to plain text.
#pragma once
#include <cstdlib>
#include <string_view>

#include "app_tls.hpp"
#include "blynk/tcp_transport.hpp"
#include "core/log.hpp"
#if WEFT_HAS_TLS
#include "blynk/tls_transport.hpp"
#endif

// The section's `tls` unless WEFT_BLYNK_TLS says otherwise (1 / 0): the environment's (Linux), else the
// build's (cmake -DWEFT_BLYNK_TLS=1, how firmware gets it).
inline bool want_tls(bool section_default) {
  const char* v = std::getenv("WEFT_BLYNK_TLS");
#ifdef WEFT_BLYNK_TLS
  if (v == nullptr || *v == '\0') v = WEFT_BLYNK_TLS;
#endif
  if (v == nullptr || *v == '\0') return section_default;
  return std::string_view(v) != "0";
}

class AppTransport final : public weft::blynk::Transport {
 public:
  explicit AppTransport(bool tls, std::string_view pinned_ca_pem = {})
      : tls_wanted_(tls),
        verify_(pinned_ca_pem)
#if WEFT_HAS_TLS
        ,
        tls_(verify_.config() != nullptr ? *verify_.config() : weft::net::TlsConfig{})
#endif
  {
  }

  [[nodiscard]] weft::Task<weft::Status> open(std::string_view host, std::uint16_t port,
                                              weft::Micros timeout) override {
#if WEFT_HAS_TLS
    if (tls_wanted_) return tls_.open(host, port, timeout);
#else
    if (tls_wanted_) return refuse();
#endif
    return tcp_.open(host, port, timeout);
  }
  [[nodiscard]] ReadOp read_some(std::span<char> into) override {
#if WEFT_HAS_TLS
    if (tls_wanted_) return tls_.read_some(into);
#endif
    return tcp_.read_some(into);
  }
  [[nodiscard]] WriteOp write_all(std::string_view data, weft::Micros timeout) override {
#if WEFT_HAS_TLS
    if (tls_wanted_) return tls_.write_all(data, timeout);
#endif
    return tcp_.write_all(data, timeout);
  }
  void close() override {
#if WEFT_HAS_TLS
    tls_.close();
#endif
    tcp_.close();
  }
  [[nodiscard]] bool is_open() const override {
#if WEFT_HAS_TLS
    if (tls_wanted_) return tls_.is_open();
#endif
    return tcp_.is_open();
  }
  [[nodiscard]] bool tls() const {
    return tls_wanted_;
  }

 private:
#if !WEFT_HAS_TLS
  static weft::Task<weft::Status> refuse() {
    WEFT_LOG_ERROR("app: TLS was asked for (WEFT_BLYNK_TLS) but this build has no TLS: not connecting");
    co_return weft::Errc::invalid_argument;
  }
#endif

  bool tls_wanted_;
  AppTls verify_;
  weft::blynk::TcpTransport tcp_;
#if WEFT_HAS_TLS
  weft::blynk::TlsTransport tls_;
#endif
};
