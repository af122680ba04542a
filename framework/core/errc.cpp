#include "errc.hpp"

namespace weft {

const char* to_string(Errc e) {
  switch (e) {
    case Errc::ok:
      return "ok";
    case Errc::cancelled:
      return "cancelled";
    case Errc::timed_out:
      return "timed out";
    case Errc::no_memory:
      return "out of memory: the frame arena or a pool is full (raise WEFT_FRAME_ARENA_BYTES or the pool "
             "size)";
    case Errc::loop_stopped:
      return "the loop was stopped: nothing more can be spawned or run on it";
    case Errc::already_awaited:
      return "already awaited: a task's result can be taken once";
    case Errc::invalid_argument:
      return "invalid argument";
    case Errc::would_block:
      return "would block";
    case Errc::deadlock:
      return "deadlock: every task waits and nothing can wake one (virtual time)";
    case Errc::closed:
      return "closed";
    case Errc::busy:
      return "busy: another task already waits here";
    case Errc::refused:
      return "connection refused";
    case Errc::reset:
      return "connection reset by peer";
    case Errc::unreachable:
      return "network unreachable";
    case Errc::name_not_found:
      return "host name not found";
    case Errc::io_error:
      return "I/O error";
    case Errc::too_large:
      return "too large";
    case Errc::protocol_error:
      return "protocol error";
    case Errc::cert_untrusted:
      return "TLS: the server's certificate is not trusted (unknown CA, or no CA given)";
    case Errc::cert_expired:
      return "TLS: the server's certificate is expired or not yet valid";
    case Errc::cert_wrong_host:
      return "TLS: the server's certificate is for another host name";
    case Errc::tls_error:
      return "TLS error (handshake or record failure)";
  }
  return "unknown error";
}

}  // namespace weft
