# The NONOS SDK's mbedTLS 2.2.1 sources (<sdk>/third_party/mbedtls/library), compiled in the
# build tree with weft_mbedtls_config.h (MFLN, ECDHE-ECDSA/RSA, AES-GCM/CBC, small record buffers). Nothing of
# the SDK is copied into the repository. Included by board/esp8266/board.cmake (the firmware) and by the lx106
# handshake test (tests/esp8266/target), which runs the same library under QEMU.
#   WEFT_TLS_RECORD_BYTES  plaintext bytes per record buffer (512, 1024, 2048 or 4096; the MFLN asked for)
set(WEFT_TLS_RECORD_BYTES 2048 CACHE STRING "ESP8266 TLS record buffer (and MFLN): 512, 1024, 2048 or 4096")
set_property(CACHE WEFT_TLS_RECORD_BYTES PROPERTY STRINGS 512 1024 2048 4096)
if(NOT WEFT_TLS_RECORD_BYTES MATCHES "^(512|1024|2048|4096)$")
  message(FATAL_ERROR "WEFT_TLS_RECORD_BYTES=${WEFT_TLS_RECORD_BYTES}: give 512, 1024, 2048 or 4096")
endif()

# weft_add_sdk_mbedtls(<target> <sdk dir> [SERVER]): SERVER adds the server side (the handshake test's peer).
function(weft_add_sdk_mbedtls target sdk_dir)
  cmake_parse_arguments(M "SERVER" "" "" ${ARGN})
  if(TARGET ${target})
    return()
  endif()
  set(src ${sdk_dir}/third_party/mbedtls/library)
  set(modules aes asn1parse asn1write base64 bignum cipher cipher_wrap ctr_drbg ecdh ecdsa ecp ecp_curves entropy
              entropy_poll error gcm md md_wrap oid pem pk pk_wrap pkparse rsa sha1 sha256 sha512 ssl_ciphersuites
              ssl_cli ssl_srv ssl_tls x509 x509_crt)
  list(TRANSFORM modules PREPEND ${src}/)
  list(TRANSFORM modules APPEND .c)
  # Espressif commented out the ECDSA signature algorithms in its oid.c (its build has no ECC): certificates
  # signed with ECDSA would not parse. The build tree compiles a copy with those lines restored.
  set(oid ${CMAKE_CURRENT_BINARY_DIR}/${target}/oid.c)
  file(READ ${src}/oid.c text)
  string(REGEX REPLACE "\n//( +[{}]| +MBEDTLS_MD_)" "\n\\1" text "${text}")
  if(NOT text MATCHES "\n +{ ADD_LEN\\( MBEDTLS_OID_ECDSA_SHA256 \\)")
    message(FATAL_ERROR "weft: ${src}/oid.c: no ECDSA signature entries to restore (another SDK version?)")
  endif()
  file(WRITE ${oid}.tmp "${text}")
  file(COPY_FILE ${oid}.tmp ${oid} ONLY_IF_DIFFERENT)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src}/oid.c)
  list(TRANSFORM modules REPLACE "^${src}/oid\\.c$" ${oid})
  add_library(${target} STATIC ${modules})
  target_include_directories(${target} SYSTEM BEFORE PUBLIC ${CMAKE_CURRENT_FUNCTION_LIST_DIR}
                             ${sdk_dir}/third_party/include)
  target_compile_definitions(${target} PUBLIC "MBEDTLS_CONFIG_FILE=\"weft_mbedtls_config.h\""
                             WEFT_TLS_RECORD_BYTES=${WEFT_TLS_RECORD_BYTES})
  # Its sources include the SDK's c_types.h; without ICACHE_FLASH their ICACHE_RODATA_ATTR tables stay in
  # .rodata.*, which esp8266.ld places in flash anyway, one section each (the linker drops the unused).
  target_include_directories(${target} SYSTEM PRIVATE ${sdk_dir}/include)
  if(M_SERVER)
    target_compile_definitions(${target} PUBLIC WEFT_TLS_SERVER)
  endif()
  # Third-party C of 2016: its own warnings are not weft's to fix.
  target_compile_options(${target} PRIVATE -w)
endfunction()
