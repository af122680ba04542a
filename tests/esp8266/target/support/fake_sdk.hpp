// A fake of exactly the NONOS SDK calls board/esp8266's clock and ports make, for running that code under
// QEMU's lx106 `sim` board: SDK tasks and os_timers on a virtual clock (system_get_time() wraps like the
// chip's), the GPIO interrupt, FRC1 (hw_timer), GPIO16, the ADC, reset info, deep sleep, RTC memory and the
// Wi-Fi station. The peripheral register blocks are plain arrays here (esp8266.ld puts them at the chip's
// addresses). The test plays the SDK: fake_sdk::run() dispatches what the firmware posted and armed.
#pragma once
#include <cstdint>

namespace fake_sdk {

// Virtual microseconds since the fake booted, and the 32-bit system_get_time() offset (set it near 2^32 to
// cross a wrap).
extern std::uint64_t now_us;
extern std::uint32_t time_offset;

struct RunStats {
  unsigned task_events = 0;
  unsigned timer_callbacks = 0;
};
// Dispatches like the SDK: posted task events first, else the earliest armed os_timer (the clock jumps to
// it), until `done()` or `for_us` of virtual time. With nothing posted or armed it stops.
RunStats run(std::uint64_t for_us, bool (*done)());
// The longest os_timer armed so far (the clock's idle step), and how many are armed now.
extern std::uint32_t longest_timer_us;
unsigned armed_timers();

// An edge on the pads in `status` (GPIO_STATUS bits): sets the status register and runs the handler the
// firmware attached to the GPIO interrupt. Call it from interrupt context (lx106::call_from_interrupt).
void gpio_edge(std::uint32_t status);
bool gpio_isr_attached();

// FRC1: the handler hw_timer_set_func() gave, the last delay armed, how often it was armed.
extern void (*hw_timer_fn)();
extern std::uint32_t hw_timer_last_us;
extern unsigned hw_timer_arms;

// GPIO16 and the rest.
extern int gpio16_mode;  // -1 unset, 0 input, 1 output
extern int gpio16_level;
extern int adc_value;
extern std::uint32_t reset_reason;
extern std::uint64_t deep_sleep_us;  // UINT64_MAX: never asked
extern unsigned restarts;

// Wi-Fi: the station's status (STATION_*), connect attempts, the event handler the firmware registered.
extern int station_status;
extern unsigned station_connects;
extern char station_ssid[33];
// Sets the station's status and delivers an SDK Wi-Fi event (EVENT_STAMODE_*) to the firmware's handler.
void wifi_event(int event, int status_after);

void reset();

}  // namespace fake_sdk
