/* weft's mbedTLS configuration for the ESP8266: the NONOS SDK's mbedTLS 2.2.1 sources (third_party/mbedtls),
 * built in the build tree with this file (MBEDTLS_CONFIG_FILE) instead of the SDK's prebuilt
 * lib/libmbedtls.a, which has no MFLN, no ECC and no GCM (board/esp8266/README.md says why).
 *
 * TLS 1.2 client (and server with WEFT_TLS_SERVER, for the lx106 handshake test):
 *   ECDHE-ECDSA and ECDHE-RSA with AES-128/256-GCM or -CBC, RSA key exchange as a fall-back;
 *   curves P-256 and P-384; SHA-1/256/384 (certificate signatures); SNI; MFLN (RFC 6066).
 * Records: both buffers hold WEFT_TLS_RECORD_BYTES of plaintext (CMake option, default 2048), so a
 * connection asks the server for MFLN of that size (mbedtls_compat.hpp). mbedTLS 2.x reassembles no
 * handshake message over several records: the server's certificate chain must fit in one record buffer.
 * Memory from the SDK heap (calloc/free of libmain); entropy from the chip's RNG (mbedtls_hardware_poll,
 * board/esp8266/tls_entropy.cpp). */
#ifndef WEFT_MBEDTLS_CONFIG_H
#define WEFT_MBEDTLS_CONFIG_H

/* For framework/net/tls/mbedtls_compat.hpp: this is the SDK's mbedTLS (no error or verify texts). */
#define WEFT_MBEDTLS_SDK 1

#ifndef WEFT_TLS_RECORD_BYTES
#define WEFT_TLS_RECORD_BYTES 2048
#endif

/* System: no OS entropy, no file system, no calendar (MBEDTLS_HAVE_TIME_DATE is off: the chip has no clock
 * at boot, so certificate dates are not checked; chain and host name are). */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT
/* No error texts (15 KB of flash): mbedtls_strerror gives the code, which tls_failure logs with what failed;
 * certificate failures are named from the verify flags (untrusted, wrong host). */
#define MBEDTLS_ERROR_STRERROR_DUMMY

/* The SDK's sources mark tables ICACHE_RODATA_ATTR (c_types.h, which some include only after this file):
 * plain const data, which the firmware's linker script places in flash. */
#ifndef ICACHE_RODATA_ATTR
#define ICACHE_RODATA_ATTR
#endif

/* Size over speed, as everywhere in the firmware. */
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_MPI_WINDOW_SIZE 1
#define MBEDTLS_MPI_MAX_SIZE 512 /* RSA up to 4096 bits */
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_ECP_MAX_BITS 384
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_SSL_MAX_CONTENT_LEN WEFT_TLS_RECORD_BYTES

/* Ciphers and modes. */
#define MBEDTLS_CIPHER_MODE_CBC
#define MBEDTLS_REMOVE_ARC4_CIPHERSUITES
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_RSA_ENABLED
#define MBEDTLS_PKCS1_V15

/* TLS. */
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_ENCRYPT_THEN_MAC
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES

/* Modules. */
#define MBEDTLS_AES_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_GCM_C
#define MBEDTLS_MD_C
#define MBEDTLS_OID_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_RSA_C
#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_TLS_C
#if defined(WEFT_TLS_SERVER) /* the lx106 handshake test's server side; firmware is a client only */
#define MBEDTLS_SSL_SRV_C
#endif
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C

#include "mbedtls/check_config.h"

#endif /* WEFT_MBEDTLS_CONFIG_H */
