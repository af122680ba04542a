# weft_add_app(<name> SOURCES <files...>): one call builds an app for the configured board.
function(weft_add_app name)
  cmake_parse_arguments(APP "" "" "SOURCES" ${ARGN})
  add_executable(${name} ${APP_SOURCES})
  target_link_libraries(${name} PRIVATE weft::framework weft::board weft_warnings weft_embedded_flags)
  # Build-time credentials (apps/common/app_config.hpp): macros of the same names when set.
  foreach(setting WEFT_WIFI_SSID WEFT_WIFI_PASSWORD WEFT_BLYNK_TOKEN WEFT_BLYNK_SERVER WEFT_BLYNK_BRIDGE_TOKEN
                  WEFT_BLYNK_LOGIN WEFT_BLYNK_TLS)
    if(NOT "${${setting}}" STREQUAL "")
      target_compile_definitions(${name} PRIVATE "${setting}=\"${${setting}}\"")
    endif()
  endforeach()
  if(COMMAND weft_esp8266_firmware)  # board/esp8266: the flash images and the size report too
    weft_esp8266_firmware(${name})
  endif()
endfunction()
