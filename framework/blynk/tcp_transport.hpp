// TcpTransport: the session's Transport over plain TCP (framework/io): resolve + connect with one timeout,
// then TcpStream reads and writes. What Blynk IoT serves on blynk.cloud:80 and local servers on :8080.
// No allocation beyond the board's socket: a read or write is TcpStream's awaiter, held inline in the
// TransportOp (no coroutine frame); a write's timeout is a timer on that same awaiter (wait_for). Cancel-safety
// is TcpStream's (tcp_stream.hpp).
// The overrides are inline on purpose: the class has no key function, so its vtable (and, in RTTI builds such
// as the sanitizer tests, its typeinfo) is emitted where it is constructed, not in this -fno-rtti library.
#pragma once
#include "io/socket_port.hpp"
#include "io/tcp_stream.hpp"
#include "transport.hpp"

namespace weft::blynk {

class TcpTransport final : public Transport {
 public:
  explicit TcpTransport(SocketPort& port = default_socket_port()) : port_(&port) {}
  ~TcpTransport() = default;

  [[nodiscard]] Task<Status> open(std::string_view host, std::uint16_t port, Micros timeout) override {
    return connect(host, port, timeout);
  }
  [[nodiscard]] ReadOp read_some(std::span<char> into) override {
    return ReadOp(std::in_place, stream_.read_some(into));
  }
  [[nodiscard]] WriteOp write_all(std::string_view data, Micros timeout) override {
    return WriteOp(std::in_place, stream_.write_all(data), timeout);
  }
  void close() override { stream_.close(); }
  [[nodiscard]] bool is_open() const override { return stream_.is_open(); }

 private:
  Task<Status> connect(std::string_view host, std::uint16_t port, Micros timeout);

  SocketPort* port_;
  TcpStream stream_;
};

}  // namespace weft::blynk
