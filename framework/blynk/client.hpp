// Client<Limits>: a Session with its memory — the object an application declares. Sizes are template
// parameters (no heap): the defaults fit a small ESP8266 app; raise them for more handlers or a longer queue.
//
//   weft::blynk::Blynk blynk({.token = "YourAuthTokenFromTheConsole_0123", .template_id = "TMPL4abc123"});
//   weft::blynk::Client<weft::blynk::Limits{.outbox = 1024, .handlers = 16}> big(config);
//   weft::blynk::Blynk tested(config, my_transport);       // any Transport (TLS, tests)
//
// RAM with the defaults: rx 64 + buff-in 256 + tx 260 + outbox 384 bytes of buffers, 8 handler slots and the
// Session's state — 1744 B on the lx106 (2200 B on x86-64); while connected the session task also holds ~0.8
// KB of frame arena (lx106). bench/blynk/session_bench and bench/target/blynk_bench.cpp print the current
// figures. A client is large for a task's stack: declare it globally (or static), as firmware does.
#pragma once
#include <array>
#include <cstddef>
#include <new>

#include "session.hpp"
#include "tcp_transport.hpp"

namespace weft::blynk {

struct Limits {
  std::size_t rx_chunk = 64;    // bytes taken from the socket per read
  std::size_t buff_in = 256;    // the largest body the device accepts (announced to the server as buff-in)
  std::size_t tx_buffer = 260;  // the largest frame the device sends (a 255-character notify fits)
  std::size_t outbox = 384;     // queued messages, bytes (offline values, rate-limited traffic)
  std::size_t handlers = 8;     // on_write / on_read / add_virtual_pin / add_digital_hw_pin slots
};

namespace detail {
template <Limits L>
struct ClientStorage {
  static_assert(L.rx_chunk >= 1, "Limits::rx_chunk must be at least 1");
  static_assert(L.buff_in >= 16 && L.buff_in <= max_body_size, "Limits::buff_in is 16..65535 bytes");
  static_assert(L.tx_buffer >= 64, "Limits::tx_buffer below 64 bytes cannot hold the login and info frames");
  static_assert(L.outbox >= L.tx_buffer, "Limits::outbox must hold at least one frame of Limits::tx_buffer");
  static_assert(L.handlers >= 1, "Limits::handlers must be at least 1");

  std::array<char, L.rx_chunk> rx_storage{};
  std::array<char, L.buff_in> body_storage{};
  std::array<char, L.tx_buffer> tx_storage{};
  std::array<char, L.outbox> outbox_storage{};
  std::array<PinSlot, L.handlers> pin_slots{};
  // The default transport, built only by Client(config): a client given its own transport (tests, TLS) does
  // not link the TCP code at all (its destructor is reached through this pointer, set when it is built).
  alignas(TcpTransport) unsigned char tcp_storage[sizeof(TcpTransport)];
  void (*tcp_destroy)(void*) = nullptr;

  ClientStorage() = default;
  ClientStorage(const ClientStorage&) = delete;
  ClientStorage& operator=(const ClientStorage&) = delete;
  ~ClientStorage() {
    if (tcp_destroy != nullptr) tcp_destroy(tcp_storage);
  }
  SessionBuffers buffers() { return {rx_storage, body_storage, tx_storage, outbox_storage, pin_slots}; }
};
}  // namespace detail

template <Limits L = Limits{}>
class Client : private detail::ClientStorage<L>, public Session {
 public:
  // Plain TCP to config.host:config.port (the board's socket port).
  explicit Client(const Config& config) : Session(config, tcp_transport(), this->buffers()) {}
  // Through `transport` (it must outlive the client).
  Client(const Config& config, Transport& transport) : Session(config, transport, this->buffers()) {}

 private:
  Transport& tcp_transport() {
    auto* tcp = new (this->tcp_storage) TcpTransport();
    this->tcp_destroy = [](void* p) { static_cast<TcpTransport*>(p)->~TcpTransport(); };
    return *tcp;
  }
};

// The client with the default limits.
using Blynk = Client<>;

}  // namespace weft::blynk
