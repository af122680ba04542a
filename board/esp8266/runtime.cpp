// The firmware's entry and C/C++ runtime on the NONOS SDK.
//
// Boot: the SDK calls user_pre_init() (the flash partition table, required since SDK 3.0), then user_init():
// UART0 at 115200, C++ constructors (NONOS never runs them), microsecond os_timers, the loop's SDK task, and
// when the SDK has finished its own start (system_init_done_cb) the first event starts the app's main() on
// its own stack (MainContext). main() returning is logged; the firmware then idles (the SDK keeps Wi-Fi up).
//
// The app's `int main()` or `int main(int, char**)` is compiled as weft_app_main (WeftApp.cmake): C++ forbids
// calling main. argc is 1, argv[0] the app's name.
// Heap: none of weft's code allocates (frames come from the frame arena); operator new stops the firmware
// with a clear line rather than take the SDK's heap behind its back.
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <new>

#include "core/clock_port.hpp"
#include "core/console.hpp"
#include "core/frame_arena.hpp"
#include "core/io_poller.hpp"
#include "esp8266/board_config.hpp"
#include "esp8266/fatal.hpp"
#include "esp8266/main_context.hpp"
#include "esp8266/nonos_clock.hpp"
#include "esp8266/sdk.hpp"

// The app's main(), in either of its two standard forms (weak: the one the app defines is non-null).
[[gnu::weak]] int weft_app_main(int argc, char** argv);
[[gnu::weak]] int weft_app_main();

extern "C" {
extern const char weft_app_name[];  // the app's target name (WeftApp.cmake generates it)
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);
void uart_div_modify(std::uint8_t uart, std::uint32_t divisor);  // ROM
}

namespace weft::esp8266 {
namespace {

alignas(16) std::uint8_t g_main_stack[kMainStackBytes];
char* g_argv[] = {const_cast<char*>(weft_app_name), nullptr};  // main() may read argv, never write it

void run_app(void*) {
  int (*with_args)(int, char**) = &weft_app_main;
  int (*without_args)() = &weft_app_main;
  int code = 0;
  if (with_args != nullptr) {
    code = with_args(1, g_argv);
  } else if (without_args != nullptr) {
    code = without_args();
  } else {
    fatal("the app defines no main()");
  }
  std::printf("weft: main() returned %d; the firmware idles (reset to run it again)\n", code);
  for (;;)
    main_context().suspend();
}

void on_system_ready() {
  std::printf("weft: %s: main() starts (stack %u B, frame arena %u B, SDK heap free %u B)\n", weft_app_name,
              static_cast<unsigned>(kMainStackBytes),
              static_cast<unsigned>(FrameArena::current().stats().capacity),
              static_cast<unsigned>(system_get_free_heap_size()));
  board_clock()->start_main();
}

}  // namespace

MainContext& main_context() {
  static MainContext context(g_main_stack, sizeof g_main_stack, &run_app, nullptr);
  return context;
}

NonosClock& nonos_clock() {
  static NonosClock clock(main_context());
  return clock;
}

void fatal(const char* format, ...) {
  char line[160];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  console_write("\nFATAL: ", 8);
  console_write(line, __builtin_strlen(line));
  console_write("\n", 1);
  system_restart();
  for (;;) {
  }
}

}  // namespace weft::esp8266

namespace weft {
ClockPort& default_clock_port() {
  return esp8266::nonos_clock();
}

IoPoller* default_io_poller() {
  return &esp8266::nonos_clock();
}
}  // namespace weft

extern "C" {

// The flash layout the SDK must know (4 MB, map 4: 512 KB + 512 KB): the RF calibration, PHY data and system
// parameter sectors at the top of the flash, where the 4 MB image puts esp_init_data_default.
void ICACHE_FLASH_ATTR user_pre_init() {
  static const partition_item_t kPartitions[] = {
      {SYSTEM_PARTITION_RF_CAL, 0x3FB000, 0x1000},
      {SYSTEM_PARTITION_PHY_DATA, 0x3FC000, 0x1000},
      {SYSTEM_PARTITION_SYSTEM_PARAMETER, 0x3FD000, 0x3000},
  };
  if (!system_partition_table_regist(kPartitions, sizeof kPartitions / sizeof kPartitions[0], 4))
    weft::esp8266::fatal("system_partition_table_regist failed: flash the 4 MB image (./weft firmware APP)");
}

void ICACHE_FLASH_ATTR user_init() {
  uart_div_modify(0, 80'000'000 / 115'200);  // the ROM boots at 74880 baud
  for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f)
    (*f)();
  system_timer_reinit();  // microsecond os_timers (os_timer_arm_us)
  weft::esp8266::nonos_clock().start();
  system_init_done_cb(&weft::esp8266::on_system_ready);
}

void abort() {
  weft::esp8266::fatal("abort() called");
}

void __assert_func(const char* file, int line, const char* func, const char* expr) {
  weft::esp8266::fatal("assertion failed: %s (%s:%d, %s)", expr, file, line, func != nullptr ? func : "?");
}

void _exit(int code) {
  weft::esp8266::fatal("exit(%d) called: firmware has nowhere to exit to", code);
}

void __cxa_pure_virtual() {
  weft::esp8266::fatal("pure virtual function called");
}

// main() never returns to a caller that would run static destructors: do not register them.
int __cxa_atexit(void (*)(void*), void*, void*) {
  return 0;
}
void* __dso_handle = nullptr;

// The SDK's blobs were built against newlib, whose <ctype.h> macros index this table.
extern const char _ctype_[];
const char* __ctype_ptr__ = _ctype_;

}  // extern "C"

namespace std {
void __throw_out_of_range_fmt(const char*, ...) {
  weft::esp8266::fatal("std::string_view position out of range");
}
}  // namespace std

// stdio (printf, the log's fprintf(stderr, ...)) writes to the console; there is no input. (picolibc declares
// the three with C++ linkage, which for variables is the same symbol.)
namespace {
int console_putc(char c, FILE*) {
  weft::console_write(&c, 1);
  return static_cast<unsigned char>(c);
}
}  // namespace
FILE g_console = FDEV_SETUP_STREAM(console_putc, nullptr, nullptr, _FDEV_SETUP_WRITE);
FILE* const stdout = &g_console;
FILE* const stderr = &g_console;
FILE* const stdin = nullptr;

void* operator new(std::size_t n) {
  weft::esp8266::fatal("operator new(%u): weft's code never allocates; use the frame arena or a static",
                       static_cast<unsigned>(n));
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void operator delete(void*) noexcept {}
void operator delete[](void*) noexcept {}
void operator delete(void*, std::size_t) noexcept {}
void operator delete[](void*, std::size_t) noexcept {}
