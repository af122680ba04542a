// TcpListener: a listening TCP socket; accept() is an awaitable (asyncio's start_server, written as a loop).
//
//   weft::Result<weft::TcpListener> l = weft::TcpListener::listen(weft::Endpoint::v4(0, 0, 0, 0, 8080));
//   if (!l) co_return l.error();
//   for (;;) {                                              // the accept loop
//     weft::Result<weft::TcpStream> c = co_await l->accept();
//     if (!c) break;                                        // closed, cancelled, io_error (e.g. out of fds)
//     loop.spawn(serve(std::move(*c)), "client");           // one task per connection
//   }
//
// accept() takes a pending connection at once, or suspends until one arrives (an idle listener costs
// nothing). One accept at a time (a second concurrent one gets Errc::busy). Cancel-safe: a cancelled or
// timed-out accept takes no connection (it stays queued for the next accept); a connection already taken
// when the cancel arrives is returned (the task sees the cancellation at its next await).
// Closing or destroying the listener ends a waiting accept with Errc::closed; accepted streams live on.
#pragma once
#include <coroutine>
#include <utility>

#include "endpoint.hpp"
#include "socket_op.hpp"
#include "socket_port.hpp"
#include "tcp_stream.hpp"

namespace weft {

class TcpListener {
 public:
  class AcceptAwaiter;

  TcpListener() = default;  // not listening: accept() fails with Errc::closed
  TcpListener(TcpListener&& o) noexcept : socket_(o.socket_) { o.socket_ = nullptr; }
  TcpListener& operator=(TcpListener&& o) noexcept;
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;
  ~TcpListener() { close(); }

  // Binds and listens at once (no waiting). Port 0 picks a free port: see local_endpoint().
  // Errors: invalid_argument (negative backlog), io_error (address in use, no permission: logged).
  [[nodiscard]] static Result<TcpListener> listen(const Endpoint& at, int backlog = 16,
                                                  SocketPort& port = default_socket_port());

  // Result<TcpStream>: the next connection, or closed / cancelled / timed_out / busy / io_error.
  [[nodiscard]] AcceptAwaiter accept();

  void close();  // idempotent
  [[nodiscard]] bool is_open() const { return socket_ != nullptr; }
  [[nodiscard]] Result<Endpoint> local_endpoint() const;
  [[nodiscard]] int native_handle() const { return socket_ != nullptr ? socket_->handle() : -1; }

 private:
  explicit TcpListener(NativeSocket* s) : socket_(s) {}
  NativeSocket* socket_ = nullptr;
};

class [[nodiscard]] TcpListener::AcceptAwaiter : detail::SocketOp {
 public:
  AcceptAwaiter(AcceptAwaiter&& o) noexcept
      : SocketOp(static_cast<SocketOp&&>(o)), accepted_(std::exchange(o.accepted_, nullptr)) {}
  ~AcceptAwaiter() {
    if (accepted_ != nullptr) accepted_->destroy();
  }
  bool await_ready() { return start(); }
  bool await_suspend(std::coroutine_handle<> h) { return wait(h); }
  Result<TcpStream> await_resume();

 private:
  friend class TcpListener;
  explicit AcceptAwaiter(NativeSocket* const* listener) : SocketOp(listener, Side::read, &attempt, true) {}
  static bool attempt(SocketOp& op);
  NativeSocket* accepted_ = nullptr;  // until handed to the TcpStream
};

}  // namespace weft
