// The socket port: the narrow seam between the portable I/O layer (TcpStream, TcpListener, resolve) and a
// board's network stack (board/linux/io: non-blocking POSIX sockets and epoll; the chip: lwIP).
//
// A board implements SocketPort (opens sockets, resolves names) and NativeSocket (one socket's non-blocking
// attempts), and defines weft::default_socket_port(). Everything that waits lives on the portable side:
//
//   portable op     try the attempt (read/write/accept/connect_status) -> done, or would_block:
//                   wait in the socket's read or write slot (nothing is polled, nothing spins)
//   board           data arrived / space freed / error   ->  NativeSocket::ready(readable|writable)
//   portable side   retries the waiting op's attempt, in loop context; when it finishes, fires its WaitNode
//
// Readiness is edge-reported: the board calls ready(kReadable) on every arrival of data, a connection, a
// hang-up or an error, and ready(kWritable) whenever buffer space frees (and on connect completion, hang-up
// or error). The portable side remembers "not readable" after a would_block or a short read, and "not
// writable" after a would_block, and skips the attempt until told otherwise.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/result.hpp"
#include "endpoint.hpp"

namespace weft {

namespace detail {
class SocketOp;
}

// The outcome of one attempt: `count` bytes moved; `error` ok, Errc::would_block (try again after ready()),
// or a failure (closed = end of stream, reset, refused, ...). `drained` (reads): the board knows nothing more
// is readable now (a short read emptied the socket), so the portable side waits for ready() instead of
// asking again; leave it false when unsure (e.g. a hang-up was seen: the end of stream is still to read).
struct IoAttempt {
  std::size_t count = 0;
  Errc error = Errc::ok;
  bool drained = false;
};

enum Readiness : unsigned { kReadable = 1, kWritable = 2 };

// One socket of the board's stack. Created by SocketPort; owned by one TcpStream/TcpListener (or an awaiter
// until it hands it over); released with destroy(). Loop context only.
class NativeSocket {
 public:
  // --- Implemented by the board. None of these waits. ---
  // Up to n bytes: count > 0, Errc::closed at end of stream, would_block, or reset / io_error.
  virtual IoAttempt read(char* dst, std::size_t n) = 0;
  // Up to n bytes: count > 0, would_block, or reset (the peer is gone: never raises SIGPIPE) / io_error.
  virtual IoAttempt write(const char* src, std::size_t n) = 0;
  // A socket from SocketPort::connect: ok once connected, would_block while the handshake runs, or why it
  // failed (refused, timed_out, unreachable, reset).
  virtual Status connect_status() = 0;
  // A listener's next pending connection (already non-blocking and registered), or would_block.
  virtual Result<NativeSocket*> accept() = 0;
  // Sends FIN after the data already written; reading goes on.
  virtual Status shutdown_write() = 0;
  [[nodiscard]] virtual Result<Endpoint> local_endpoint() const = 0;
  [[nodiscard]] virtual Result<Endpoint> peer_endpoint() const = 0;
  // The board's handle (the file descriptor on Linux), for options this layer does not cover.
  [[nodiscard]] virtual int handle() const = 0;
  // Closes the socket and frees this object; ready() is never called afterwards.
  virtual void destroy() = 0;

  // --- Called by the board, in loop context. ---
  // The socket may have become readable and/or writable (a Readiness mask): retries the waiting ops.
  void ready(unsigned readiness);

  // --- For the portable layer. ---
  // Ends both waiting ops (if any) with `why` (Errc::closed), then destroy()s the socket.
  void close_and_destroy(Errc why);
  [[nodiscard]] bool write_pending() const { return writer_ != nullptr; }

 protected:
  NativeSocket() = default;
  virtual ~NativeSocket() = default;
  NativeSocket(const NativeSocket&) = delete;
  NativeSocket& operator=(const NativeSocket&) = delete;

 private:
  friend class detail::SocketOp;
  detail::SocketOp* reader_ = nullptr;  // the op waiting for kReadable (read, accept)
  detail::SocketOp* writer_ = nullptr;  // the op waiting for kWritable (write, connect)
  bool may_read_ = true;                // false: the last attempt found nothing; wait for ready()
  bool may_write_ = true;
  std::uint8_t streak_ = 0;  // ops in a row that finished without waiting (fairness budget: socket_op.hpp)
};

// A name lookup in progress. The resolver awaiter derives from it; the board completes it.
class ResolveOp {
 public:
  [[nodiscard]] const char* host() const { return host_; }  // NUL-terminated, valid until completion/cancel
  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Called by the board once, in loop context (possibly from inside SocketPort::resolve): the first IPv4
  // address of the name (IPv6 when it has none), or Errc::name_not_found / timed_out / io_error.
  void complete(Result<Endpoint> r) { on_complete_(*this, static_cast<Result<Endpoint>&&>(r)); }
  void* port_data = nullptr;  // free for the board (its lookup job)

 protected:
  using OnComplete = void (*)(ResolveOp&, Result<Endpoint>&&);
  ResolveOp(const char* host, std::uint16_t port, OnComplete on_complete)
      : host_(host), port_(port), on_complete_(on_complete) {}
  ~ResolveOp() = default;
  ResolveOp(const ResolveOp&) = default;
  ResolveOp& operator=(const ResolveOp&) = default;
  const char* host_;
  std::uint16_t port_;

 private:
  OnComplete on_complete_;
};

// The board's network stack. Loop context only.
class SocketPort {
 public:
  // Opens a socket and starts a non-blocking connection to `to`; progress through connect_status().
  // Errors found at once: refused, unreachable, invalid_argument (e.g. port 0), io_error (logged).
  virtual Result<NativeSocket*> connect(const Endpoint& to) = 0;
  // A listening socket bound to `at` (port 0: an ephemeral port; see local_endpoint()). Backlog >= 0.
  // Errors: invalid_argument, io_error (address in use, permission; logged).
  virtual Result<NativeSocket*> listen(const Endpoint& at, int backlog) = 0;
  // Starts looking up op.host(); op.complete() is called later in loop context, never from another thread.
  virtual void resolve(ResolveOp& op) = 0;
  // Drops a lookup started by resolve(): op.complete() is not called afterwards (a late answer is discarded).
  virtual void cancel_resolve(ResolveOp& op) = 0;

 protected:
  SocketPort() = default;
  ~SocketPort() = default;
  SocketPort(const SocketPort&) = delete;
  SocketPort& operator=(const SocketPort&) = delete;
};

// Defined by the board linked into the program: the stack TcpStream, TcpListener and resolve() use by
// default.
[[nodiscard]] SocketPort& default_socket_port();

}  // namespace weft
