// Startup of the lx106_qemu board: the reset stub (vectors.S) jumps here with a stack and PS.UM set.
// QEMU's ELF loader has already placed every segment (as the ESP8266 boot ROM copies an image's IRAM/DRAM
// segments), so there is nothing to copy: set VECBASE, clear .bss, start the clock, run constructors, run
// main, exit with its result through semihosting. Static destructors never run (firmware does not return from
// main; see cxx_runtime.cpp's __cxa_atexit).
#include <stdint.h>

extern char _weft_vectors[];
extern char _bss_start[], _bss_end[];
extern void (*__preinit_array_start[])(void);
extern void (*__preinit_array_end[])(void);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

int main(void);
void weft_lx106_exit(int code) __attribute__((noreturn));
void weft_lx106_board_init(void);
void _weft_start(void) __attribute__((noreturn));

void _weft_start(void) {
  __asm__ volatile("wsr %0, vecbase\n\trsync" : : "a"(_weft_vectors) : "memory");
  // Word stores: the linker script aligns .bss to 8 bytes at both ends.
  for (uint32_t* p = (uint32_t*)_bss_start; p < (uint32_t*)_bss_end; ++p)
    *(volatile uint32_t*)p = 0;
  weft_lx106_board_init();  // clock and watchdog tick (ccount_clock.cpp)
  for (void (**f)(void) = __preinit_array_start; f < __preinit_array_end; ++f)
    (*f)();
  for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f)
    (*f)();
  weft_lx106_exit(main());
}
