// dash_button: seed 003's Amazon Dash clone in weft. The button is the chip's RST pin: pressing it wakes the
// ESP8266 from deep sleep, and that boot calls a webhook (IFTTT-style) and goes back to sleep.
//
// One boot, as the seed's run():
//   reset cause deep-sleep (the button woke us)  -> connect Wi-Fi (with a timeout), print the network config,
//                                                   POST {"value1": "<button id>"} to the webhook;
//                                                   any failure (Wi-Fi, DNS, connect, timeout, HTTP >= 400)
//                                                   -> blink the two LEDs alternately 3 times
//   any other reset cause (power-on, ...)       -> no webhook
//   then: debug pin low (jumper to GND)          -> stay awake (debug mode)
//         otherwise                              -> deep sleep until RST
// Everything that waits is an awaitable: Wi-Fi, DNS, the HTTP exchange, the blinking; nothing blocks.
#pragma once
#include "config.hpp"
#include "core/result.hpp"
#include "core/task.hpp"

namespace dash_button {

// The whole program of one boot. Never returns after a deep sleep (the next boot starts over); returns
// only if deep sleep failed (logged).
[[nodiscard]] weft::Task<> run(const Config& config);

// Turns off the access point, connects the station (unless already connected) within wifi_timeout and
// prints the network config. Status: ok, or why not (refused: wrong password; unreachable: no such AP;
// timed_out; ...), logged.
[[nodiscard]] weft::Task<weft::Status> connect_wifi(const Config& config);

// POSTs {"value1": "<button id>"} to the webhook: the HTTP status, or why there was none (logged).
[[nodiscard]] weft::Task<weft::Result<int>> call_webhook(const Config& config);

// Blinks the two LEDs alternately error_blinks times, blink_interval per half, then leaves both high.
[[nodiscard]] weft::Task<> show_error(const Config& config);

// The debug jumper: the debug pin (pulled up) reads low.
[[nodiscard]] bool is_debug(const Config& config);

}  // namespace dash_button
