// TcpStream: a connected TCP socket whose operations are awaitables (asyncio's StreamReader/StreamWriter).
//
//   weft::Result<weft::TcpStream> s = co_await weft::TcpStream::connect(server, weft::sec(5));
//   if (!s) co_return s.error();                          // refused, timed_out, unreachable, ...
//   weft::IoResult w = co_await s->write_all("ping\n");
//   char reply[5];
//   weft::IoResult r = co_await weft::wait_for(s->read_exactly(reply), weft::ms(500));
//
// Every operation first tries at once (no suspension when the data or the space is there), and otherwise
// suspends the task until the board reports readiness: a task waiting on a socket costs nothing while idle,
// and a slow peer suspends the writer (write_all never spins and never buffers: it sends from your buffer).
// One read and one write may be in progress at a time (from different tasks); a second concurrent read or
// write gets Errc::busy. Reads and writes report IoResult{count, error}: `count` is valid on every error.
//
// Cancel-safety (cancellation or wait_for timeout, error cancelled / timed_out):
//   read_some / read_exactly  the bytes already read are in your buffer and counted; nothing else is taken
//                             from the socket, so the next read continues right after them.
//   write_all                 the first `count` bytes were handed to the stack (they will be sent); the rest
//                             were not: write them again to continue.
//   connect                   the half-open socket is closed; nothing is left behind.
// Errors: closed (end of stream on read, or the stream is not open / was closed while waiting), reset (the
// peer reset or is gone; SIGPIPE is never raised), refused, timed_out, unreachable, busy, io_error.
//
// Lifetime: an awaiter refers to its stream: keep the stream alive until the await returns. Closing or
// destroying the stream ends a waiting read/write with Errc::closed. Moving a stream keeps its waiting ops.
// Cost: one non-blocking attempt per operation when ready; no allocation (the board may allocate per socket).
#pragma once
#include <concepts>
#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/wait_for.hpp"
#include "endpoint.hpp"
#include "io_result.hpp"
#include "socket_op.hpp"
#include "socket_port.hpp"

namespace weft {

class BufferedReader;

class TcpStream {
 public:
  class ConnectAwaiter;
  class ReadAwaiter;
  class WriteAwaiter;

  TcpStream() = default;  // not connected: every operation fails with Errc::closed
  explicit TcpStream(NativeSocket* adopted) : socket_(adopted) {}
  TcpStream(TcpStream&& o) noexcept : socket_(o.socket_) { o.socket_ = nullptr; }
  TcpStream& operator=(TcpStream&& o) noexcept;
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;
  ~TcpStream() { close(); }

  // Connects to `to`. Result<TcpStream>: the stream, or refused / unreachable / timed_out (the stack gave
  // up) / reset / io_error. With `timeout`: also Errc::timed_out once it passes (the attempt is abandoned).
  [[nodiscard]] static ConnectAwaiter connect(const Endpoint& to, SocketPort& port = default_socket_port());
  [[nodiscard]] static WaitFor<ConnectAwaiter> connect(const Endpoint& to, Micros timeout,
                                                       SocketPort& port = default_socket_port());

  // At least one byte (up to into.size()): count > 0, or Errc::closed with count 0 at end of stream.
  // An empty `into` completes at once with count 0.
  [[nodiscard]] ReadAwaiter read_some(std::span<char> into);
  // Exactly into.size() bytes: ok, or an error with the bytes read so far in `count` (closed: the stream
  // ended early).
  [[nodiscard]] ReadAwaiter read_exactly(std::span<char> into);
  // Every byte of `data`, suspending while the peer does not keep up: ok, or an error with `count` sent.
  // Text and std::string convert to string_view (a char array is text: it ends at its first NUL), so pass
  // binary buffers as a std::span or as {data, size}.
  [[nodiscard]] WriteAwaiter write_all(std::string_view data);
  template <typename C, std::size_t E>
  requires std::same_as < std::remove_const_t<C>,
  char > [[nodiscard]] WriteAwaiter write_all(std::span<C, E> data);

  // Half-close: sends FIN after the data already written; reads go on until the peer closes its side.
  // Errors: closed (not open), busy (a write_all is in progress: let it finish first), io_error.
  Status shutdown_write();
  // Closes at once (the stack still sends what was written). Waiting ops end with Errc::closed. Idempotent.
  void close();

  [[nodiscard]] bool is_open() const { return socket_ != nullptr; }
  [[nodiscard]] Result<Endpoint> local_endpoint() const;
  [[nodiscard]] Result<Endpoint> peer_endpoint() const;
  // The board's handle (a file descriptor on Linux), -1 when closed: for socket options this API lacks.
  [[nodiscard]] int native_handle() const { return socket_ != nullptr ? socket_->handle() : -1; }

 private:
  friend class BufferedReader;
  NativeSocket* socket_ = nullptr;
};

class [[nodiscard]] TcpStream::ConnectAwaiter : detail::SocketOp {
 public:
  ConnectAwaiter(const Endpoint& to, SocketPort& port)
      : SocketOp(nullptr, Side::write, &attempt, false), to_(to), port_(&port) {}
  ConnectAwaiter(ConnectAwaiter&& o) noexcept
      : SocketOp(static_cast<SocketOp&&>(o)),
        to_(o.to_),
        port_(o.port_),
        owned_(std::exchange(o.owned_, nullptr)) {}
  ~ConnectAwaiter();

  bool await_ready();
  bool await_suspend(std::coroutine_handle<> h) { return wait(h); }
  Result<TcpStream> await_resume();

 private:
  static bool attempt(SocketOp& op);
  Endpoint to_;
  SocketPort* port_;
  NativeSocket* owned_ = nullptr;  // until handed to the TcpStream
};

// read_some / read_exactly (and BufferedReader's reads, which drain its buffer first).
class [[nodiscard]] TcpStream::ReadAwaiter : detail::SocketOp {
 public:
  ReadAwaiter(ReadAwaiter&&) noexcept = default;
  bool await_ready() { return start(); }
  bool await_suspend(std::coroutine_handle<> h) { return wait(h); }
  IoResult await_resume() { return {count_, error()}; }

 private:
  friend class TcpStream;
  friend class BufferedReader;
  ReadAwaiter(NativeSocket* const* socket, std::span<char> into, bool exactly,
              BufferedReader* buffer = nullptr)
      : SocketOp(socket, Side::read, &attempt, true), into_(into), buffer_(buffer), exactly_(exactly) {}
  static bool attempt(SocketOp& op);
  std::span<char> into_;
  BufferedReader* buffer_;
  std::size_t count_ = 0;
  bool exactly_;
};

class [[nodiscard]] TcpStream::WriteAwaiter : detail::SocketOp {
 public:
  WriteAwaiter(WriteAwaiter&&) noexcept = default;
  bool await_ready() { return start(); }
  bool await_suspend(std::coroutine_handle<> h) { return wait(h); }
  IoResult await_resume() { return {count_, error()}; }

 private:
  friend class TcpStream;
  WriteAwaiter(NativeSocket* const* socket, std::string_view data)
      : SocketOp(socket, Side::write, &attempt, true), data_(data) {}
  static bool attempt(SocketOp& op);
  std::string_view data_;
  std::size_t count_ = 0;
};

template <typename C, std::size_t E>
requires std::same_as < std::remove_const_t<C>,
char > TcpStream::WriteAwaiter TcpStream::write_all(std::span<C, E> data) {
  return write_all(std::string_view(data.data(), data.size()));
}

}  // namespace weft
