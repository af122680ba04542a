#include <mbedtls/error.h>
#include <cstdlib>

#include <cstring>

#include "core/log.hpp"
#include "pem_file.hpp"
#include "tls_config.hpp"

namespace weft::net {
namespace {

constexpr char kPemBegin[] = "-----BEGIN CERTIFICATE-----";
constexpr char kPemEnd[] = "-----END CERTIFICATE-----";

}  // namespace

TlsTrust::TlsTrust() {
  mbedtls_x509_crt_init(&chain_);
}

TlsTrust::~TlsTrust() {
  mbedtls_x509_crt_free(&chain_);
}

// Certificate by certificate (mbedTLS' PEM parser wants a NUL-terminated text, which a view is not), so a
// bad entry in a bundle costs only itself.
Status TlsTrust::add_pem(std::string_view pem) {
  std::size_t added = 0;
  std::size_t bad = 0;
  int last_error = 0;
  for (std::size_t at = pem.find(kPemBegin); at != std::string_view::npos; at = pem.find(kPemBegin, at)) {
    const std::size_t end = pem.find(kPemEnd, at);
    if (end == std::string_view::npos) break;
    const std::size_t length = end + sizeof kPemEnd - 1 - at;
    auto* text = static_cast<unsigned char*>(std::calloc(1, length + 1));
    if (text == nullptr) return Errc::no_memory;
    std::memcpy(text, pem.data() + at, length);
    text[length] = '\0';
    const int r = mbedtls_x509_crt_parse(&chain_, text, length + 1);
    std::free(text);
    if (r == 0) {
      ++added;
    } else {
      ++bad;
      last_error = r;
    }
    at += length;
  }
  count_ += added;
  if (bad > 0) {
    char why[96];
    mbedtls_strerror(last_error, why, sizeof why);
    WEFT_LOG_WARN("tls: %zu of %zu CA certificates did not parse: %s", bad, bad + added, why);
  }
  if (added == 0) {
    WEFT_LOG_ERROR("tls: no CA certificate in the PEM text (expected %s ... %s)", kPemBegin, kPemEnd);
    return Errc::invalid_argument;
  }
  return {};
}

Status TlsTrust::add_file(const char* path) {
  detail::PemFile file;
  if (Status r = file.read(path, "the CA file"); !r) return r;
  Status s = add_pem(file.text());
  if (!s) WEFT_LOG_ERROR("tls: the CA file %s holds no usable certificate", path);
  return s;
}

const TlsTrust* TlsTrust::system() {
#if defined(__linux__)
  static TlsTrust bundle;
  static bool loaded = false;
  if (!loaded) {
    loaded = true;
    (void)bundle.add_file("/etc/ssl/certs/ca-certificates.crt");
  }
  return &bundle;
#else
  return nullptr;
#endif
}

}  // namespace weft::net
