// Where the two mbedTLS builds weft meets differ, in one place:
//   hosted (Debian libmbedtls-dev)  2.28: mbedtls_ssl_get_output_max_frag_len, 16 KB IN/OUT_CONTENT_LEN,
//                                   entropy from the OS (/dev/urandom or getrandom)
//   chip (NONOS SDK third_party)    2.2.1 with config_esp.h: mbedtls_ssl_get_max_frag_len; one record
//                                   size for both buffers set at run time (MBEDTLS_SSL_MAX_CONTENT_LEN is
//                                   the global `max_content_len`); built WITHOUT MFLN (so
//                                   mbedtls_ssl_conf_max_frag_len is absent: TlsConfig::max_fragment must
//                                   be 0 there), ECC (no ECDHE, no ECDSA) or GCM: RSA / DHE-RSA key exchange
//                                   with AES-CBC only; entropy from esp_hardware.o (mbedtls_hardware_poll)
// Everything else weft calls (ssl_setup/handshake/read/write, conf_authmode/ca_chain/rng/max_frag_len,
// x509_crt_parse, crt_verify_info, strerror, ctr_drbg) has the same signature in both.
#pragma once
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>

#include <cstddef>

namespace weft::net::detail {

inline std::size_t tls_output_record_limit(const mbedtls_ssl_context& ssl) {
#if MBEDTLS_VERSION_NUMBER >= 0x02150000  // 2.21 split the limit per direction
  return mbedtls_ssl_get_output_max_frag_len(&ssl);
#else
  return mbedtls_ssl_get_max_frag_len(&ssl);
#endif
}

// mbedTLS' code for "max fragment length `bytes`", or MBEDTLS_SSL_MAX_FRAG_LEN_NONE for 0; -1 if invalid.
inline int tls_mfl_code(unsigned bytes) {
  switch (bytes) {
    case 0:
      return MBEDTLS_SSL_MAX_FRAG_LEN_NONE;
    case 512:
      return MBEDTLS_SSL_MAX_FRAG_LEN_512;
    case 1024:
      return MBEDTLS_SSL_MAX_FRAG_LEN_1024;
    case 2048:
      return MBEDTLS_SSL_MAX_FRAG_LEN_2048;
    case 4096:
      return MBEDTLS_SSL_MAX_FRAG_LEN_4096;
    default:
      return -1;
  }
}

}  // namespace weft::net::detail
