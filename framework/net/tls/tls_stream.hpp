// TlsStream: a TLS 1.2 session (mbedTLS) over a TcpStream, as a byte stream of awaitables: the client side
// (connect / handshake: the server is verified) or the server side (accept: a TlsIdentity is shown).
//
//   weft::net::TlsStream tls;
//   Status s = co_await tls.connect("blynk.cloud", 443, weft::sec(10), weft::net::TlsConfig{});
//   if (!s) co_return s;                 // name_not_found, refused, timed_out, cert_untrusted, cert_expired,
//                                        // cert_wrong_host, tls_error (each logged with its reason)
//   IoResult w = co_await tls.write_all("GET / HTTP/1.1\r\n...");
//   char buf[256];
//   IoResult r = co_await tls.read_some(buf, weft::sec(5));
//
//   Status s = co_await tls.accept(std::move(client), identity, weft::sec(10));   // a server's side
//
// Never blocks the loop: mbedTLS runs over non-blocking BIO callbacks. When mbedTLS wants bytes the
// callback notes where (into mbedTLS' own record buffer, no copy) and answers WANT_READ; the stream then
// awaits TcpStream::read_some into that very place and calls mbedTLS again, whose retry asks for the same
// place and gets the count. Writes go the same way through TcpStream::write_all. A waiting TLS stream costs
// what a waiting TcpStream costs.
//
// Bounded: connect() gives its timeout to the name lookup and the TCP connect, then the handshake has
// TlsConfig::handshake_timeout (Errc::timed_out, logged "handshake timed out"). The handshake yields to the
// loop between its steps; one step's public-key work runs in one slice (on the chip: seconds). read_some and write_all take
// an optional timeout per wait on the socket (Errc::timed_out). Record buffers: mbedTLS' (16 KB each way on
// hosted builds; WEFT_TLS_RECORD_BYTES on the chip); TlsConfig::max_fragment asks the server for smaller records.
//
// One read and one write may be in progress at a time (two tasks); a second one gets Errc::busy.
// Cancel-safety: a cancelled or timed-out read_some takes nothing (the partial record stays with mbedTLS
// and the next read continues it). A write cancelled part-way may leave half a record on the wire: close
// the stream. Errors: as TcpStream's (closed, reset, ...), plus tls_error (a bad record, an alert; logged).
// Not movable (mbedTLS keeps a pointer to it). close() and the destructor close the socket without
// close_notify (it could not wait for the socket); close_notify() sends it first. Cost: mbedTLS' context and
// buffers on the heap per connection.
//
// Server side: accept() asks for no client certificate, keeps no session cache (each connection makes a full
// handshake) and honours a client's MFLN request. A client that stalls, sends no TLS or fails the
// handshake costs one log line and ends with timed_out / tls_error / closed.
#pragma once
#include <mbedtls/ssl.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/time.hpp"
#include "io/io_result.hpp"
#include "io/socket_port.hpp"
#include "io/tcp_stream.hpp"
#include "tls_config.hpp"
#include "tls_identity.hpp"

namespace weft::net {

class TlsStream {
 public:
  TlsStream();
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // Resolves `host`, connects (both within `timeout`), then handshakes and verifies `host` per `config`.
  [[nodiscard]] Task<Status> connect(std::string_view host, std::uint16_t port, Micros timeout,
                                     const TlsConfig& config, SocketPort& sockets = default_socket_port());
  // Handshakes over a connected stream (adopted; closed on failure); `host` is the name to verify and to
  // send as SNI (a numeric address: no SNI, the certificate must name the address).
  [[nodiscard]] Task<Status> handshake(TcpStream tcp, std::string_view host, const TlsConfig& config);
  // The server's side over an accepted stream (adopted; closed on failure): shows `identity` (which must
  // outlive the stream) and handshakes within `timeout` (Errc::timed_out, logged with the peer's address).
  [[nodiscard]] Task<Status> accept(TcpStream tcp, const TlsIdentity& identity, Micros timeout);

  // At least one byte of plaintext, or Errc::closed at the end of the stream (close_notify or EOF).
  [[nodiscard]] Task<IoResult> read_some(std::span<char> into, Micros timeout = kForever);
  // Every byte, or an error with `count` accepted by TLS.
  [[nodiscard]] Task<IoResult> write_all(std::string_view data, Micros timeout = kForever);
  // Sends close_notify (the peer learns the stream ended whole), then half-closes the socket; reads go on.
  // Errors: closed, busy (a write_all is in progress), timed_out, the socket's.
  [[nodiscard]] Task<Status> close_notify(Micros timeout);
  void close();
  [[nodiscard]] bool is_open() const { return open_; }
  [[nodiscard]] Result<Endpoint> peer_endpoint() const { return tcp_.peer_endpoint(); }
  // mbedTLS' record size for this connection (after MFLN): what one record may carry.
  [[nodiscard]] std::size_t max_record() const;

 private:
  struct Pending {  // one BIO call that answered WANT_*: where mbedTLS wants bytes from / to
    unsigned char* at = nullptr;
    std::size_t want = 0;
    std::size_t done = 0;  // moved by the socket, to hand to mbedTLS at its retry
  };
  static int on_send(void* self, const unsigned char* buf, std::size_t len);
  static int on_recv(void* self, unsigned char* buf, std::size_t len);
  Task<Status> fill(Micros deadline);            // the socket read mbedTLS asked for
  Task<Status> flush(Micros deadline);           // the socket write mbedTLS asked for
  Task<Status> drive(int why, Micros deadline);  // WANT_READ / WANT_WRITE -> fill / flush; else the error
  Status setup(std::string_view host, const TlsConfig& config);
  Status setup_server(const TlsIdentity& identity);
  Status configure(int endpoint);
  Status attach();
  Task<Status> run_handshake(TcpStream tcp, std::string_view peer, Micros timeout);
  Errc verify_failed(std::string_view host);
  void reset();

  TcpStream tcp_;
  mbedtls_ssl_context ssl_;
  mbedtls_ssl_config conf_;
  Pending rx_;
  Pending tx_;
  bool open_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool flushing_ = false;
};

// Maps a failed mbedTLS call to an Errc and logs the reason (mbedTLS' own text) with `what` as context.
Errc tls_failure(int mbedtls_error, const char* what);

}  // namespace weft::net
