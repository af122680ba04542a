#include "errc.hpp"

namespace weft {

namespace {
// Every message in enum order, each ended by its '\0', then the one for an out-of-range value: one array
// and a walk instead of a table of pointers (on the ESP8266, .rodata is DRAM: 4 bytes a code saved).
constexpr char kMessages[] =
    "ok\0"
    "cancelled\0"
    "timed out\0"
    "out of memory: the frame arena or a pool is full (raise WEFT_FRAME_ARENA_BYTES or the pool size)\0"
    "loop stopped: nothing more can be spawned or run on it\0"
    "already awaited: a task's result can be taken once\0"
    "invalid argument\0"
    "would block\0"
    "deadlock: every task waits and nothing can wake one (virtual time)\0"
    "closed\0"
    "busy: another task already waits here\0"
    "connection refused\0"
    "connection reset by peer\0"
    "network unreachable\0"
    "host name not found\0"
    "I/O error\0"
    "too large\0"
    "protocol error\0"
    "TLS: server certificate not trusted (unknown CA, or no CA given)\0"
    "TLS: server certificate expired or not yet valid\0"
    "TLS: server certificate is for another host name\0"
    "TLS error (handshake or record failure)\0"
    "unknown error";
constexpr unsigned kUnknown = static_cast<unsigned>(Errc::tls_error) + 1;

constexpr unsigned message_count() {
  unsigned n = 0;
  for (char c : kMessages)
    n += c == '\0' ? 1 : 0;
  return n;
}
static_assert(message_count() == kUnknown + 1, "one message per Errc, in order, then \"unknown error\"");
}  // namespace

const char* to_string(Errc e) {
  unsigned n = static_cast<unsigned>(e) < kUnknown ? static_cast<unsigned>(e) : kUnknown;
  const char* p = kMessages;
  for (; n != 0; --n) {
    while (*p++ != '\0') {
    }
  }
  return p;
}

}  // namespace weft
