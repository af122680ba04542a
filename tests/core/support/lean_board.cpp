// The board of the core tests built with the other WEFT_TASK_STATS setting (tests/core/CMakeLists.txt): the
// Linux driver on the real clock, without the simulated world that board/linux's default_driver() brings.
#include "linux/linux_driver.hpp"

namespace weft {

Driver& default_driver() {
  static linux_board::LinuxDriver driver;
  return driver;
}

}  // namespace weft
