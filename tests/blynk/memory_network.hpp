// An in-memory network for session tests: servers listen on names ("blynk.cloud:80"), a device connects
// through MemoryTransport (a blynk::Transport), and both ends exchange bytes through pipes on the weft loop.
// No sockets and no threads, so the session runs on a VirtualClock: a 45-second heartbeat or a two-minute
// backoff passes in microseconds of real time, deterministically.
//
// Knobs for protocol edge cases: a pipe delivers at most `max_read` bytes per read (1 = a frame split at
// every byte), writes can stall (a peer that stops reading), hosts can be unknown (DNS failure), refuse (no
// listener), or never answer a connect (blackhole). Test code: std containers and the heap are fine here.
#pragma once
#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "blynk/transport.hpp"
#include "core/event.hpp"
#include "core/loop.hpp"
#include "core/wait_for.hpp"

namespace weft::blynk::test {

// One direction of a connection.
struct Pipe {
  std::string bytes;
  bool eof = false;                 // the writer closed: end of stream after `bytes`
  Event readable;                   // set while bytes or eof are there
  std::size_t max_read = SIZE_MAX;  // a read returns at most this many bytes
  bool stall_writes = false;        // writes into this pipe wait (until cancelled)
  Event unstalled;
  std::size_t total = 0;  // bytes ever written
};

struct Connection {
  Pipe to_server;
  Pipe to_client;
  bool client_closed = false;
  bool server_closed = false;
};

class MemoryEnd {
 public:
  MemoryEnd(std::shared_ptr<Connection> c, bool client) : c_(std::move(c)), client_(client) {}

  [[nodiscard]] Pipe& in() const { return client_ ? c_->to_client : c_->to_server; }
  [[nodiscard]] Pipe& out() const { return client_ ? c_->to_server : c_->to_client; }
  [[nodiscard]] bool closed() const { return client_ ? c_->client_closed : c_->server_closed; }
  [[nodiscard]] bool peer_closed() const { return client_ ? c_->server_closed : c_->client_closed; }
  [[nodiscard]] Connection& connection() const { return *c_; }

  Task<IoResult> read_some(std::span<char> into) {
    for (;;) {
      if (closed()) co_return IoResult{0, Errc::closed};
      Pipe& p = in();
      if (!p.bytes.empty()) {
        const std::size_t n = std::min({into.size(), p.bytes.size(), p.max_read});
        std::memcpy(into.data(), p.bytes.data(), n);
        p.bytes.erase(0, n);
        if (p.bytes.empty() && !p.eof) p.readable.clear();
        co_return IoResult{n, Errc::ok};
      }
      if (p.eof) co_return IoResult{0, Errc::closed};
      p.readable.clear();
      Status s = co_await p.readable.wait();
      if (!s) co_return IoResult{0, s.error()};
    }
  }

  Task<IoResult> write_all(std::string_view data) {
    Pipe& p = out();
    while (p.stall_writes && !closed()) {
      p.unstalled.clear();
      Status s = co_await p.unstalled.wait();
      if (!s) co_return IoResult{0, s.error()};
    }
    if (closed()) co_return IoResult{0, Errc::closed};
    if (peer_closed()) co_return IoResult{0, Errc::reset};
    p.bytes.append(data.data(), data.size());
    p.total += data.size();
    p.readable.set();
    co_return IoResult{data.size(), Errc::ok};
  }

  // Closes this end: the peer reads end of stream after what is in flight; a read or write waiting here ends.
  void close() {
    (client_ ? c_->client_closed : c_->server_closed) = true;
    out().eof = true;
    out().readable.set();
    in().readable.set();
    in().unstalled.set();
    out().unstalled.set();
  }

 private:
  std::shared_ptr<Connection> c_;
  bool client_;
};

class MemoryNetwork {
 public:
  struct Listener {
    std::deque<MemoryEnd> pending;
    Event arrived;
    std::size_t accepted = 0;

    // The next connection (Errc::timed_out after `limit`).
    Task<Result<MemoryEnd>> accept(Micros limit = sec(3600)) {
      const Micros deadline = deadline_after(Loop::current().now(), limit);
      while (pending.empty()) {
        arrived.clear();
        Status s = co_await wait_for(arrived.wait(), deadline - Loop::current().now());
        if (!s) co_return s.error();
      }
      MemoryEnd e = pending.front();
      pending.pop_front();
      ++accepted;
      co_return e;
    }
  };
  struct Attempt {
    Micros at;
    std::string target;
  };

  Listener& listen(const std::string& host, std::uint16_t port) { return listeners_[key(host, port)]; }
  void blackhole(const std::string& host, std::uint16_t port) { blackholes_.insert(key(host, port)); }
  void unknown_host(const std::string& host) { unknown_.insert(host); }
  void refuse(const std::string& host, std::uint16_t port) { listeners_.erase(key(host, port)); }

  Task<Result<MemoryEnd>> connect(std::string host, std::uint16_t port) {
    attempts.push_back({Loop::current().now(), key(host, port)});
    if (unknown_.count(host) != 0) co_return Errc::name_not_found;
    if (blackholes_.count(key(host, port)) != 0) {
      Event never;
      Status s = co_await never.wait();  // until the caller's timeout cancels it
      co_return s.error();
    }
    auto it = listeners_.find(key(host, port));
    if (it == listeners_.end()) co_return Errc::refused;
    auto c = std::make_shared<Connection>();
    c->to_client.max_read = client_max_read;
    c->to_server.max_read = server_max_read;
    it->second.pending.emplace_back(c, false);
    it->second.arrived.set();
    connections.push_back(c);
    co_return MemoryEnd(c, true);
  }

  std::vector<Attempt> attempts;
  std::vector<std::shared_ptr<Connection>> connections;
  std::size_t client_max_read = SIZE_MAX;  // for new connections: the device's reads
  std::size_t server_max_read = SIZE_MAX;

 private:
  static std::string key(const std::string& host, std::uint16_t port) {
    return host + ":" + std::to_string(port);
  }
  std::map<std::string, Listener> listeners_;
  std::set<std::string> blackholes_;
  std::set<std::string> unknown_;
};

// The device side: a blynk::Transport over the network above.
class MemoryTransport final : public Transport {
 public:
  explicit MemoryTransport(MemoryNetwork& net) : net_(net) {}

  Task<Status> open(std::string_view host, std::uint16_t port, Micros timeout) override {
    close();
    Result<MemoryEnd> e = co_await wait_for(net_.connect(std::string(host), port), timeout);
    if (!e) co_return e.error();
    end_.emplace(std::move(*e));
    co_return Status{};
  }
  ReadOp read_some(std::span<char> into) override {
    if (!end_) return IoResult{0, Errc::closed};
    return end_->read_some(into);
  }
  // The timeout drops the pipe's write (wait_for on a Task): nothing of it was written.
  WriteOp write_all(std::string_view data, Micros timeout) override {
    if (!end_) return IoResult{0, Errc::closed};
    return write(data, timeout);
  }
  // Keeps the end object (a read in progress refers to it) and closes the connection.
  void close() override {
    if (end_) end_->close();
  }
  [[nodiscard]] bool is_open() const override { return end_ && !end_->closed(); }

 private:
  Task<IoResult> write(std::string_view data, Micros timeout) {
    Result<IoResult> r = co_await wait_for(end_->write_all(data), timeout);
    co_return r ? *r : IoResult{0, r.error()};
  }

  MemoryNetwork& net_;
  std::optional<MemoryEnd> end_;
};

}  // namespace weft::blynk::test
