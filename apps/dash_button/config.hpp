// The dash button's configuration, in one place (seed 003's config.py). Change these for your network and
// your webhook; on the simulated board the webhook URL can also be given on the command line (main.cpp).
#pragma once
#include <string_view>

#include "core/time.hpp"
#include "machine/gpio.hpp"

namespace dash_button {

struct Config {
  std::string_view wifi_ssid;
  std::string_view wifi_password;
  std::string_view webhook_url;     // http:// or https:// (verified: webhook_ca_pem)
  std::string_view webhook_ca_pem;  // https://: the CA of the webhook's server, PEM; "": the system bundle
                                    // (Linux; WEFT_TLS_CA=FILE overrides: apps/common/app_tls.hpp)
  std::string_view button_id;       // sent as {"value1": "<button id>"}
  int led_pin;                      // the two error LEDs, blinked alternately on any failure
  int led2_pin;
  int debug_pin;  // a jumper from this pin to GND = debug mode: stay awake instead of deep sleep
  weft::Micros wifi_timeout;
  weft::Micros http_timeout;  // connect, and each wait on the server
  weft::Micros blink_interval;
  int error_blinks;
};

inline constexpr Config kConfig{
    .wifi_ssid = "HomeAP",
    .wifi_password = "your Wi-Fi password",
    .webhook_url = "http://127.0.0.1:8266/trigger/button_pressed/with/key/your-ifttt-key",
    .webhook_ca_pem = "",
    .button_id = "micropython1",
    .led_pin = weft::machine::nodemcu::D4,    // GPIO2, the module's LED
    .led2_pin = weft::machine::nodemcu::D0,   // GPIO16, the board's LED
    .debug_pin = weft::machine::nodemcu::D5,  // GPIO14
    .wifi_timeout = weft::sec(15),
    .http_timeout = weft::sec(10),
    .blink_interval = weft::ms(500),
    .error_blinks = 3,
};

}  // namespace dash_button
