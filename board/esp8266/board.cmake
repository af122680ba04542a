# Defaults the esp8266 board gives the framework before it is configured (included by the top-level
# CMakeLists.txt). The frame arena: 6 KiB, so that with the SDK's Wi-Fi and one TCP connection up the SDK
# heap keeps >= 24 KB (the size report of every image shows the estimate: bench/target/firmware_sizes.py).
set(WEFT_BOARD_DEFAULT_ARENA_BYTES 6144)
# WEFT_IRAM (framework/core/iram.hpp) puts hot code and interrupt handlers in IRAM (esp8266.ld maps
# .iram.text.*). One core, no threads: no thread_local.
add_compile_definitions(WEFT_IRAM_SECTIONS=1 WEFT_THREAD_LOCAL=)

# The NONOS SDK (never copied into the repository): WEFT_NONOS_SDK, its environment variable, or ../shared/sdk.
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/WeftNonosSdk.cmake)
weft_find_nonos_sdk(WEFT_NONOS_SDK_DIR)
if(NOT WEFT_NONOS_SDK_DIR)
  message(FATAL_ERROR "board esp8266: no ESP8266 NONOS SDK found: ${WEFT_NONOS_SDK_HINT}")
endif()
message(STATUS "esp8266: NONOS SDK at ${WEFT_NONOS_SDK_DIR}")

# Last on every link line, after every weft library whatever CMake's ordering: the SDK's libraries, its
# libgcc.a (built with -mlongcalls, without what the ROM has) and the C library in flash (CMakeLists.txt).
set(WEFT_ESP8266_LIBC_DIR ${CMAKE_BINARY_DIR}/esp8266-libc)
set(_weft_sdk_libs "")
foreach(lib hal phy pp net80211 lwip wpa crypto main driver gcc)
  string(APPEND _weft_sdk_libs " ${WEFT_NONOS_SDK_DIR}/lib/lib${lib}.a")
endforeach()
set(CMAKE_CXX_STANDARD_LIBRARIES
    "-Wl,--start-group${_weft_sdk_libs} ${WEFT_ESP8266_LIBC_DIR}/libc_flash.a ${CMAKE_BINARY_DIR}/board/esp8266/libweft_esp8266_far_calls.a -Wl,--end-group")

# TLS: mbedTLS from the SDK's sources with weft's configuration (mbedtls/mbedtls.cmake, README.md: why not the
# SDK's prebuilt libmbedtls.a); framework/net/tls links it.
include(${CMAKE_CURRENT_LIST_DIR}/mbedtls/mbedtls.cmake)
weft_add_sdk_mbedtls(weft_sdk_mbedtls ${WEFT_NONOS_SDK_DIR})
