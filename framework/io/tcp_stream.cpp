#include "tcp_stream.hpp"

#include <utility>

#include "buffered_reader.hpp"

namespace weft {

TcpStream& TcpStream::operator=(TcpStream&& o) noexcept {
  if (this != &o) {
    close();
    socket_ = std::exchange(o.socket_, nullptr);
  }
  return *this;
}

TcpStream::ConnectAwaiter TcpStream::connect(const Endpoint& to, SocketPort& port) {
  return {to, port};
}

WaitFor<TcpStream::ConnectAwaiter> TcpStream::connect(const Endpoint& to, Micros timeout, SocketPort& port) {
  return wait_for(ConnectAwaiter(to, port), timeout);
}

TcpStream::ReadAwaiter TcpStream::read_some(std::span<char> into) {
  return {&socket_, into, false};
}
TcpStream::ReadAwaiter TcpStream::read_exactly(std::span<char> into) {
  return {&socket_, into, true};
}
TcpStream::WriteAwaiter TcpStream::write_all(std::string_view data) {
  return {&socket_, data};
}

Status TcpStream::shutdown_write() {
  if (socket_ == nullptr) return Errc::closed;
  if (socket_->write_pending()) return Errc::busy;
  return socket_->shutdown_write();
}

void TcpStream::close() {
  if (socket_ != nullptr) std::exchange(socket_, nullptr)->close_and_destroy(Errc::closed);
}

Result<Endpoint> TcpStream::local_endpoint() const {
  if (socket_ == nullptr) return Errc::closed;
  return socket_->local_endpoint();
}

Result<Endpoint> TcpStream::peer_endpoint() const {
  if (socket_ == nullptr) return Errc::closed;
  return socket_->peer_endpoint();
}

// --- connect ---------------------------------------------------------------------------------------------

TcpStream::ConnectAwaiter::~ConnectAwaiter() {
  unlink_now();  // before the socket it waits on goes away
  if (owned_ != nullptr) owned_->destroy();
}

bool TcpStream::ConnectAwaiter::await_ready() {
  Result<NativeSocket*> s = port_->connect(to_);
  if (!s) {
    outcome_ = s.error();
    return true;
  }
  socket_ = owned_ = *s;
  return start();
}

Result<TcpStream> TcpStream::ConnectAwaiter::await_resume() {
  Errc e = error();
  if (e != Errc::ok) return e;  // the destructor closes the half-open socket
  return TcpStream(std::exchange(owned_, nullptr));
}

bool TcpStream::ConnectAwaiter::attempt(SocketOp& op) {
  auto& self = static_cast<ConnectAwaiter&>(op);
  if (!self.may_write()) return false;
  Status s = self.socket_->connect_status();
  if (s.error() == Errc::would_block) {
    self.mark_blocked();
    return false;
  }
  self.outcome_ = s.error();
  return true;
}

// --- read / write ----------------------------------------------------------------------------------------

bool TcpStream::ReadAwaiter::attempt(SocketOp& op) {
  auto& self = static_cast<ReadAwaiter&>(op);
  if (self.buffer_ != nullptr) self.count_ += self.buffer_->take(self.into_.subspan(self.count_));
  for (;;) {
    if (self.count_ == self.into_.size() || (!self.exactly_ && self.count_ > 0)) return true;
    if (!self.may_read()) return false;
    IoAttempt a = self.read_once(self.into_.data() + self.count_, self.into_.size() - self.count_);
    if (a.error == Errc::would_block) return false;
    self.count_ += a.count;
    if (a.error != Errc::ok) {
      self.outcome_ = a.error;
      return true;
    }
  }
}

bool TcpStream::WriteAwaiter::attempt(SocketOp& op) {
  auto& self = static_cast<WriteAwaiter&>(op);
  for (;;) {
    if (self.count_ == self.data_.size()) return true;
    if (!self.may_write()) return false;
    IoAttempt a = self.write_once(self.data_.data() + self.count_, self.data_.size() - self.count_);
    if (a.error == Errc::would_block) return false;
    self.count_ += a.count;
    if (a.error != Errc::ok) {
      self.outcome_ = a.error;
      return true;
    }
  }
}

}  // namespace weft
