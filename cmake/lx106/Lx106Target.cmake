# Runs right after project() in a tree configured with cmake/toolchains/xtensa-lx106-elf.cmake (the toolchain
# sets CMAKE_PROJECT_INCLUDE to this file), so that everything below applies to framework/ as well as board/:
#   - the default board (lx106_qemu) and build type (MinSizeRel: -Os, as ESP8266 firmware is built),
#   - the target's C++ standard headers, generated once into the build tree (gen-cxx-headers.sh),
#   - ctest, which runs the target test ELFs under QEMU (board/lx106_qemu).
if(CMAKE_PROJECT_NAME STREQUAL "CMAKE_TRY_COMPILE")
  return()
endif()
include_guard(GLOBAL)

set(WEFT_BOARD "lx106_qemu" CACHE STRING "board/<name> to build for")
if(WEFT_BOARD STREQUAL "linux")
  message(FATAL_ERROR "WEFT_BOARD=linux cannot be built with the xtensa-lx106-elf toolchain: use WEFT_BOARD=lx106_qemu "
                      "or WEFT_BOARD=esp8266")
endif()
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE MinSizeRel CACHE STRING "Build type (MinSizeRel = -Os, as ESP8266 firmware)" FORCE)
endif()

# --- C++ standard headers for the target (Debian's gcc-xtensa-lx106 ships none) ---
string(REGEX MATCH "^[0-9]+" _weft_gcc_major "${CMAKE_CXX_COMPILER_VERSION}")
set(WEFT_GCC_SOURCE_TARBALL "" CACHE FILEPATH
    "GCC ${_weft_gcc_major} source tarball the lx106 C++ headers are generated from (Debian: gcc-${_weft_gcc_major}-source)")
set(_weft_tarball "${WEFT_GCC_SOURCE_TARBALL}")
if(NOT _weft_tarball)
  file(GLOB _weft_tarball "/usr/src/gcc-${_weft_gcc_major}/gcc-${CMAKE_CXX_COMPILER_VERSION}*.tar.*")
  list(GET _weft_tarball 0 _weft_tarball)
endif()
set(_weft_hdr_dir "${CMAKE_BINARY_DIR}/lx106-cxx-headers")
set(_weft_hdr_script "${CMAKE_CURRENT_LIST_DIR}/gen-cxx-headers.sh")
file(SHA256 "${_weft_hdr_script}" _weft_script_hash)
set(_weft_hdr_key "${CMAKE_CXX_COMPILER};${CMAKE_CXX_COMPILER_VERSION};${_weft_tarball};${_weft_script_hash}")
set(_weft_hdr_have "")
if(EXISTS "${_weft_hdr_dir}/stamp")
  file(READ "${_weft_hdr_dir}/stamp" _weft_hdr_have)
endif()
if(NOT _weft_hdr_have STREQUAL _weft_hdr_key)
  if(NOT _weft_tarball OR NOT EXISTS "${_weft_tarball}")
    message(FATAL_ERROR "lx106: no GCC ${CMAKE_CXX_COMPILER_VERSION} source tarball to generate the C++ headers from: "
                        "apt-get install gcc-${_weft_gcc_major}-source (or set WEFT_GCC_SOURCE_TARBALL)")
  endif()
  message(STATUS "lx106: generating the target's C++ standard headers from ${_weft_tarball} (about a minute)")
  execute_process(
    COMMAND sh "${_weft_hdr_script}" "${_weft_hdr_dir}" "${_weft_tarball}" "${CMAKE_C_COMPILER}" "${CMAKE_CXX_COMPILER}"
    RESULT_VARIABLE _weft_rc)
  if(NOT _weft_rc EQUAL 0)
    message(FATAL_ERROR "lx106: generating the C++ headers failed (see the messages above)")
  endif()
  file(WRITE "${_weft_hdr_dir}/stamp" "${_weft_hdr_key}")
endif()
set(WEFT_LX106_GCC_SOURCE "${_weft_tarball}")  # board/lx106_qemu also builds libgcc's soft-float from it
set(WEFT_LX106_CXX_INCLUDE "${_weft_hdr_dir}/include/c++/${CMAKE_CXX_COMPILER_VERSION}")
add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:-isystem${WEFT_LX106_CXX_INCLUDE}>"
                    "$<$<COMPILE_LANGUAGE:CXX>:-isystem${WEFT_LX106_CXX_INCLUDE}/xtensa-lx106-elf>")

enable_testing()
