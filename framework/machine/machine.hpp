// weft::machine — the ESP8266's peripherals as small portable interfaces, implemented by the board
// (port.hpp). Include this for all of them.
#pragma once
#include "adc.hpp"       // IWYU pragma: export
#include "gpio.hpp"      // IWYU pragma: export
#include "pin.hpp"       // IWYU pragma: export
#include "pin_irq.hpp"   // IWYU pragma: export
#include "power.hpp"     // IWYU pragma: export
#include "pwm.hpp"       // IWYU pragma: export
#include "watchdog.hpp"  // IWYU pragma: export
