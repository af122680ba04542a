#include "tcp_transport.hpp"

#include "core/loop.hpp"
#include "core/wait_for.hpp"
#include "io/resolver.hpp"

namespace weft::blynk {

Task<Status> TcpTransport::connect(std::string_view host, std::uint16_t port, Micros timeout) {
  stream_.close();
  // One budget for lookup and handshake: whatever the lookup used is gone for the connect.
  const Micros deadline = deadline_after(Loop::current().refresh_now(), timeout);
  Result<Endpoint> server = co_await wait_for(resolve(host, port, *port_), timeout);
  if (!server) co_return server.error();
  const Micros left = deadline - Loop::current().refresh_now();
  if (left <= 0) co_return Errc::timed_out;
  Result<TcpStream> s = co_await TcpStream::connect(*server, left, *port_);
  if (!s) co_return s.error();
  stream_ = std::move(*s);
  co_return Status{};
}

}  // namespace weft::blynk
