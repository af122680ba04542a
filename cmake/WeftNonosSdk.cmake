# weft_find_nonos_sdk(<out-var>): the ESP8266 NONOS SDK (3.0.x) directory, or "" when there is none.
# Looked up in order: the CMake variable WEFT_NONOS_SDK, the environment variable WEFT_NONOS_SDK, then
# ../shared/sdk/esp8266-nonos-sdk-3.0.6 beside the repository (where CI keeps it). The SDK is never copied into
# the repository. WEFT_NONOS_SDK_HINT is the one line to print when it is missing.
include_guard(GLOBAL)
set(WEFT_NONOS_SDK_HINT
    "set WEFT_NONOS_SDK=<dir> (CMake or environment) to a checkout of github.com/espressif/ESP8266_NONOS_SDK v3.0.x")
function(weft_find_nonos_sdk out)
  set(sdk "${WEFT_NONOS_SDK}")
  if(NOT sdk AND DEFINED ENV{WEFT_NONOS_SDK})
    set(sdk "$ENV{WEFT_NONOS_SDK}")
  endif()
  if(NOT sdk)
    get_filename_component(sdk "${PROJECT_SOURCE_DIR}/../shared/sdk/esp8266-nonos-sdk-3.0.6" ABSOLUTE)
  endif()
  if(NOT EXISTS "${sdk}/include/user_interface.h" OR NOT EXISTS "${sdk}/lib/libmain.a")
    set(sdk "")
  endif()
  set(${out} "${sdk}" PARENT_SCOPE)
endfunction()
