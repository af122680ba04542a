# Defaults the lx106_qemu board gives the framework before it is configured (included by the top-level
# CMakeLists.txt). The ESP8266 leaves ~40-50 KB of heap to an application: the frame arena is sized for that.
set(WEFT_BOARD_DEFAULT_ARENA_BYTES 16384)
# WEFT_IRAM (framework/core/iram.hpp) places hot code in IRAM (lx106_qemu.ld maps .iram.text.*). One core and
# no threads: no thread_local (it would need emulated TLS through libgcc's __emutls).
add_compile_definitions(WEFT_IRAM_SECTIONS=1 WEFT_THREAD_LOCAL=)
