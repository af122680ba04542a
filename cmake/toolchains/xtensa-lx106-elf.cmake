# Toolchain: the ESP8266's Xtensa lx106 core, with Debian's packages only:
#   gcc-xtensa-lx106 binutils-xtensa-lx106 picolibc-xtensa-lx106-elf gcc-12-source (+ qemu-system-misc to run)
#
#   cmake --preset lx106          (or: cmake -S . -B build/lx106 --toolchain cmake/toolchains/xtensa-lx106-elf.cmake
#                                      -DWEFT_BOARD=lx106_qemu -DCMAKE_BUILD_TYPE=MinSizeRel)
#
# The flags are those of a real ESP8266 firmware build: -Os, -mlongcalls (flash code at 0x402xxxxx calls IRAM
# at 0x401xxxxx, beyond call0's reach), no exceptions/RTTI, one section per function/object and
# --gc-sections. Debian's cross gcc has no C++ standard library headers: cmake/lx106/Lx106Target.cmake
# (run right after project()) generates them once into the build tree; see docs in lx106.md.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR xtensa)

set(WEFT_LX106_TRIPLE xtensa-lx106-elf)
find_program(WEFT_LX106_GCC ${WEFT_LX106_TRIPLE}-gcc)
find_program(WEFT_LX106_GXX ${WEFT_LX106_TRIPLE}-g++)
if(NOT WEFT_LX106_GCC OR NOT WEFT_LX106_GXX)
  message(FATAL_ERROR "xtensa-lx106-elf-gcc/g++ not found: apt-get install gcc-xtensa-lx106 binutils-xtensa-lx106 "
                      "picolibc-xtensa-lx106-elf")
endif()
set(CMAKE_C_COMPILER ${WEFT_LX106_GCC})
set(CMAKE_CXX_COMPILER ${WEFT_LX106_GXX})
set(CMAKE_ASM_COMPILER ${WEFT_LX106_GCC})
set(CMAKE_OBJCOPY ${WEFT_LX106_TRIPLE}-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE ${WEFT_LX106_TRIPLE}-size CACHE FILEPATH "")

set(WEFT_LX106_PICOLIBC_SPECS /usr/lib/xtensa-lx106-elf/picolibc.specs)
if(NOT EXISTS ${WEFT_LX106_PICOLIBC_SPECS})
  message(FATAL_ERROR "${WEFT_LX106_PICOLIBC_SPECS} not found: apt-get install picolibc-xtensa-lx106-elf")
endif()

# Compiler checks only compile: linking needs the board's linker script and startup.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(_weft_lx106_common "-specs=${WEFT_LX106_PICOLIBC_SPECS} -mlongcalls -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "${_weft_lx106_common}")
set(CMAKE_ASM_FLAGS_INIT "${_weft_lx106_common}")
set(CMAKE_CXX_FLAGS_INIT
    "${_weft_lx106_common} -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-asynchronous-unwind-tables")
# CMake appends its defaults (-Os -DNDEBUG, -O3 -DNDEBUG, -g): debug info costs no flash, helps addr2line.
foreach(lang C CXX ASM)
  set(CMAKE_${lang}_FLAGS_MINSIZEREL_INIT "-g")
  set(CMAKE_${lang}_FLAGS_RELEASE_INIT "-g")
  set(CMAKE_${lang}_FLAGS_DEBUG_INIT "-Og")
endforeach()
# The board supplies _start's replacement (startup.c) and the linker script (board/lx106_qemu).
# (The compile flags, -specs included, are on the link line too.)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles -Wl,--gc-sections")
# Link C++ with the C driver: g++ would add -lstdc++, which does not exist for this target (the headers are
# used header-only; the board supplies the few runtime functions, see board/lx106_qemu/runtime.cpp).
set(CMAKE_CXX_LINK_EXECUTABLE
    "<CMAKE_C_COMPILER> <FLAGS> <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Right after project(): C++ headers, board defines, default build type, testing under QEMU.
set(CMAKE_PROJECT_INCLUDE ${CMAKE_CURRENT_LIST_DIR}/../lx106/Lx106Target.cmake)
