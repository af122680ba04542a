// SocketOp: what every socket awaitable (read, write, accept, connect, buffered fill) shares. Internal to
// framework/io; users see the awaiters of TcpStream, TcpListener and BufferedReader.
//
//   await_ready   -> start(): the attempt runs at once; finished: no suspension, no loop round trip
//   await_suspend -> wait():   not finished: wait in the socket's read or write slot (one op per slot)
//   ready()       -> the board reports readiness: the attempt runs again, in loop context; when it finishes
//                    the node fires and the task resumes with the outcome
//   cancel/timeout-> the node unlinks from the slot; whatever the attempt already moved stays moved (the
//                    awaiter's count says how much)
//
// Fairness: an op that finishes without waiting does not suspend, so a task reading a busy socket could
// starve the others. A socket allows kFastPathBudget such ops in a row, then the next one yields once (its
// result is kept, and a cancellation that arrives meanwhile is reported with it) so the other tasks run.
#pragma once
#include <coroutine>
#include <cstddef>
#include <cstdint>

#include "core/loop.hpp"
#include "socket_port.hpp"

namespace weft::detail {

inline constexpr std::uint8_t kFastPathBudget = 16;

class SocketOp {
 public:
  SocketOp(SocketOp&&) noexcept = default;  // only before it is awaited (wait_for moves it in)
  SocketOp(const SocketOp&) = delete;
  SocketOp& operator=(const SocketOp&) = delete;
  SocketOp& operator=(SocketOp&&) = delete;
  ~SocketOp() = default;  // a linked node unlinks itself from the socket's slot

 protected:
  enum class Side : std::uint8_t { read, write };
  // Tries the operation once more; true when it has finished (outcome_ set on failure). Must check
  // may_read()/may_write() before each attempt on the socket and return false when it says no.
  using Attempt = bool (*)(SocketOp&);

  // `source`: where to find the socket when the op starts (a stream's socket member), or nullptr when the
  // op sets socket_ itself.
  SocketOp(NativeSocket* const* source, Side side, Attempt attempt, bool fair)
      : source_(source), attempt_(attempt), side_(side), fair_(fair) {}

  bool start();                          // for await_ready
  bool wait(std::coroutine_handle<> h);  // for await_suspend
  // For await_resume (once): cancelled / timed_out / closed (the socket was closed while waiting) or the
  // outcome.
  [[nodiscard]] Errc error();
  // Leaves the socket's slot without firing (an owner about to destroy the socket it waits on).
  void unlink_now();

  [[nodiscard]] bool may_read() const { return socket_->may_read_; }
  [[nodiscard]] bool may_write() const { return socket_->may_write_; }
  void mark_blocked();  // the attempt found nothing to do: skip attempts until ready()
  // One read/write on the socket that keeps the readiness hints (would_block or a short read: not ready).
  IoAttempt read_once(char* dst, std::size_t n);
  IoAttempt write_once(const char* src, std::size_t n);

  NativeSocket* socket_ = nullptr;
  Errc outcome_ = Errc::ok;

 private:
  friend class weft::NativeSocket;
  SocketOp*& slot() { return side_ == Side::read ? socket_->reader_ : socket_->writer_; }
  static void unlink(WaitNode& n);
  static void retry(SocketOp*& slot);          // from NativeSocket::ready
  static void end(SocketOp*& slot, Errc why);  // from NativeSocket::close_and_destroy

  WaitNode node_{&unlink};
  NativeSocket* const* source_;
  Attempt attempt_;
  Side side_;
  bool fair_;
  bool yield_ = false;  // finished at once, but yields for one pass (fairness budget)
  YieldAwaiter yielder_;  // the fairness yield after a streak of operations that completed at once
  Errc yield_result_ = Errc::ok;
};

}  // namespace weft::detail
