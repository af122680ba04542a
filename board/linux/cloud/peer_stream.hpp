// PeerStream: one client's connection to the cloud, plain TCP or TLS (the --tls-port): the byte stream the
// Blynk and HTTP servers read and write, whichever it is underneath.
//
//   PeerStream s(std::move(accepted));
//   if (tls) { Status h = co_await s.secure(identity, sec(10)); ... }   // the server's side of TLS
//   IoResult r = co_await s.read_some(buf, sec(5));
//
// read_some / write_all end with Errc::timed_out after `timeout` (the whole operation, kForever: none) and
// keep their streams' cancel-safety: a timed-out read takes nothing; a TLS write cut short may leave half a
// record, so a failed write means close. close() ends a read or write in progress (Errc::closed).
// The tasks' results come as Result<IoResult> (a task that could not start): net::flatten makes them one.
#pragma once
#include <memory>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "core/task.hpp"
#include "io/io_result.hpp"
#include "io/tcp_stream.hpp"
#include "net/http/connection.hpp"  // net::flatten
#include "net/tls/tls_identity.hpp"
#include "net/tls/tls_stream.hpp"

namespace weft::cloud {

class PeerStream {
 public:
  explicit PeerStream(TcpStream tcp) : tcp_(std::move(tcp)) {}

  // The TLS handshake (server side) within `timeout`; afterwards every byte goes through TLS. Errors:
  // TlsStream::accept's (timed_out, tls_error, closed: logged); the stream is then closed.
  [[nodiscard]] Task<Status> secure(const net::TlsIdentity& identity, Micros timeout);
  [[nodiscard]] Task<IoResult> read_some(std::span<char> into, Micros timeout);
  [[nodiscard]] Task<IoResult> write_all(std::string_view data, Micros timeout);
  // No more writes (TLS: close_notify first, within `timeout`); reads go on until the peer closes.
  [[nodiscard]] Task<Status> shutdown_write(Micros timeout);
  void close();

  [[nodiscard]] bool is_open() const { return tls_ ? tls_->is_open() : tcp_.is_open(); }
  [[nodiscard]] bool is_tls() const { return tls_ != nullptr; }
  [[nodiscard]] Result<Endpoint> peer_endpoint() const;

 private:
  TcpStream tcp_;                        // until secure() hands it to TLS
  std::unique_ptr<net::TlsStream> tls_;  // heap: only TLS connections pay for mbedTLS' context
};

}  // namespace weft::cloud
