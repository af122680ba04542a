// The console on UART0 (115200 8N1, set in user_init): log lines and fatal errors. Writes wait while the
// 128-byte TX FIFO is full (a byte takes 87 us at 115200), like the SDK's os_printf: a 100-character line
// costs the loop ~9 ms, so keep logging out of hot paths.
#include <cstddef>
#include <cstdint>

#include "core/console.hpp"
#include "esp8266/registers.hpp"

namespace weft {

void console_write(const char* text, std::size_t length) {
  for (std::size_t i = 0; i < length; ++i) {
    if (text[i] == '\n') {
      while (esp8266::reg::uart0_tx_fifo_count() >= esp8266::reg::kUartFifoBytes - 1) {
      }
      esp8266::reg::uart0(esp8266::reg::kUartFifo) = '\r';
    }
    while (esp8266::reg::uart0_tx_fifo_count() >= esp8266::reg::kUartFifoBytes - 1) {
    }
    esp8266::reg::uart0(esp8266::reg::kUartFifo) = static_cast<std::uint8_t>(text[i]);
  }
}

}  // namespace weft
