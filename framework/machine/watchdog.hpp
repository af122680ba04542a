// Watchdog: resets the chip when the program stops feeding it (MicroPython's machine.WDT).
//
//   weft::machine::watchdog_start(weft::sec(5));
//   for (;;) { do_work(); weft::machine::watchdog_feed(); co_await weft::sleep_ms(1000); }
//
// If watchdog_feed() is not called for `timeout`, the board resets the chip; the next boot sees
// ResetCause::watchdog (RTC memory is kept). As on the ESP8266 it cannot be stopped once started; starting it
// again changes the timeout (and feeds it). Feed it from a task that proves the program is healthy, not from
// a timer that would keep running while every task is stuck.
// The simulated board checks the deadline whenever the loop idles: a task that never yields is caught there
// only when it finally yields (the chip's hardware watchdog would catch it in any case).
#pragma once
#include "core/result.hpp"
#include "core/time.hpp"

namespace weft::machine {

inline constexpr Micros kMinWatchdogTimeout = Micros{10} * 1000;           // 10 ms
inline constexpr Micros kMaxWatchdogTimeout = Micros{3600} * 1000 * 1000;  // 1 h

// Errc::invalid_argument (logged) outside kMinWatchdogTimeout .. kMaxWatchdogTimeout.
Status watchdog_start(Micros timeout);
void watchdog_feed();

}  // namespace weft::machine
