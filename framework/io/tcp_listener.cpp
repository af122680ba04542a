#include "tcp_listener.hpp"

#include <utility>

#include "core/log.hpp"

namespace weft {

TcpListener& TcpListener::operator=(TcpListener&& o) noexcept {
  if (this != &o) {
    close();
    socket_ = std::exchange(o.socket_, nullptr);
  }
  return *this;
}

Result<TcpListener> TcpListener::listen(const Endpoint& at, int backlog, SocketPort& port) {
  if (backlog < 0) {
    log_message(LogLevel::error, "TcpListener::listen: backlog %d is negative (use 0 or more)", backlog);
    return Errc::invalid_argument;
  }
  Result<NativeSocket*> s = port.listen(at, backlog);
  if (!s) return s.error();
  return TcpListener(*s);
}

TcpListener::AcceptAwaiter TcpListener::accept() {
  return AcceptAwaiter(&socket_);
}

void TcpListener::close() {
  if (socket_ != nullptr) std::exchange(socket_, nullptr)->close_and_destroy(Errc::closed);
}

Result<Endpoint> TcpListener::local_endpoint() const {
  if (socket_ == nullptr) return Errc::closed;
  return socket_->local_endpoint();
}

Result<TcpStream> TcpListener::AcceptAwaiter::await_resume() {
  // A connection already taken wins over a late cancellation: dropping it would lose a client.
  if (accepted_ != nullptr) return TcpStream(std::exchange(accepted_, nullptr));
  return error();
}

bool TcpListener::AcceptAwaiter::attempt(SocketOp& op) {
  auto& self = static_cast<AcceptAwaiter&>(op);
  if (!self.may_read()) return false;
  Result<NativeSocket*> s = self.socket_->accept();
  if (s) {
    self.accepted_ = *s;
    return true;
  }
  if (s.error() == Errc::would_block) {
    self.mark_blocked();
    return false;
  }
  self.outcome_ = s.error();
  return true;
}

}  // namespace weft
