#include "watchdog.hpp"

#include "core/log.hpp"
#include "port.hpp"

namespace weft::machine {

Status watchdog_start(Micros timeout) {
  if (timeout < kMinWatchdogTimeout || timeout > kMaxWatchdogTimeout) {
    log_message(LogLevel::error, "watchdog_start(%lld us): use 10 ms .. 1 h",
                static_cast<long long>(timeout));
    return Errc::invalid_argument;
  }
  default_machine_port().watchdog_start(timeout);
  return {};
}

void watchdog_feed() {
  default_machine_port().watchdog_feed();
}

}  // namespace weft::machine
