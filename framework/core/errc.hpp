// The error codes of weft: one small enum shared by every layer, so a result is two bytes, not a string.
// to_string() gives the clear message a log line or a test failure prints.
#pragma once
#include <cstdint>

namespace weft {

enum class Errc : std::uint8_t {
  ok = 0,
  // scheduling
  cancelled,         // the task (or the operation's scope) was cancelled
  timed_out,         // a deadline passed first
  no_memory,         // the frame arena (or another fixed pool) is full
  loop_stopped,      // the loop was stopped: nothing can be spawned or run on it any more
  already_awaited,   // a Task or join handle was awaited a second time
  invalid_argument,  // e.g. a negative or out-of-range duration
  would_block,       // a try_ operation that would have had to wait
  deadlock,          // virtual time: every task waits and nothing can ever wake one
  closed,            // the queue, stream or session was closed
  busy,              // the resource allows one waiter and already has one
  // I/O (used by framework/io and the boards)
  refused,         // connection refused
  reset,           // connection reset by the peer
  unreachable,     // network or host unreachable
  name_not_found,  // DNS: no such host
  io_error,        // any other I/O failure
  too_large,       // input larger than the limit it must fit in
  protocol_error,  // the peer sent something malformed
  // TLS (framework/net/tls): why a server was not trusted, or the session failed
  cert_untrusted,   // the certificate is not signed by a trusted CA (or none was given)
  cert_expired,     // the certificate is expired or not yet valid
  cert_wrong_host,  // the certificate names another host
  tls_error,        // a TLS failure: handshake refused, bad record, alert (logged with mbedTLS' reason)
};

[[nodiscard]] const char* to_string(Errc e);

}  // namespace weft
