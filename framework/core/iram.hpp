// WEFT_IRAM: puts a function in the chip's instruction RAM instead of flash.
//
// On the ESP8266, code normally runs from SPI flash through a 32 KiB cache: a cache miss costs tens of cycles
// per line, and while the flash is written (or erased) the cache is off and flash code cannot run at all, so
// interrupt handlers and the scheduler's hot path (ready queue, resume, timer expiry) belong in IRAM (32 KiB,
// zero wait states). Mark only what is hot: IRAM is small and shared with the SDK.
//
//   WEFT_IRAM void Loop::run_batch() { ... }   (core/loop.cpp: the batch walk, one switch per turn)
//
// The board decides: a board whose linker script maps `.iram.text.*` to IRAM (board/lx106_qemu) defines
// WEFT_IRAM_SECTIONS, and the macro becomes a section attribute, one section per use so --gc-sections can
// still drop unused functions. Everywhere else (Linux) it expands to nothing. Under QEMU it is harmless: IRAM
// and flash run at the same speed there; the placement shows in the link map and the size table.
#pragma once

#if defined(WEFT_IRAM_SECTIONS)
#define WEFT_IRAM_STR2(x) #x
#define WEFT_IRAM_STR(x) WEFT_IRAM_STR2(x)
#define WEFT_IRAM \
  __attribute__((section(".iram.text." WEFT_IRAM_STR(__LINE__) "." WEFT_IRAM_STR(__COUNTER__))))
#else
#define WEFT_IRAM
#endif
