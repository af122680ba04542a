// The ESP8266 peripheral registers the board's ports use, by byte offset from each block's base. The bases
// are link-time symbols (esp8266.ld puts them at the hardware addresses; the board's tests link arrays there
// instead), so the port code that runs on the chip is the code the tests run.
#pragma once
#include <cstdint>

extern "C" {
extern volatile std::uint32_t weft_esp8266_gpio_regs[];   // 0x60000300
extern volatile std::uint32_t weft_esp8266_iomux_regs[];  // 0x60000800
extern volatile std::uint32_t weft_esp8266_uart0_regs[];  // 0x60000000
}

namespace weft::esp8266::reg {

// GPIO block (GPIO0..15).
constexpr unsigned kGpioOut = 0x00, kGpioOutSet = 0x04, kGpioOutClear = 0x08;
constexpr unsigned kGpioEnable = 0x0C, kGpioEnableSet = 0x10, kGpioEnableClear = 0x14;
constexpr unsigned kGpioIn = 0x18, kGpioStatus = 0x1C, kGpioStatusClear = 0x24;
constexpr unsigned kGpioPin0 = 0x28;  // + 4 * gpio: bit 2 open drain, bits 7..9 interrupt type
constexpr std::uint32_t kPinOpenDrain = 1u << 2;
constexpr unsigned kPinIntTypeShift = 7;
constexpr std::uint32_t kPinIntTypeMask = 7u << kPinIntTypeShift;

// IO_MUX: one register per pad (GPIO6..11 drive the flash and are never touched).
constexpr std::uint8_t kIomuxOffset[16] = {0x34, 0x18, 0x38, 0x14, 0x3C, 0x40, 0,    0,
                                           0,    0,    0,    0,    0x04, 0x08, 0x0C, 0x10};
// The GPIO function of each pad (function 3 for GPIO1, 3 and 12..15; function 0 for the others).
constexpr std::uint8_t kGpioFunction[16] = {0, 3, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3};
constexpr std::uint32_t kIomuxPullUp = 1u << 7;
constexpr std::uint32_t kIomuxFunctionMask = (1u << 4) | (1u << 5) | (1u << 8);
constexpr std::uint32_t iomux_function_bits(unsigned f) {
  return (((f & 4u) << 2) | (f & 3u)) << 4;
}

// UART0.
constexpr unsigned kUartFifo = 0x00, kUartStatus = 0x1C;
constexpr unsigned kUartFifoBytes = 128;

inline volatile std::uint32_t& uart0(unsigned offset) {
  return weft_esp8266_uart0_regs[offset / 4];
}
inline unsigned uart0_tx_fifo_count() {
  return (uart0(kUartStatus) >> 16) & 0xFFu;
}
inline volatile std::uint32_t& gpio(unsigned offset) {
  return weft_esp8266_gpio_regs[offset / 4];
}
inline volatile std::uint32_t& iomux(unsigned offset) {
  return weft_esp8266_iomux_regs[offset / 4];
}

}  // namespace weft::esp8266::reg
