// The console port: where log lines go when no log sink is set (log.hpp).
#pragma once
#include <cstddef>

namespace weft {

// Defined by the board: writes console/log text (UART on the chip, stderr on Linux), all of it or what the
// device accepts, before returning. Called by log_message() from loop or program context and by a board's
// fatal paths; must not allocate.
void console_write(const char* text, std::size_t length);

}  // namespace weft
