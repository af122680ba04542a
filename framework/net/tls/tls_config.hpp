// TlsConfig and TlsTrust: what a TLS client checks, and against which CAs.
//
//   static weft::net::TlsTrust ca;                    // once: a pinned CA (or a bundle) in PEM
//   if (Status s = ca.add_pem(kMyCaPem); !s) ...       // Errc::invalid_argument, logged with mbedTLS' reason
//   weft::net::TlsConfig tls{.trust = &ca};            // verification is on: CA chain, validity, host name
//
// Verification is on by default. With no `trust`, a hosted build uses the system bundle
// (/etc/ssl/certs/ca-certificates.crt, loaded once on first use); the chip has no system bundle, so a
// connection without `trust` fails with Errc::cert_untrusted and a log line saying to give one.
// `insecure = true` skips every check (chain, dates, host name): it must be spelled out, and each
// connection logs a warning naming the host. Never ship it.
//
// max_fragment (MFLN, RFC 6066): asks the server for records of at most 512/1024/2048/4096 bytes so a small
// device can live with small record buffers. 0: no request on hosted builds (records up to 16 KB); on the chip,
// whose record buffers are fixed at build time (WEFT_TLS_RECORD_BYTES, default 2048), 0 asks for that size and
// a larger value is refused (Errc::invalid_argument). A server may ignore it.
// Lifetime: the TlsTrust must outlive every connection that uses it; keep a TlsConfig alive until the
// connect or handshake that was given it returns.
#pragma once
#include <mbedtls/x509_crt.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace weft::net {

class TlsTrust {
 public:
  TlsTrust();
  ~TlsTrust();
  TlsTrust(const TlsTrust&) = delete;
  TlsTrust& operator=(const TlsTrust&) = delete;

  // Adds the certificates of a PEM text (one CA, or a bundle). Errc::invalid_argument when none parses
  // (logged with the reason); certificates that do parse are kept.
  Status add_pem(std::string_view pem);
  // Adds every certificate of a PEM file (hosted builds). Errc::invalid_argument / io_error, logged.
  Status add_file(const char* path);
  [[nodiscard]] std::size_t size() const { return count_; }

  // The system bundle (hosted builds), loaded on first use; nullptr when there is none.
  [[nodiscard]] static const TlsTrust* system();
  // mbedTLS' chain, for the TLS stream.
  [[nodiscard]] mbedtls_x509_crt* chain() const { return &chain_; }

 private:
  mutable mbedtls_x509_crt chain_;
  std::size_t count_ = 0;
};

struct TlsConfig {
  const TlsTrust* trust = nullptr;  // nullptr: the system bundle (hosted builds)
  bool insecure = false;            // true: no verification at all (logged at each connect)
  std::uint16_t max_fragment = 0;   // MFLN: 0, 512, 1024, 2048 or 4096
  Micros handshake_timeout = Micros{10} * 1000 * 1000;
};

}  // namespace weft::net
