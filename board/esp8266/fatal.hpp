// fatal(): the board's last word. Prints one line ("FATAL: ..." and what to do) on the console and restarts
// the chip (system_restart), so a bug never becomes a silent hang. Callable from loop and SDK context.
#pragma once

namespace weft::esp8266 {

[[noreturn]] void fatal(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace weft::esp8266
