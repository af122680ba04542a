// Transport: the byte stream a Blynk session talks through: plain TCP, TLS, or a test pipe.
//
//   TcpTransport (tcp_transport.hpp)  plain TCP over framework/io (blynk.cloud:80, local servers :8080)
//   TlsTransport (tls_transport.hpp)  TLS over framework/net/tls (blynk.cloud:443, weft-cloud --tls-port)
//   tests                             an in-memory pipe on a virtual clock (tests/blynk/memory_network.hpp)
//
// The session owns the order of calls: open -> (read_some | write_all)* -> close -> open ... One read and one
// write may be in progress at a time, from two different tasks (the session's reader and writer).
//
// Contract, per operation:
//   open       resolves `host` and connects within `timeout` (the whole of it: lookup plus handshake).
//              Errors: name_not_found, timed_out, refused, unreachable, reset, io_error, invalid_argument
//              (a bad host name). A transport that is open is closed first.
//   read_some  at least one byte: IoResult{count > 0}, or Errc::closed at end of stream (count 0), reset, ...
//              Cancel-safe: a cancelled read takes nothing from the stream (its bytes stay for the next
//              read).
//   write_all  every byte, or an error with `count` sent. Cancelled: `count` bytes were sent, the rest not.
//   close      at once; a read or write in progress ends with Errc::closed. Idempotent.
// The tasks returned are lazy (nothing happens until awaited) and refer to the transport and to the buffers
// passed in: keep both alive until the await returns.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/time.hpp"
#include "io/io_result.hpp"

namespace weft::blynk {

class Transport {
 public:
  [[nodiscard]] virtual Task<Status> open(std::string_view host, std::uint16_t port, Micros timeout) = 0;
  [[nodiscard]] virtual Task<IoResult> read_some(std::span<char> into) = 0;
  [[nodiscard]] virtual Task<IoResult> write_all(std::string_view data) = 0;
  virtual void close() = 0;
  [[nodiscard]] virtual bool is_open() const = 0;

 protected:
  Transport() = default;
  ~Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
};

}  // namespace weft::blynk
