#include "adc.hpp"

#include "core/log.hpp"
#include "port.hpp"

namespace weft::machine {

Result<Adc> Adc::open(int channel) {
  if (channel != 0) {
    log_message(LogLevel::error,
                "ADC: channel %d does not exist; the ESP8266 has one analog input, A0 (channel 0)", channel);
    return Errc::invalid_argument;
  }
  return Adc();
}

int Adc::read() const {
  int v = default_machine_port().adc_read();
  return v < 0 ? 0 : v > kMax ? kMax : v;
}

std::uint16_t Adc::read_u16() const {
  auto v = static_cast<unsigned>(read());
  return static_cast<std::uint16_t>((v << 6) | (v >> 4));
}

}  // namespace weft::machine
