// Power: deep sleep, resets, why the chip started, and the RTC memory that survives deep sleep
// (MicroPython's machine.deepsleep / reset / reset_cause / RTC().memory on the ESP8266).
//
//   if (weft::machine::reset_cause() == ResetCause::deep_sleep) { ...woke up: read rtc_memory... }
//   weft::machine::rtc_memory_write(state);
//   co_await weft::machine::deep_sleep(weft::sec(60));   // never resumes: the chip powers down
//
// deep_sleep() and reset() are awaitables that do not come back: the board powers the chip down, and the next
// boot starts the program from main() again, with reset_cause() saying why (the simulated board restarts the
// process, or the in-process run, the same way). They only return on a bad argument (Errc::invalid_argument,
// logged, nothing happens) or if the task is cancelled before the board acted (Errc::cancelled).
// On a real ESP8266 a timed wake needs GPIO16 (D0) wired to RST; kUntilReset sleeps until RST is pulled low.
// In deep sleep the CPU, Wi-Fi, timers, PWM and pins are off; only the RTC and its memory are kept.
#pragma once
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/loop.hpp"

namespace weft::machine {

// Values as MicroPython's esp8266 port reports them (PWRON_RESET, WDT_RESET, SOFT_RESET, DEEPSLEEP_RESET,
// HARD_RESET).
enum class ResetCause : std::uint8_t { power_on = 0, watchdog = 1, soft = 4, deep_sleep = 5, hard = 6 };
[[nodiscard]] const char* to_string(ResetCause c);  // "power-on", "watchdog", "soft", "deep-sleep", "hard"

[[nodiscard]] ResetCause reset_cause();

enum class PowerDown : std::uint8_t { deep_sleep, reset };

inline constexpr Micros kUntilReset = kForever;
// The longest timed deep sleep accepted: the SDK's system_deep_sleep_max() is about 3.5 h (it depends on the
// RTC clock calibration); 3 h keeps a margin.
inline constexpr Micros kMaxDeepSleep = Micros{3} * 3600 * 1000 * 1000;

class [[nodiscard]] PowerDownAwaiter {
 public:
  PowerDownAwaiter(PowerDown kind, Micros duration, Errc early)
      : kind_(kind), duration_(duration), early_(early) {}
  [[nodiscard]] bool await_ready() const { return early_ != Errc::ok; }
  bool await_suspend(std::coroutine_handle<> h);
  Status await_resume() const { return early_ != Errc::ok ? Status{early_} : Status{node_.result()}; }

 private:
  WaitNode node_;
  PowerDown kind_;
  Micros duration_;
  Errc early_;
};

// Deep sleep for `duration` (1 ms .. kMaxDeepSleep), or kUntilReset. Wakes with ResetCause::deep_sleep.
[[nodiscard]] PowerDownAwaiter deep_sleep(Micros duration);
// Restarts the chip (machine.reset()): the next boot sees ResetCause::soft.
[[nodiscard]] PowerDownAwaiter reset();

// RTC user memory: up to kRtcMemoryBytes kept across deep sleep and resets (lost on power-on).
inline constexpr std::size_t kRtcMemoryBytes = 492;
// Replaces the stored bytes. Errc::too_large (logged) beyond kRtcMemoryBytes; nothing is written then.
Status rtc_memory_write(std::span<const std::uint8_t> data);
// Copies up to out.size() stored bytes into `out`; returns how many are stored (0 after power-on).
std::size_t rtc_memory_read(std::span<std::uint8_t> out);

}  // namespace weft::machine
