// blynk_gpio: seed 000's pblynk features in weft — the app's physical-pin widgets with zero code (gpio_auto),
// virtual pins with read and write callbacks that carry state, a Ticker updating a virtual pin, the LCD, a
// notification, a terminal that echoes, the pot on a gauge, and a bridge to a second device.
//
// Wiring (NodeMCU): LED + resistor on GPIO4 (D2), the V1 button; the on-board LED on GPIO2 (D4, lit when low)
// and any other GPIO the app's widgets name, served by gpio_auto; the FLASH button on GPIO0 (D3).
// The cloud side (widgets, pin modes) is apps/blynk_gpio/blynk_gpio.project. Run it, with the local cloud:
//   ./weft sim blynk_gpio                 (prints curl lines to play the phone app)
//   ./weft sim blynk_gpio --peer          (a second device runs too: the button toggles its LED)
//   ./weft sim blynk_gpio --tls           (over TLS, verified against the CA the runner makes)
//
//   pblynk                                        weft
//   b.gpio_auto(machine.Pin.PULL_UP)              GpioAuto gpio(blynk, Pull::up)
//   b.add_virtual_pin(1, read=, write=, state)    blynk.add_virtual_pin(1, state, read, write)
//   b.Ticker(tick, divider=200)                   Ticker ticker(tick, 200)
//   b.lcd_print(7, 0, 0, "text")                  Lcd lcd(blynk, 7); lcd.print(0, 0, "text")
//   b.notify(text)                                blynk.notify(text)
//   bridge = b.bridge_widget(64); ...             Bridge bridge(blynk, 64); bridge.set_auth_token(...)
//   b.on_connect(cb); b.run()                     blynk.on_connected(cb); loop.spawn(blynk.run())
#include <cstdint>
#include <cstdio>

#include "../common/app_config.hpp"
#include "../common/app_transport.hpp"
#include "../common/blynk_config.hpp"
#include "../common/join_wifi.hpp"
#include "../common/stop_on_auth_failure.hpp"
#include "blynk/blynk.hpp"
#include "blynk/gpio_auto.hpp"
#include "core/weft.hpp"
#include "machine/machine.hpp"

namespace {

// ---- Config section (the environment overrides it: apps/common/app_config.hpp) ----
constexpr char kToken[] = "YourAuthTokenFromTheBlynkApp0000";
constexpr char kServer[] = "127.0.0.1:8080";  // the local cloud (weft-cloud); blynk.cloud:80 for Blynk IoT
constexpr bool kTls = false;                  // true: TLS, verified (blynk.cloud:443; app_transport.hpp)
constexpr char kCaPem[] = "";                 // TLS: the server's CA, PEM (the chip has no bundle)
constexpr int kLedPin = 1;                    // V1: the app's button -> the LED on GPIO4
constexpr int kUptimePin = 2;                 // V2: the app reads it (vr) -> seconds since boot
constexpr int kTickerPin = 3;                 // V3: the Ticker's count, once a second
constexpr int kPressesPin = 4;                // V4: FLASH button presses
constexpr int kTerminalPin = 5;               // V5: Terminal widget: the app echoes what is typed
constexpr int kPotPin = 6;                    // V6: the pot on A0 (0..1023), written when it moves
constexpr int kLcdPin = 7;                    // V7: LCD widget, advanced mode
constexpr int kBridgePin = 64;                // V64: the bridge's channel to the second device
constexpr int kLedGpio = weft::machine::nodemcu::D2;     // GPIO4
constexpr int kButtonGpio = weft::machine::nodemcu::D3;  // GPIO0, the FLASH button (to GND)
constexpr int kTickerDivider = 200;                      // 200 / 200 = 1 tick per second
constexpr int kPotDivider = 20;                          // the pot is read 10 times a second

namespace blynk = weft::blynk;
namespace machine = weft::machine;

// pblynk's callbacks with `state`: the state is a struct the callbacks get by reference.
struct LedState {
  machine::Pin pin;
  int writes = 0;
};
void write_led(int pin, blynk::Values v, LedState& led) {
  led.pin.value(v.as_int().value_or(0) != 0 ? 1 : 0);
  ++led.writes;
  const std::string_view text = v.text();
  WEFT_LOG_INFO("app: V%d = %.*s -> LED on GPIO%d %s (write %d)", pin, static_cast<int>(text.size()),
                text.empty() ? "" : text.data(), led.pin.gpio(), led.pin.value() != 0 ? "on" : "off",
                led.writes);
}
void read_led(int, LedState& led, blynk::Reply& reply) {
  reply.write(led.pin.value());
}

struct Uptime {
  weft::Loop* loop;
};
void read_uptime(int, Uptime& u, blynk::Reply& reply) {
  reply.write(u.loop->now() / 1000000);
}

struct App {
  blynk::Blynk& blynk;
  blynk::Lcd lcd;
  blynk::Bridge bridge;
  blynk::Terminal<> terminal;
  int ticks = 0;
  int presses = 0;
  int pot = -1;  // the last reading written to V6
};

// The pot: written to V6 (a gauge and a chart in the project) when the reading moves.
void read_pot(App& app, const machine::Adc& adc) {
  const int raw = adc.read();
  if (raw == app.pot) return;
  if (app.blynk.virtual_write(kPotPin, raw)) app.pot = raw;
}

void on_connected(App& app) {
  // A write into a link that turned out dead is gone (Blynk does not acknowledge HARDWARE): the app's own
  // state goes out again at every login, so the cloud always ends with the last value.
  if (app.presses > 0) app.blynk.virtual_write(kPressesPin, app.presses);
  app.lcd.clear();
  app.lcd.print(0, 0, "weft blynk_gpio");
  app.blynk.sync_virtual({kLedPin});  // the LED as the app last left it
}

// The FLASH button: each press is counted on V4, notified (servers allow one notification per 5 s or so),
// and toggles the second device's LED (its V1) through the bridge. Presses are counted from the edges
// (take_count): presses that come faster than the task runs wake it once, and none is lost.
weft::Task<> watch_button(App& app) {
  weft::Result<machine::Pin> button =
      machine::Pin::open(kButtonGpio, machine::PinMode::in, machine::Pull::up);
  machine::PinIrq irq;
  if (!button || !irq.enable(*button, machine::Edge::falling)) co_return;  // logged by machine
  for (;;) {
    weft::Status pressed = co_await irq.wait();
    if (!pressed) co_return;
    const std::uint32_t edges = irq.take_count();
    if (edges == 0) continue;  // counted by the previous take: the flag was set after it
    app.presses += static_cast<int>(edges);
    WEFT_LOG_INFO("app: button pressed (%d)", app.presses);
    app.blynk.virtual_write(kPressesPin, app.presses);
    char text[48];
    std::snprintf(text, sizeof text, "button pressed %d times", app.presses);
    app.blynk.notify(text);
    if (app.bridge.has_token()) app.bridge.virtual_write(kLedPin, app.presses % 2);
  }
}

}  // namespace

int main() {
  weft::Loop loop;
  weft::net::Wlan wlan(weft::net::Interface::station);
  // The settings (app_config.hpp) and, on the chip, the Wi-Fi network they name, joined.
  const AppConfig cfg = start_app(kToken, kServer, wlan);
  AppTransport transport(want_tls(kTls), kCaPem);    // WEFT_BLYNK_TLS=1: TLS (./weft sim ... --tls)
  blynk::Blynk blynk(blynk_config(cfg), transport);  // token, server and login kind; the rest: the defaults

  blynk::GpioAuto gpio(blynk, machine::Pull::up);  // pm / dw / dr / aw / ar from the app's widgets

  weft::Result<machine::Pin> led_pin = machine::Pin::open(kLedGpio, machine::PinMode::out);
  if (!led_pin) return 1;  // logged
  LedState led{*led_pin};
  Uptime uptime{&loop};
  blynk.add_virtual_pin(kLedPin, led, &read_led, &write_led);
  blynk.add_virtual_pin(kUptimePin, uptime, &read_uptime);

  App app{blynk, blynk::Lcd(blynk, kLcdPin), blynk::Bridge(blynk, kBridgePin),
          blynk::Terminal<>(blynk, kTerminalPin)};
  app.terminal.on_input([&app](std::string_view line) {
    app.terminal.print("echo: ");
    app.terminal.println(line);
  });
  weft::Result<machine::Adc> adc = machine::Adc::open();
  if (!adc) return 1;  // logged
  if (!cfg.bridge_token.empty()) {
    app.bridge.set_auth_token(cfg.bridge_token);
  } else {
    WEFT_LOG_INFO("app: no bridge target (set WEFT_BLYNK_BRIDGE_TOKEN to a second device's token)");
  }
  blynk.on_connected([&app] {
    app.pot = -1;  // write the pot again after a reconnection
    on_connected(app);
  });
  blynk::Ticker ticker([&app] { app.blynk.virtual_write(kTickerPin, ++app.ticks); }, kTickerDivider);
  blynk::Ticker pot_ticker([&app, &adc] { read_pot(app, *adc); }, kPotDivider);

  loop.spawn(blynk.run(), "blynk");
  loop.spawn(watch_button(app), "button");
  stop_on_auth_failure(blynk);
  WEFT_LOG_INFO("app: blynk_gpio connecting to %.*s:%u%s", static_cast<int>(cfg.host().size()),
                cfg.host().data(), static_cast<unsigned>(cfg.port), transport.tls() ? " over TLS" : "");
  loop.run_forever();  // runs until the simulation (or the chip's power) ends
  return 1;
}
