# weft_add_app(<name> SOURCES <files...>): one call builds an app for the configured board.
function(weft_add_app name)
  cmake_parse_arguments(APP "" "" "SOURCES" ${ARGN})
  add_executable(${name} ${APP_SOURCES})
  target_link_libraries(${name} PRIVATE weft::framework weft::board weft_warnings weft_embedded_flags)
endfunction()
