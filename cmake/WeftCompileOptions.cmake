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
