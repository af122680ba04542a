# Warnings are errors everywhere; the framework core also builds without exceptions and RTTI, as on the chip.
add_library(weft_warnings INTERFACE)
target_compile_options(weft_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion -Wno-sign-conversion
  $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>
  # GCC 12 at -O3 (Release: the release preset) reports `"text" + std::string` as a memcpy of 2^63 bytes that may
  # overlap (GCC bug 105329, fixed in 13): a false positive in libstdc++'s inlined code, so it warns only.
  $<$<AND:$<CONFIG:Release>,$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-error=restrict>)

add_library(weft_embedded_flags INTERFACE)
target_compile_options(weft_embedded_flags INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti>)
# lx106 (ESP8266) builds: no jump tables. A switch's table (a coroutine body's resume switch has one) is .rodata:
# DRAM under the SDK's own linker script and board/lx106_qemu's, flash under board/esp8266's; as compare trees
# the switches take less flash as well (blynk_gpio's firmware: 420 B; the reference app: 84 B of flash and 144 B
# of DRAM), and the lx106 benches count the same instructions either way.
if(CMAKE_SYSTEM_PROCESSOR STREQUAL "xtensa")
  target_compile_options(weft_embedded_flags INTERFACE -fno-jump-tables)
endif()
