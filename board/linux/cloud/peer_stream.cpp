#include "peer_stream.hpp"

#include "core/wait_for.hpp"
#include "net/http/connection.hpp"

namespace weft::cloud {

using net::flatten;

Task<Status> PeerStream::secure(const net::TlsIdentity& identity, Micros timeout) {
  tls_ = std::make_unique<net::TlsStream>();
  Status s = co_await tls_->accept(std::move(tcp_), identity, timeout);
  co_return s;
}

Task<IoResult> PeerStream::read_some(std::span<char> into, Micros timeout) {
  if (tls_) {
    Result<IoResult> r = co_await wait_for(tls_->read_some(into), timeout);
    co_return flatten(r);
  }
  IoResult r = co_await wait_for(tcp_.read_some(into), timeout);
  co_return r;
}

Task<IoResult> PeerStream::write_all(std::string_view data, Micros timeout) {
  if (tls_) {
    Result<IoResult> r = co_await wait_for(tls_->write_all(data), timeout);
    co_return flatten(r);
  }
  IoResult r = co_await wait_for(tcp_.write_all(data), timeout);
  co_return r;
}

Task<Status> PeerStream::shutdown_write(Micros timeout) {
  if (tls_) {
    Status s = co_await tls_->close_notify(timeout);
    co_return s;
  }
  co_return tcp_.shutdown_write();
}

void PeerStream::close() {
  if (tls_) tls_->close();
  tcp_.close();
}

Result<Endpoint> PeerStream::peer_endpoint() const {
  return tls_ ? tls_->peer_endpoint() : tcp_.peer_endpoint();
}

}  // namespace weft::cloud
