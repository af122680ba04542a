/* The RAM one TLS connection takes on the ESP8266, from the chip's own mbedTLS build (board/esp8266/mbedtls,
 * compiled for the lx106 with weft's configuration): the sizes of what mbedTLS keeps per connection, as the
 * compiler lays them out for the chip. chip_tls_ram.py reads this table from the object file and writes
 * bench/tls/results/chip_ram.md. */
#include "mbedtls/gcm.h"
#include "mbedtls/ssl.h"
#include "mbedtls/ssl_internal.h"
#include "mbedtls/x509_crt.h"

/* Order: chip_tls_ram.py's FIELDS. */
const unsigned weft_chip_tls_ram[] __attribute__((used, section(".rodata.weft_chip_tls_ram"))) = {
    0x7765667Cu, /* "|few": the table's mark */
    MBEDTLS_SSL_MAX_CONTENT_LEN,
    MBEDTLS_SSL_BUFFER_LEN,
    sizeof(mbedtls_ssl_context),
    sizeof(mbedtls_ssl_config),
    sizeof(mbedtls_ssl_session),
    sizeof(mbedtls_ssl_transform),
    sizeof(mbedtls_gcm_context),
    sizeof(mbedtls_ssl_handshake_params),
    sizeof(mbedtls_x509_crt),
};
