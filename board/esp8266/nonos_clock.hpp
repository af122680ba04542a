// NonosClock: the loop's clock port and I/O poller on the ESP8266's NONOS SDK (core/clock_port.hpp and
// core/io_poller.hpp have the contracts).
//
// NONOS is run-to-completion: the firmware gets control in SDK callbacks and must hand it back soon (the
// watchdog bites after ~3 s; Wi-Fi and lwIP run only while the SDK has it). The app's main() runs on its own
// stack (MainContext), and the loop hands control back in two places:
//   - idle: wait_until(deadline) arms one os_timer for the deadline (at most kMaxIdleStep ahead) and suspends
//     main(); the timer, or an SDK task event posted by wake(), resumes it;
//   - busy (the IoPoller side): while tasks stay ready the loop calls poll_events() every
//     IoPoller::kPollEverySwitches switches;
//     it posts an event and suspends, so the SDK runs what it has queued (Wi-Fi, TCP, the watchdog feed)
//     before main() continues. A pass therefore returns to the SDK within one ready batch.
// Clock: system_get_time() (32-bit microseconds, wraps every 71.6 min) extended to 64 bits; the loop samples
// it at least every kMaxIdleStep, so no wrap is missed. wake(): any context, in IRAM (GPIO interrupt handlers
// call it); repeated wakes before the event is handled post one event (the SDK's task queue is short).
#pragma once
#include <cstdint>

#include "core/clock_port.hpp"
#include "core/io_poller.hpp"
#include "core/wrapping_counter.hpp"
#include "esp8266/main_context.hpp"

namespace weft::esp8266 {

class NonosClock final : public ClockPort, public IoPoller {
 public:
  // The longest os_timer the clock arms: far below a system_get_time() wrap and os_timer_arm_us's limit.
  static constexpr Micros kMaxIdleStep = 60'000'000;
  // The SDK task priority of the loop's events (USER_TASK_PRIO_1; 0 and 2 stay free for the app).
  static constexpr std::uint8_t kTaskPriority = 1;

  explicit NonosClock(MainContext& main);
  // Registers the SDK task and the timer. Call once from user_init(), after system_timer_reinit().
  void start();
  // Posts the first event: main() starts at the next SDK task dispatch.
  void start_main() { wake(); }

  // ClockPort.
  [[nodiscard]] Micros now() override;
  void wait_until(Micros deadline) override;
  void wake() override;
  // IoPoller: the SDK always has work of its own (Wi-Fi, TCP, the watchdog feed), so a busy loop gives it a
  // turn every kPollEverySwitches switches.
  void poll_events() override;
  [[nodiscard]] bool has_pending_io() const override { return true; }

  // Runs `fn` in loop context soon: when main() next resumes, before the loop's next pass. For SDK callbacks
  // (Wi-Fi events, scan results) whose consumers expect loop context. SDK or loop context, never an interrupt.
  // The same function deferred twice before it runs runs once; more than kMaxDeferred distinct ones is fatal.
  static constexpr int kMaxDeferred = 4;
  void defer(void (*fn)());

  struct Stats {
    std::uint32_t idle_waits = 0;   // suspends with nothing to run
    std::uint32_t busy_yields = 0;  // suspends to let the SDK run while tasks were ready
    std::uint32_t events_posted = 0;
    std::uint32_t timer_wakeups = 0;
  };
  [[nodiscard]] const Stats& stats() const { return stats_; }

  // SDK callbacks (static: the SDK passes no context to tasks); public for the board's runtime only.
  static void on_task_event(void* event);
  static void on_timer(void* arg);

 private:
  void run_deferred();

  MainContext& main_;
  void (*deferred_[kMaxDeferred])() = {};
  WrappingCounter clock_;
  volatile bool event_posted_ = false;
  bool timer_armed_ = false;
  alignas(4) unsigned char timer_[32];  // the SDK's os_timer_t (kept opaque: SDK headers stay in the .cpp)
  Stats stats_;
};

// The board's clock (default_clock_port() and default_io_poller() return it); nullptr before user_init()
// made it.
[[nodiscard]] NonosClock* board_clock();

}  // namespace weft::esp8266
