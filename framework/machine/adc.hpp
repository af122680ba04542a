// Adc: the ESP8266's one analog input, A0 (MicroPython's machine.ADC(0)).
//
//   auto pot = weft::machine::Adc::open();   // Result<Adc>
//   int raw = pot->read();                    // 0..1023: 10 bits, 0..1.0 V on the bare chip (NodeMCU: 0..3.3
//   V) std::uint16_t wide = pot->read_u16();     // 0..65535, the portable MicroPython scale
//
// Only channel 0 exists (ESP32 code that reads 12-bit values from other pins must be adapted: see
// apps/blink_pot). read() takes a conversion (tens of microseconds on the chip); it never waits on the loop.
#pragma once
#include <cstdint>

#include "core/result.hpp"

namespace weft::machine {

class Adc {
 public:
  static constexpr int kMax = 1023;

  // Errc::invalid_argument (logged) for any channel but 0: the ESP8266 has only A0.
  [[nodiscard]] static Result<Adc> open(int channel = 0);

  [[nodiscard]] int read() const;
  // read() scaled to 16 bits by bit replication: 0 -> 0, 1023 -> 65535, monotonic.
  [[nodiscard]] std::uint16_t read_u16() const;

 private:
  Adc() = default;
};

}  // namespace weft::machine
