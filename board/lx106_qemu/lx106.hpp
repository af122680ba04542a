// The lx106_qemu board: the ESP8266's Xtensa lx106 core under QEMU (`-M sim -cpu lx106`), no peripherals.
// It implements the clock port (framework/core/clock_port.hpp; it has no I/O poller) and gives tests and
// benchmarks a few extras: exit codes, the raw cycle counter, and the watchdogs that turn a hang into a clear
// message.
//
// Clock: CCOUNT, extended to 64 bits (WrappingCounter) and converted to microseconds at
// WEFT_LX106_CCOUNT_PER_US counts per microsecond. QEMU's lx106 model runs CCOUNT at 40 MHz of *virtual* time
// (the real chip: 80 MHz, or 160 MHz when boosted), so this board defaults to 40; under `-icount shift=5`
// one instruction is 32 ns of virtual time, i.e. 1.28 counts. See README.md.
//
// Idle: wait_until() programs CCOMPARE0 and executes `waiti 0`, like the chip would; under
// `-icount ...,sleep=off` QEMU then jumps virtual time straight to the deadline.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/clock_port.hpp"
#include "core/time.hpp"

#ifndef WEFT_LX106_CCOUNT_PER_US
#define WEFT_LX106_CCOUNT_PER_US 40
#endif

namespace weft::lx106 {

// Process exit codes (QEMU exits with them through semihosting).
enum ExitCode : int {
  kExitOk = 0,
  kExitTestFailures = 1,   // the harness: at least one check failed
  kExitException = 2,      // an unhandled CPU exception (illegal instruction, load/store error, ...)
  kExitTrap = 3,           // __builtin_trap(), abort(), a failed assert(), a pure virtual call
  kExitWatchdog = 4,       // the loop did not run for the hog limit: a task never yields
  kExitTimeBudget = 5,     // the program ran past its virtual-time budget: a test hangs
  kExitOutOfMemory = 6,    // operator new / malloc failed
  kExitDivideByZero = 7,   // integer division by zero in a libgcc helper
  kExitStackOverflow = 8,  // a store reached the guard at the bottom of the stack (data breakpoint)
};

inline constexpr std::uint32_t kCcountPerUs = WEFT_LX106_CCOUNT_PER_US;

// Raw cycle counter (wraps every 2^32 counts: 107 s at 40 MHz, 53.7 s at 80 MHz).
[[nodiscard]] inline std::uint32_t ccount() {
  std::uint32_t c;
  asm volatile("rsr %0, ccount" : "=a"(c));
  return c;
}

// Ends the program (QEMU exits with `code`). Flushes nothing: console output is unbuffered.
[[noreturn]] void exit(int code);
// Prints "FATAL: <message>" and exits with `code`.
[[noreturn]] void fatal(int code, const char* message);

// Console helpers that never allocate and never use printf (small and safe in any context).
void print(const char* text);
void print_u64(std::uint64_t v);
void print_i64(std::int64_t v);
void print_hex(std::uint32_t v);

// Watchdog for a loop that stops running (a task that never yields): if neither now() nor wait_until() is
// called for `limit` of virtual time, the timer interrupt prints the interrupted PC and exits with
// kExitWatchdog. Default 2 s (the ESP8266's soft watchdog bites after ~3.2 s); 0 disables.
void set_hog_limit(Micros limit);
// Hard budget for the whole program in virtual time: past it (even while idle), the board prints `what` and
// exits with kExitTimeBudget. kForever (default) disables. The target test harness sets one per test.
void set_time_budget(Micros deadline, const char* what);
// Feeds the hog watchdog from code that runs long outside a loop on purpose.
void feed_watchdog();

// Test hook: calls fn(context) once, from the timer interrupt (interrupt context, like a GPIO ISR would), at
// the first interrupt at or after `delay` from now: within one tick (250 ms) or idle step (1 s) of it.
// One pending call at a time (a new one replaces it); fn == nullptr cancels it. fn may re-arm itself.
void call_from_interrupt(Micros delay, void (*fn)(void*), void* context);

// How many times wait_until() idled in `waiti` (tests check that the loop sleeps instead of spinning).
[[nodiscard]] std::uint32_t idle_count();

// Heap use through operator new / malloc (the core itself should never allocate; tests check it).
[[nodiscard]] std::uint32_t heap_allocations();
// Blocks allocated through operator new and not yet deleted.
[[nodiscard]] std::uint32_t heap_live_blocks();

// The board's clock, as its concrete type (default_clock_port() returns it as ClockPort&).
class CcountClock final : public ClockPort {
 public:
  [[nodiscard]] Micros now() override;
  void wait_until(Micros deadline) override;
  void wake() override;
  // Test hook: makes the next CCOUNT samples start at `ccount` (e.g. just before a wrap).
  void set_ccount_for_test(std::uint32_t ccount);
  // Longest single idle step: CCOMPARE0 is armed no further out than this, well inside half a CCOUNT wrap,
  // so the WrappingCounter never misses a wrap even when a deadline is hours away.
  static constexpr Micros kMaxIdleStep = 1000 * 1000;
};

}  // namespace weft::lx106
