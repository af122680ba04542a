// blink_pot: seed 004's uasyncio example in weft, on the ESP8266's machine API. One task blinks an LED (PWM
// duty = brightness for a second, then 0 for a second); another reads a potentiometer every 100 ms.
//
// Wiring (NodeMCU): LED + resistor on GPIO5 (D1), potentiometer wiper on A0.
// Adapted from the seed's ESP32 honestly:
//   - the ESP32's ADC gives 12 bits (0..4095), so the seed scales by 1023/4095; the ESP8266's ADC gives 10
//     bits (0..1023), the same range as its PWM duty, so the reading is the brightness as is;
//   - the seed runs PWM at 5000 Hz; the ESP8266 does 1..1000 Hz, so 1000 Hz.
//
// Run it on the simulated board, the knob turned by a scenario (board/linux/sim/SCENARIOS.md):
//   weft-sim --virtual --trace --scenario apps/blink_pot/blink_pot.scenario --
//   build/default/apps/blink_pot/blink_pot
// Without a scenario (./weft run blink_pot [seconds]) the knob stays at 0: the LED stays dark. Without
// `seconds` it runs until stopped (on the chip: until the power goes).
#include <cstdio>
#include <cstdlib>

#include "core/weft.hpp"
#include "machine/machine.hpp"

namespace {

constexpr int kLedGpio = weft::machine::nodemcu::D1;  // GPIO5, as in the seed
constexpr int kLedFreqHz = 1000;

weft::Task<> blink(const weft::machine::Pwm& led, const int& brightness) {
  for (;;) {
    led.duty(brightness);
    co_await weft::sleep_ms(1000);
    led.duty(0);
    co_await weft::sleep_ms(1000);
  }
}

weft::Task<> update_brightness(const weft::machine::Adc& pot, int& brightness) {
  for (;;) {
    brightness = pot.read();  // 0..1023: already a PWM duty on the ESP8266
    co_await weft::sleep_ms(100);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const long seconds = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 0;
  if (argc > 2 || (argc == 2 && seconds <= 0)) {
    std::fprintf(stderr, "usage: blink_pot [seconds > 0]   (default: run until stopped)\n");
    return 2;
  }
  weft::Loop loop;
  weft::Result<weft::machine::Pwm> led = weft::machine::Pwm::open(kLedGpio, kLedFreqHz);
  weft::Result<weft::machine::Adc> pot = weft::machine::Adc::open();
  if (!led || !pot) return 1;  // the reason is logged
  int brightness = pot->read();
  WEFT_LOG_INFO("blink_pot: LED on GPIO%d at %d Hz, potentiometer on A0 (reads %d)", kLedGpio, kLedFreqHz,
                brightness);
  loop.spawn(blink(*led, brightness), "blink");
  loop.spawn(update_brightness(*pot, brightness), "update_brightness");
  weft::Status s = seconds > 0 ? loop.run_for(weft::sec(seconds)) : loop.run_forever();
  loop.log_stats();
  return s.ok() ? 0 : 1;
}
