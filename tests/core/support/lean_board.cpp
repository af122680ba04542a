// The board of the core tests built with the other WEFT_TASK_STATS setting (tests/core/CMakeLists.txt): the
// LinuxClock (real clock, epoll), without the simulated world that board/linux's default_clock_port() brings.
#include "linux/linux_clock.hpp"

namespace weft {

ClockPort& default_clock_port() {
  return linux_board::linux_clock();
}

IoPoller* default_io_poller() {
  return &linux_board::linux_clock();
}

}  // namespace weft
