// resolve(host, port): a DNS lookup that never blocks the loop (the board resolves in the background: a
// helper thread on Linux, the SDK's asynchronous lookup on the chip).
//
//   weft::Result<weft::Endpoint> server = co_await weft::wait_for(weft::resolve("blynk.cloud", 80),
//   weft::sec(10)); if (server) auto s = co_await weft::TcpStream::connect(*server, weft::sec(5));
//
// Gives the name's first IPv4 address (its first IPv6 one when it has none) with `port`. A numeric address
// ("10.0.0.7", "::1") resolves at once, without the board. Errors: name_not_found, timed_out (no name server
// answered), invalid_argument (empty name, longer than 253 characters, or a NUL inside: logged), io_error,
// cancelled. Cancel-safe: a cancelled or timed-out lookup is dropped; its late answer is discarded.
// Cost: no allocation in the framework (the host name is copied into the awaiter); the board may allocate a
// lookup job.
#pragma once
#include <coroutine>
#include <cstdint>
#include <string_view>

#include "core/wait_node.hpp"
#include "endpoint.hpp"
#include "socket_port.hpp"

namespace weft {

class [[nodiscard]] ResolveAwaiter : ResolveOp {
 public:
  static constexpr std::size_t kMaxHostLength = 253;

  ResolveAwaiter(std::string_view host, std::uint16_t port, SocketPort& sockets);
  ResolveAwaiter(ResolveAwaiter&& o) noexcept;
  ResolveAwaiter& operator=(ResolveAwaiter&&) = delete;
  ~ResolveAwaiter();  // a lookup still waiting is cancelled

  [[nodiscard]] bool await_ready() const { return done_; }
  bool await_suspend(std::coroutine_handle<> h);
  Result<Endpoint> await_resume();

 private:
  static void on_complete(ResolveOp& op, Result<Endpoint>&& r);
  static void unlink(WaitNode& n);

  WaitNode node_{&unlink};
  SocketPort* sockets_;
  Result<Endpoint> result_{Errc::io_error};
  bool done_ = false;  // answered without the board (numeric, or rejected)
  char name_[kMaxHostLength + 1] = {};
};

[[nodiscard]] ResolveAwaiter resolve(std::string_view host, std::uint16_t port,
                                     SocketPort& sockets = default_socket_port());

}  // namespace weft
