// The Linux board's console: stderr.
#include <unistd.h>

#include <cerrno>

#include "core/console.hpp"

namespace weft {

void console_write(const char* text, std::size_t length) {
  while (length > 0) {
    ssize_t n = write(2, text, length);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return;
    }
    text += n;
    length -= static_cast<std::size_t>(n);
  }
}

}  // namespace weft
