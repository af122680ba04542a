// AppTls: how a demo app verifies its TLS servers (the Blynk server with WEFT_BLYNK_TLS=1, an https://
// webhook). Verification is always on; what it trusts, first found:
//
//   WEFT_TLS_CA    a PEM file: the CA (or a bundle) that signs the servers, e.g. the CA `./weft sim --tls`
//                  makes for the local cloud (and passes on)
//   pinned_ca_pem  the app's pinned CA, PEM text from its config section (the chip has no files)
//   (neither)      the system bundle (/etc/ssl/certs on Linux); the chip has none: give a pinned CA
//
//   const AppTls tls(kPinnedCaPem);      // "" = none pinned; keep it alive while connections use it
//   options.tls = tls.config();          // net::HttpOptions / TlsTransport: nullptr = the system bundle
//
// A CA file or PEM that does not load is logged and trusts nothing (connections fail with cert_untrusted):
// never a silent fall-back to weaker checks. A build without TLS (WEFT_HAS_TLS unset) has nothing to
// configure: config() is nullptr, and https:// or WEFT_BLYNK_TLS=1 fail with a clear error.
#pragma once
#include <cstdlib>
#include <string_view>

#include "core/log.hpp"
#if WEFT_HAS_TLS
#include "net/tls/tls_config.hpp"
#else
namespace weft::net {
struct TlsConfig;
}
#endif

class AppTls {
 public:
  explicit AppTls(std::string_view pinned_ca_pem = {}) {
#if WEFT_HAS_TLS
    const char* file = std::getenv("WEFT_TLS_CA");
    if (file != nullptr && *file != '\0') {
      if (trust_.add_file(file))
        WEFT_LOG_INFO("app: TLS servers are verified against %s (WEFT_TLS_CA)", file);
    } else if (!pinned_ca_pem.empty()) {
      (void)trust_.add_pem(pinned_ca_pem);  // logged when it does not parse
    } else {
      return;  // the system bundle
    }
    config_.trust = &trust_;
    custom_ = true;
#else
    (void)pinned_ca_pem;
#endif
  }
  AppTls(const AppTls&) = delete;
  AppTls& operator=(const AppTls&) = delete;

  // What to verify against: nullptr means the defaults (the system bundle).
  [[nodiscard]] const weft::net::TlsConfig* config() const {
#if WEFT_HAS_TLS
    return custom_ ? &config_ : nullptr;
#else
    return nullptr;
#endif
  }

#if WEFT_HAS_TLS
 private:
  weft::net::TlsTrust trust_;
  weft::net::TlsConfig config_;
  bool custom_ = false;
#endif
};
