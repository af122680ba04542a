#include "socket_op.hpp"

#include <utility>

namespace weft {
namespace detail {

bool SocketOp::start() {
  if (source_ != nullptr) socket_ = *source_;
  if (socket_ == nullptr) {
    outcome_ = Errc::closed;
    return true;
  }
  if (slot() != nullptr) {
    outcome_ = Errc::busy;  // one reader and one writer at a time
    return true;
  }
  if (!attempt_(*this)) return false;
  if (!fair_ || ++socket_->streak_ < kFastPathBudget) return true;
  socket_->streak_ = 0;
  yield_ = true;
  return false;
}

bool SocketOp::wait(std::coroutine_handle<> h) {
  Loop& loop = Loop::current();
  if (yield_) return yielder_.await_suspend(h);
  if (!loop.begin_wait(h, node_)) return false;  // cancelled: error() is Errc::cancelled
  socket_->streak_ = 0;
  node_.context = this;
  node_.linked = true;
  slot() = this;
  return true;
}

Errc SocketOp::error() {
  if (yield_) {
    if (yield_result_ == Errc::ok) yield_result_ = yielder_.await_resume().error();
    return yield_result_ != Errc::ok ? yield_result_ : outcome_;
  }
  return node_.result() != Errc::ok ? node_.result() : outcome_;
}

void SocketOp::unlink_now() {
  if (!node_.linked) return;
  slot() = nullptr;
  node_.linked = false;
}

void SocketOp::mark_blocked() {
  (side_ == Side::read ? socket_->may_read_ : socket_->may_write_) = false;
}

IoAttempt SocketOp::read_once(char* dst, std::size_t n) {
  IoAttempt a = socket_->read(dst, n);
  // Drained: the next arrival is reported by ready(), so do not ask again before (saves a syscall per read).
  if (a.error == Errc::would_block || a.drained) socket_->may_read_ = false;
  return a;
}

IoAttempt SocketOp::write_once(const char* src, std::size_t n) {
  IoAttempt a = socket_->write(src, n);
  if (a.error == Errc::would_block) socket_->may_write_ = false;
  return a;
}

void SocketOp::unlink(WaitNode& n) {
  static_cast<SocketOp*>(n.context)->slot() = nullptr;
}

void SocketOp::retry(SocketOp*& slot) {
  SocketOp* op = slot;
  if (op == nullptr || !op->attempt_(*op)) return;
  slot = nullptr;
  op->node_.linked = false;
  op->node_.fire(Errc::ok);
}

void SocketOp::end(SocketOp*& slot, Errc why) {
  SocketOp* op = std::exchange(slot, nullptr);
  if (op == nullptr) return;
  op->node_.linked = false;
  op->node_.fire(why);
}

}  // namespace detail

void NativeSocket::ready(unsigned readiness) {
  if ((readiness & kReadable) != 0) {
    may_read_ = true;
    detail::SocketOp::retry(reader_);
  }
  if ((readiness & kWritable) != 0) {
    may_write_ = true;
    detail::SocketOp::retry(writer_);
  }
}

void NativeSocket::close_and_destroy(Errc why) {
  detail::SocketOp::end(reader_, why);
  detail::SocketOp::end(writer_, why);
  destroy();
}

}  // namespace weft
