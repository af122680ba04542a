// TlsIdentity: what a TLS server shows its clients: its certificate (with the intermediates a client needs)
// and the matching private key, for TlsStream::accept.
//
//   static weft::net::TlsIdentity identity;
//   if (Status s = identity.load_files("server.pem", "server.key"); !s) ...   // the reason is logged
//
// Checked at load: the certificate file must hold a certificate (the first is the server's own), the key
// file an unencrypted private key (PKCS#1, SEC1 or PKCS#8 PEM), and the key must be the certificate's.
// Errors (each logged with the file and what to do): io_error (missing or unreadable file),
// invalid_argument (no certificate, not a key, or a key that does not match), no_memory.
// A failed load leaves the identity empty (ready() false). Lifetime: it must outlive every connection that
// was accepted with it.
#pragma once
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include <string_view>

#include "core/result.hpp"

namespace weft::net {

class TlsIdentity {
 public:
  TlsIdentity();
  ~TlsIdentity();
  TlsIdentity(const TlsIdentity&) = delete;
  TlsIdentity& operator=(const TlsIdentity&) = delete;

  // From PEM texts; `cert_name` / `key_name` name them in log lines.
  Status load_pem(std::string_view cert_pem, std::string_view key_pem,
                  const char* cert_name = "the certificate", const char* key_name = "the key");
  // From PEM files (hosted builds).
  Status load_files(const char* cert_path, const char* key_path);
  [[nodiscard]] bool ready() const { return ready_; }

  // mbedTLS' view, for the TLS stream.
  [[nodiscard]] mbedtls_x509_crt* chain() const { return &chain_; }
  [[nodiscard]] mbedtls_pk_context* key() const { return &key_; }

 private:
  void clear();

  mutable mbedtls_x509_crt chain_{};
  mutable mbedtls_pk_context key_{};
  bool ready_ = false;
};

}  // namespace weft::net
