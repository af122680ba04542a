// LwipSocketPort: the SocketPort (framework/io/socket_port.hpp) on lwIP's raw TCP API and its DNS client.
// The ESP8266 board's socket port; also built on Linux against Debian's lwIP 2.1 to test it (tests/lwip).
//
//   weft::lwip::LwipSocketPort port(clock);          // one per program; sockets come from a static pool
//   auto s = co_await weft::TcpStream::connect(weft::Endpoint::v4(192, 168, 1, 10, 8080), port);
//
// How it waits (nothing is polled): lwIP's callbacks complete the waiting operations.
//   tcp_recv (data)   the pbuf is queued on the socket -> ready(kReadable); read() copies out of the queue
//                     and calls tcp_recved() for what the app consumed, so the window opens as it reads
//   tcp_recv (NULL)   the peer's FIN -> ready(kReadable); read() gives Errc::closed once the queue is empty
//   tcp_sent          acknowledged bytes freed send buffer -> ready(kWritable)
//   tcp_connected     -> ready(kWritable); connect_status() is ok
//   tcp_err           the pcb is already freed by lwIP (never touched again) -> the error is kept for
//                     read/write/connect_status -> ready(kReadable | kWritable)
//   tcp_accept        the new pcb is set up at once (data that arrives before accept() is queued) and
//                     queued on the listener -> ready(kReadable)
//   dns found         -> ResolveOp::complete()
// Back-pressure: write() queues at most tcp_sndbuf() bytes (copied, TCP_WRITE_FLAG_COPY) and sends them
// (tcp_output); with the send buffer full it returns would_block and the writer waits for tcp_sent.
//
// Context: lwIP calls back in the stack's context. On the chip (NONOS) that is the SDK's one thread, between
// loop passes: the callbacks queue the woken tasks and call clock.wake() so the loop runs another pass. On
// Linux the tests drive lwIP from the loop's thread. lwIP must never call back from another thread (a
// NO_SYS stack, or a threaded stack whose tcpip thread is not started).
//
// Memory: a fixed pool of kMaxSockets sockets (listeners and connections); when it is full, connect/listen
// and incoming connections get Errc::no_memory with a log line. Per connection beyond the pool slot: lwIP's
// tcp_pcb, up to TCP_WND bytes of received pbufs the app has not read yet and up to TCP_SND_BUF bytes of
// unacknowledged data (README.md has the figures). Errors: every err_t maps to an Errc (README.md's table).
// Close: destroy() closes gracefully (tcp_close: FIN after the queued data; a pcb lwIP cannot close is
// aborted) and frees every queued pbuf. DNS: at most kMaxLookups at once (Errc::no_memory beyond).
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/clock_port.hpp"
#include "io/socket_port.hpp"

#ifndef WEFT_LWIP_MAX_SOCKETS
#define WEFT_LWIP_MAX_SOCKETS 5  // the NONOS SDK's lwIP allows 5 TCP pcbs by default (MEMP_NUM_TCP_PCB)
#endif

struct tcp_pcb;
struct pbuf;

namespace weft::lwip {

class LwipSocketPort;
struct Callbacks;

class LwipSocket final : public NativeSocket {
 public:
  IoAttempt read(char* dst, std::size_t n) override;
  IoAttempt write(const char* src, std::size_t n) override;
  Status connect_status() override;
  Result<NativeSocket*> accept() override;
  Status shutdown_write() override;
  [[nodiscard]] Result<Endpoint> local_endpoint() const override;
  [[nodiscard]] Result<Endpoint> peer_endpoint() const override;
  [[nodiscard]] int handle() const override;  // the pool slot
  void destroy() override;

  // For the port (its pool and lwIP's callbacks).
  LwipSocket() = default;
  ~LwipSocket() override = default;
  LwipSocket(const LwipSocket&) = delete;
  LwipSocket& operator=(const LwipSocket&) = delete;

 private:
  friend class LwipSocketPort;
  friend struct Callbacks;
  enum class State : std::uint8_t { free, connecting, connected, listening, failed };

  void attach(tcp_pcb* pcb);  // sets arg and callbacks
  void detach_pcb();          // clears them (no callback can reach this object afterwards)
  void notify(unsigned readiness);
  void consume(std::size_t n);
  void free_received();

  LwipSocketPort* port_ = nullptr;
  tcp_pcb* pcb_ = nullptr;
  pbuf* rx_head_ = nullptr;  // received, not yet read: linked through pbuf::next (see consume())
  pbuf* rx_tail_ = nullptr;
  std::size_t rx_offset_ = 0;           // bytes of rx_head_ already read
  std::size_t rx_bytes_ = 0;            // bytes queued
  LwipSocket* next_pending_ = nullptr;  // a listener's accepted connections, or the pool's free list
  LwipSocket* pending_head_ = nullptr;  // listener: accepted, not yet taken by accept()
  LwipSocket* pending_tail_ = nullptr;
  State state_ = State::free;
  Errc error_ = Errc::ok;  // why the pcb is gone (tcp_err), kept for the app
  bool fin_ = false;       // the peer sent FIN
};

class LwipSocketPort final : public SocketPort {
 public:
  static constexpr std::size_t kMaxSockets = WEFT_LWIP_MAX_SOCKETS;
  static constexpr std::size_t kMaxLookups = 2;

  // `clock`: the loop's clock port, woken after a callback made a task ready (the loop may be idle between
  // SDK events).
  explicit LwipSocketPort(ClockPort& clock);
  ~LwipSocketPort() = default;

  Result<NativeSocket*> connect(const Endpoint& to) override;
  Result<NativeSocket*> listen(const Endpoint& at, int backlog) override;
  void resolve(ResolveOp& op) override;
  void cancel_resolve(ResolveOp& op) override;

  // The name lookup: lwIP's dns_gethostbyname by default; set_dns_lookup() (lwip_compat.hpp) replaces it
  // (an lwIP built without DNS, tests). Without one, names (not numeric addresses) are name_not_found.
  void set_dns_lookup_erased(void (*lookup)()) { dns_lookup_ = lookup; }
  [[nodiscard]] std::size_t sockets_in_use() const { return in_use_; }

 private:
  friend class LwipSocket;
  friend struct Callbacks;
  struct Lookup {
    LwipSocketPort* port = nullptr;
    ResolveOp* op = nullptr;  // nullptr: cancelled (lwIP still holds the job until it answers)
    bool busy = false;
  };

  LwipSocket* take_socket(const char* what);
  void release(LwipSocket& s);
  [[nodiscard]] std::size_t index_of(const LwipSocket& s) const;
  void wake() { clock_.wake(); }

  ClockPort& clock_;
  // The pool: a slot is constructed when taken and destroyed when released (a fresh NativeSocket each time).
  alignas(LwipSocket) unsigned char storage_[kMaxSockets][sizeof(LwipSocket)] = {};
  bool used_[kMaxSockets] = {};
  std::size_t in_use_ = 0;
  Lookup lookups_[kMaxLookups];
  void (*dns_lookup_)() = nullptr;
};

}  // namespace weft::lwip
