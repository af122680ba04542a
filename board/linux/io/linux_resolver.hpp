// LinuxResolver: name lookups off the loop thread. getaddrinfo blocks, so it runs on a small pool of helper
// threads (started on demand, at most max_threads, so one slow name does not hold up the others); answers
// come back through an eventfd watched by the FdReactor and are delivered in loop context. The helper threads
// never touch the loop, its queues or a ResolveOp: they only see their job (a copy of the host name) and a
// mutex- guarded done list.
//
// Cancel-safe: cancel() detaches the op from its job at once; a job not yet started is dropped, a running one
// finishes on its thread and its answer is discarded. The eventfd is watched only while lookups are
// outstanding, so an idle resolver does not count as pending I/O. Destroying the resolver ends the ops still
// waiting with Errc::closed; helper threads busy in getaddrinfo finish on their own and free the shared
// state.
#pragma once
#include <cstdint>

#include "io/socket_port.hpp"
#include "linux/fd_reactor.hpp"

namespace weft::linux_board {

class LinuxResolver {
 public:
  // Runs on a helper thread: the first IPv4 address of `host` (else its first IPv6), or an error.
  using Lookup = Result<Endpoint> (*)(const char* host, std::uint16_t port);
  // getaddrinfo: EAI_NONAME/EAI_NODATA -> name_not_found, EAI_AGAIN -> timed_out, others -> io_error.
  static Result<Endpoint> system_lookup(const char* host, std::uint16_t port);

  explicit LinuxResolver(FdReactor& reactor, Lookup lookup = &system_lookup, int max_threads = 4);
  ~LinuxResolver();
  LinuxResolver(const LinuxResolver&) = delete;
  LinuxResolver& operator=(const LinuxResolver&) = delete;

  void start(ResolveOp& op);
  void cancel(ResolveOp& op);
  // Lookups started and not yet delivered (cancelled ones still running count until their thread is done).
  [[nodiscard]] int outstanding() const { return outstanding_; }

 private:
  struct Job;
  struct Shared;
  static void on_ready(FdWatch& w, std::uint32_t revents);
  static void* worker(void* shared);
  void finish(Job* job, Result<Endpoint> r);

  Shared* shared_;
  FdReactor& reactor_;
  FdWatch watch_;
  Job* jobs_ = nullptr;  // every job not yet finished (loop side)
  int outstanding_ = 0;
};

}  // namespace weft::linux_board
