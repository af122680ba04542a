// The chip's socket port: lwIP's raw TCP API (board/esp8266/lwip) woken through the board's clock port.
#include "io/socket_port.hpp"
#include "core/clock_port.hpp"
#include "lwip_socket_port.hpp"

namespace weft {
SocketPort& default_socket_port() {
  static lwip::LwipSocketPort port(default_clock_port());
  return port;
}
}  // namespace weft
