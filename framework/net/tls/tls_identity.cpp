#include "tls_identity.hpp"

#include <mbedtls/error.h>
#include <cstdlib>
#include "mbedtls_compat.hpp"

#include <cstdio>
#include <cstring>

#include "core/log.hpp"
#include "pem_file.hpp"

namespace weft::net {
namespace {

const char* reason(int e, char (&text)[96]) {
  mbedtls_strerror(e, text, sizeof text);
  return text;
}

// mbedTLS' parsers take a PEM text with its NUL counted; a view has none.
struct Terminated {
  explicit Terminated(std::string_view s) : size(s.size() + 1) {
    text = static_cast<unsigned char*>(std::calloc(1, size));
    if (text != nullptr) std::memcpy(text, s.data(), s.size());
  }
  ~Terminated() {
    if (text != nullptr) detail::tls_zeroize(text, size);  // it may be a private key
    std::free(text);
  }
  Terminated(const Terminated&) = delete;
  Terminated& operator=(const Terminated&) = delete;
  unsigned char* text;
  std::size_t size;
};

}  // namespace

TlsIdentity::TlsIdentity() {
  mbedtls_x509_crt_init(&chain_);
  mbedtls_pk_init(&key_);
}

TlsIdentity::~TlsIdentity() {
  mbedtls_x509_crt_free(&chain_);
  mbedtls_pk_free(&key_);
}

void TlsIdentity::clear() {
  ready_ = false;
  mbedtls_x509_crt_free(&chain_);
  mbedtls_pk_free(&key_);
  mbedtls_x509_crt_init(&chain_);
  mbedtls_pk_init(&key_);
}

Status TlsIdentity::load_pem(std::string_view cert_pem, std::string_view key_pem, const char* cert_name,
                             const char* key_name) {
  clear();
  Terminated cert(cert_pem);
  Terminated key(key_pem);
  if (cert.text == nullptr || key.text == nullptr) return Errc::no_memory;
  char why[96];
  int r = mbedtls_x509_crt_parse(&chain_, cert.text, cert.size);
  if (r != 0 || chain_.version == 0) {  // > 0: some of a chain did not parse; the first must
    if (r > 0) std::snprintf(why, sizeof why, "%d of its certificates did not parse", r);
    WEFT_LOG_ERROR("tls: %s holds no usable PEM certificate (-----BEGIN CERTIFICATE-----): %s", cert_name,
                   r < 0 ? reason(r, why) : why);
    clear();
    return Errc::invalid_argument;
  }
  r = mbedtls_pk_parse_key(&key_, key.text, key.size, nullptr, 0);
  if (r != 0) {
    WEFT_LOG_ERROR("tls: %s is not an unencrypted PEM private key: %s", key_name, reason(r, why));
    clear();
    return Errc::invalid_argument;
  }
  r = mbedtls_pk_check_pair(&chain_.pk, &key_);
  if (r != 0) {
    WEFT_LOG_ERROR(
        "tls: %s is not the key of %s (they do not match: give the key the certificate was made for)",
        key_name, cert_name);
    clear();
    return Errc::invalid_argument;
  }
  ready_ = true;
  return {};
}

Status TlsIdentity::load_files(const char* cert_path, const char* key_path) {
  clear();
  detail::PemFile cert;
  detail::PemFile key;
  if (Status s = cert.read(cert_path, "the certificate file"); !s) return s;
  if (Status s = key.read(key_path, "the key file"); !s) return s;
  return load_pem(cert.text(), key.text(), cert_path, key_path);
}

}  // namespace weft::net
