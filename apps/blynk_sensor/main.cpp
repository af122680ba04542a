// blynk_sensor: seed 001's blynklib example in weft — a write handler on V22 (blynklib's
// @blynk.handle_event('write V22')), a sensor value sent every 2 s by a timer (blynktimer), and a sync of
// V22 when the connection comes up, so the device starts from what the app last set.
//
// Wiring (NodeMCU): a TMP36 temperature sensor on A0; an LED + resistor on GPIO5 (D1) whose brightness is
// V22 (a slider 0..1023 in the app). The cloud side is apps/blynk_sensor/blynk_sensor.project. Run it:
//   ./weft sim blynk_sensor --scenario apps/blynk_sensor/blynk_sensor.scenario
//
//   blynklib (Python)                                weft
//   blynk = blynklib.Blynk(BLYNK_AUTH)               weft::blynk::Blynk blynk({.token = ...})
//   @blynk.handle_event('write V22')                 blynk.on_write(22, handler)
//   def handler(pin, value): print(value)            [](int pin, Values value) { ... value.text() ... }
//   timer = blynktimer.Timer(); @timer.register(...)  TimerGroup<2> timers; timers.add(sec(2), callback)
//   @blynk.handle_event('connect')                   blynk.on_connected(callback)
//   while True: blynk.run(); timer.run()             loop.spawn(blynk.run()); loop.run_forever()
#include "../common/app_config.hpp"
#include "../common/blynk_config.hpp"
#include "../common/join_wifi.hpp"
#include "../common/stop_on_auth_failure.hpp"
#include "blynk/blynk.hpp"
#include "core/weft.hpp"
#include "machine/machine.hpp"

namespace {

// ---- Config section (the environment overrides it: apps/common/app_config.hpp) ----
constexpr char kToken[] = "YourAuthTokenFromTheBlynkApp0000";
constexpr char kServer[] = "127.0.0.1:8080";
constexpr int kBrightnessPin = 22;                    // V22: the app's slider, 0..1023
constexpr int kTemperaturePin = 5;                    // V5: the sensor's reading, degrees Celsius
constexpr weft::Micros kSensorPeriod = weft::sec(2);  // how often the sensor is read and sent
constexpr int kLedGpio = weft::machine::nodemcu::D1;  // GPIO5

namespace blynk = weft::blynk;
namespace machine = weft::machine;

struct App {
  blynk::Blynk& blynk;
  machine::Pwm led;
  machine::Adc sensor;
};

// TMP36: 500 mV at 0 degrees C, 10 mV per degree; the NodeMCU's A0 divider maps 0..3.3 V to 0..1023.
double temperature_c(int raw) {
  return (raw * 3300.0 / 1023.0 - 500.0) / 10.0;
}

void on_brightness(App& app, int pin, blynk::Values value) {
  const std::string_view text = value.text();
  WEFT_LOG_INFO("app: Current V%d value: %.*s", pin, static_cast<int>(text.size()),
                text.empty() ? "" : text.data());
  const weft::Result<int> duty = value.as_int();
  if (!duty || *duty < 0 || *duty > machine::Pwm::kMaxDuty) {
    WEFT_LOG_WARN("app: V%d takes 0..%d; ignored", pin, machine::Pwm::kMaxDuty);
    return;
  }
  app.led.duty(*duty);
}

void send_temperature(App& app) {
  const double t = temperature_c(app.sensor.read());
  app.blynk.virtual_write(kTemperaturePin, blynk::Value::number(t, {4, 1}));  // "21.5"
}

}  // namespace

int main() {
  weft::Loop loop;
  weft::net::Wlan wlan(weft::net::Interface::station);
  // The settings (app_config.hpp) and, on the chip, the Wi-Fi network they name, joined.
  const AppConfig cfg = start_app(kToken, kServer, wlan);
  blynk::Blynk blynk(blynk_config(cfg));  // token, server and login kind; the rest: the defaults
  weft::Result<machine::Pwm> led = machine::Pwm::open(kLedGpio);
  weft::Result<machine::Adc> sensor = machine::Adc::open();
  if (!led || !sensor) return 1;  // logged
  App app{blynk, *led, *sensor};

  blynk.on_write(kBrightnessPin, [&app](int pin, blynk::Values v) { on_brightness(app, pin, v); });
  blynk.on_connected([&app] { app.blynk.sync_virtual({kBrightnessPin}); });
  blynk::TimerGroup<2> timers;
  (void)timers.add(kSensorPeriod, [&app] { send_temperature(app); });

  loop.spawn(blynk.run(), "blynk");
  stop_on_auth_failure(blynk);
  WEFT_LOG_INFO("app: blynk_sensor connecting to %.*s:%u", static_cast<int>(cfg.host().size()),
                cfg.host().data(), static_cast<unsigned>(cfg.port));
  loop.run_forever();  // runs until the simulation (or the chip's power) ends
  return 1;
}
