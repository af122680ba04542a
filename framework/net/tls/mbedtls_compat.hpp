// Where the two mbedTLS builds weft meets differ, in one place:
//   hosted (Debian libmbedtls-dev)  2.28: mbedtls_ssl_get_output_max_frag_len, 16 KB IN/OUT_CONTENT_LEN,
//                                   entropy from the OS (/dev/urandom or getrandom)
//   chip (NONOS SDK third_party)    2.2.1 built from the SDK's sources with weft_mbedtls_config.h
//                                   (board/esp8266/mbedtls; the SDK's prebuilt lib/libmbedtls.a, with
//                                   config_esp.h, has no MFLN, ECC or GCM and is not used):
//                                   mbedtls_ssl_get_max_frag_len; one record size for both buffers,
//                                   WEFT_TLS_RECORD_BYTES (default 2048), so a client that asks for no
//                                   MFLN asks for that size; no mbedtls_platform_zeroize; no calendar
//                                   (certificate dates are not checked); entropy from the chip's RNG
//                                   (mbedtls_hardware_poll, board/esp8266/tls_entropy.cpp)
// Everything else weft calls (ssl_setup/handshake/read/write, conf_authmode/ca_chain/rng/max_frag_len,
// x509_crt_parse, crt_verify_info, strerror, ctr_drbg) has the same signature in both.
#pragma once
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#if MBEDTLS_VERSION_NUMBER >= 0x020D0000  // 2.13
#include <mbedtls/platform_util.h>
#endif

namespace weft::net::detail {

// The record buffers' plaintext size when the build fixes it below 16 KB (the chip), else 0.
#if defined(WEFT_TLS_RECORD_BYTES)
inline constexpr unsigned kTlsRecordBytes = WEFT_TLS_RECORD_BYTES;
#else
inline constexpr unsigned kTlsRecordBytes = 0;
#endif

// Wipes a secret (a key's PEM text) so that the compiler cannot drop the stores.
inline void tls_zeroize(void* at, std::size_t n) {
#if MBEDTLS_VERSION_NUMBER >= 0x020D0000
  mbedtls_platform_zeroize(at, n);
#else
  auto* p = static_cast<volatile unsigned char*>(at);
  while (n-- > 0)
    *p++ = 0;
#endif
}

inline std::size_t tls_output_record_limit(const mbedtls_ssl_context& ssl) {
#if MBEDTLS_VERSION_NUMBER >= 0x02150000  // 2.21 split the limit per direction
  return mbedtls_ssl_get_output_max_frag_len(&ssl);
#else
  return mbedtls_ssl_get_max_frag_len(&ssl);
#endif
}

// What to do about an mbedTLS error that a build's limits explain, or "" (mbedTLS' own text says the rest).
inline const char* tls_error_hint(int e) {
  if (kTlsRecordBytes != 0 && (e == MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE ||
                               e == MBEDTLS_ERR_SSL_INVALID_RECORD || e == MBEDTLS_ERR_SSL_BAD_INPUT_DATA)) {
    return "; a record or handshake message larger than this build's record buffers (the server ignored MFLN "
           "or sends a long certificate chain): build with a larger WEFT_TLS_RECORD_BYTES";
  }
  return "";
}

// What certificate verification `flags` mean, into `buf`. The SDK's mbedTLS has its texts emptied by
// Espressif (every flag reads "Unknown reason"): there, the flags in hex (MBEDTLS_X509_BADCERT_*).
inline int tls_verify_text(char* buf, std::size_t size, std::uint32_t flags) {
#if defined(WEFT_MBEDTLS_SDK)
  return std::snprintf(buf, size, "verify flags 0x%05x", static_cast<unsigned>(flags));
#else
  return mbedtls_x509_crt_verify_info(buf, size, "", flags);
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
