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
//   write_all  every byte within `timeout` (kForever: no limit), or an error with `count` sent: timed_out
//              once the timeout passes, cancelled when the awaiting task is, closed, reset, ... The first
//              `count` bytes were sent, the rest not.
//   close      at once; a read or write in progress ends with Errc::closed. Idempotent.
// Every read and write ends in one IoResult (one error channel: a transport that could not start the
// operation, e.g. its coroutine frame did not fit, reports Errc::no_memory there too).
//
// Why reads and writes return a TransportOp and not a Task: the session reads and writes for as long as it
// is connected, and a Task per call would put a coroutine frame in the frame arena on every one of them. A
// TransportOp is the awaiter itself, kept in the awaiting frame, in one of three forms:
//   - TCP's own socket awaiter, held inline (TcpTransport, and the default on the chip): no frame, no
//     allocation, no virtual call after the one that made the op;
//   - a Task<IoResult>, for transports whose reads are coroutines (TLS: mbedTLS needs fill/flush steps);
//   - an IoResult known at once (a closed test pipe, a refused request).
// The timeout is a parameter of write_all rather than a wait_for around it: wait_for(Task) and wait_for(a
// single wait) cancel differently, and an op can be either; so a TransportOp cannot be moved (nor wrapped),
// and each form applies the timeout its own way (TCP: a timer on the socket wait; TLS: TlsStream's deadline).
// A template parameter on the session was the other choice; it would have made the session's connection
// code a header instantiated per transport, and the demo apps pick TCP or TLS at run time anyway.
// open stays a Task: it runs once per connection.
//
// Lifetime: an op refers to the transport and to the buffer passed in: keep both alive until the await
// returns. An op is lazy (nothing happens until awaited) and is awaited once.
#pragma once
#include <coroutine>
#include <cstdint>
#include <new>
#include <span>
#include <string_view>
#include <utility>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/time.hpp"
#include "core/wait_for.hpp"
#include "io/io_result.hpp"
#include "io/tcp_stream.hpp"

namespace weft::blynk {

// One read or write of a Transport: `co_await op` gives IoResult. `Leaf` is the TCP awaiter it can hold.
template <typename Leaf>
class [[nodiscard]] TransportOp {
 public:
  // The TCP awaiter, made in place from `args` (the op is never moved once made).
  template <typename... Args>
  explicit TransportOp(std::in_place_t, Args&&... args) : form_(Form::leaf) {
    new (&leaf_) Leaf(std::forward<Args>(args)...);
  }
  // A coroutine's read or write (an invalid Task, whose frame did not fit, gives Errc::no_memory).
  // Implicit, as is the next one, so an implementation can `return tls_.read_some(into);`.
  TransportOp(Task<IoResult>&& task) : form_(Form::task) { new (&task_) Task<IoResult>(std::move(task)); }
  // An outcome known at once.
  TransportOp(IoResult done) : form_(Form::done), done_(done) {}
  TransportOp(const TransportOp&) = delete;
  TransportOp& operator=(const TransportOp&) = delete;
  ~TransportOp() {
    if (form_ == Form::leaf) leaf_.~Leaf();
    if (form_ == Form::task) task_.~Task<IoResult>();
  }

  bool await_ready() {
    if (form_ == Form::leaf) return leaf_.await_ready();
    if (form_ == Form::task) return child().await_ready();
    return true;
  }
#if WEFT_TAIL_CALLS
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) {
    if (form_ == Form::task) return child().await_suspend(h);
    if (leaf_.await_suspend(h)) return std::noop_coroutine();
    return h;  // finished after all: go on
  }
#else
  bool await_suspend(std::coroutine_handle<> h) {
    if (form_ == Form::task) return child().await_suspend(h);
    return leaf_.await_suspend(h);
  }
#endif
  IoResult await_resume() {
    if (form_ == Form::leaf) return leaf_.await_resume();
    if (form_ == Form::done) return done_;
    Result<IoResult> r = child().await_resume();
    return r ? *r : IoResult{0, r.error()};
  }

 private:
  enum class Form : std::uint8_t { leaf, task, done };
  typename Task<IoResult>::Awaiter child() {
    return {task_.handle()};
  }

  Form form_;
  union {
    Leaf leaf_;
    Task<IoResult> task_;
    IoResult done_;
  };
};

class Transport {
 public:
  using ReadOp = TransportOp<TcpStream::ReadAwaiter>;
  using WriteOp = TransportOp<WaitFor<TcpStream::WriteAwaiter>>;

  [[nodiscard]] virtual Task<Status> open(std::string_view host, std::uint16_t port, Micros timeout) = 0;
  [[nodiscard]] virtual ReadOp read_some(std::span<char> into) = 0;
  [[nodiscard]] virtual WriteOp write_all(std::string_view data, Micros timeout) = 0;
  virtual void close() = 0;
  [[nodiscard]] virtual bool is_open() const = 0;

 protected:
  Transport() = default;
  ~Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
};

}  // namespace weft::blynk
