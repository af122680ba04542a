// mbedTLS' entropy source on the chip (MBEDTLS_ENTROPY_HARDWARE_ALT, mbedtls/weft_mbedtls_config.h): the
// ESP8266's hardware random number generator, read through the SDK's os_get_random. The TLS stream seeds
// one CTR-DRBG from it on first use (framework/net/tls/tls_stream.cpp).
#include <cstddef>

extern "C" {
#include <c_types.h>
#include <osapi.h>
}

extern "C" int mbedtls_hardware_poll(void* /*data*/, unsigned char* output, std::size_t len,
                                     std::size_t* olen) {
  if (os_get_random(output, len) != 0) return -1;  // mbedTLS: this source failed (the seeding reports it)
  *olen = len;
  return 0;
}
