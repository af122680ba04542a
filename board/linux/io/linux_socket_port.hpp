// LinuxSocketPort: the SocketPort (framework/io/socket_port.hpp) of the Linux board: non-blocking TCP
// sockets (LinuxSocket) and a threaded resolver (LinuxResolver), both registered with an FdReactor.
//
// default_socket_port() is one bound to linux_clock(): use it with loops on the default clock. A loop on
// another clock that does real I/O (the simulation's SimClock) makes its own LinuxSocketPort with that
// clock's FdReactor and passes it to TcpStream::connect / TcpListener::listen / resolve.
#pragma once
#include "io/socket_port.hpp"
#include "linux/fd_reactor.hpp"
#include "linux_resolver.hpp"

namespace weft::linux_board {

class LinuxSocketPort final : public SocketPort {
 public:
  // `lookup` and `resolver_threads`: see LinuxResolver (tests pass fakes).
  explicit LinuxSocketPort(FdReactor& reactor, LinuxResolver::Lookup lookup = &LinuxResolver::system_lookup,
                           int resolver_threads = 4)
      : reactor_(reactor), resolver_(reactor, lookup, resolver_threads) {}

  Result<NativeSocket*> connect(const Endpoint& to) override;
  Result<NativeSocket*> listen(const Endpoint& at, int backlog) override;
  void resolve(ResolveOp& op) override { resolver_.start(op); }
  void cancel_resolve(ResolveOp& op) override { resolver_.cancel(op); }

  [[nodiscard]] LinuxResolver& resolver() { return resolver_; }

 private:
  FdReactor& reactor_;
  LinuxResolver resolver_;
};

}  // namespace weft::linux_board
