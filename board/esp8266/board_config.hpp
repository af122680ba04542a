// Build-time settings of the ESP8266 board (override with -D... or CMake: see board/esp8266/README.md).
#pragma once
#include <cstddef>

#ifndef WEFT_MAIN_STACK_BYTES
#define WEFT_MAIN_STACK_BYTES 6144  // main()'s own stack (MainContext); its headroom is printed at boot
#endif

namespace weft::esp8266 {

inline constexpr std::size_t kMainStackBytes = WEFT_MAIN_STACK_BYTES;

class MainContext;
class NonosClock;
// The board's single instances (runtime.cpp), created on first use.
[[nodiscard]] MainContext& main_context();
[[nodiscard]] NonosClock& nonos_clock();

}  // namespace weft::esp8266
