// ControlChannel: drive and watch the simulated world live, over JSON lines on a UNIX socket ("unix:/path"
// or "/path") or loopback TCP ("tcp:PORT", 127.0.0.1; 0 picks a free port). One request object per line; one
// reply per request ({"ok":true,...} or {"ok":false,"error":"..."}), echoing its "id" when it has one.
// SCENARIOS.md lists the operations (pin, drive, press, release, adc, wifi*, reset, state, time, subscribe,
// hold, advance, run). Subscribed clients also get an event line per change of the world.
//
// Served in loop context by SimClock (poll() between waits; with the real clock, as an fd of the epoll set).
// Never blocks: a client that does not read its events is dropped once 1 MiB is queued for it; a malformed
// line gets an error reply and the connection stays usable.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "json_line.hpp"
#include "linux/fd_reactor.hpp"

namespace weft::sim {

class World;
struct Change;

class ControlChannel {
 public:
  explicit ControlChannel(World& world);
  ~ControlChannel();
  ControlChannel(const ControlChannel&) = delete;
  ControlChannel& operator=(const ControlChannel&) = delete;

  // Errc::invalid_argument for an address of another form; Errc::io_error (logged) when it cannot listen.
  Status open(const std::string& address);
  // The TCP port listened on (after "tcp:0"), 0 for a UNIX socket.
  [[nodiscard]] int port() const { return port_; }

  // Serves whatever is ready (accept, read, run commands, write) without blocking. True if a command ran or a
  // client came or went.
  bool poll();
  // Replies to `advance` requests whose time has come (after every wait).
  void after_wait();
  [[nodiscard]] bool has_clients() const { return !clients_.empty(); }
  // The channel's epoll fd, for the LinuxClock's epoll set: on_ready polls.
  [[nodiscard]] linux_board::FdWatch& watch() { return watch_; }

  // Runs one request line and returns the reply line (no newline). Public for tests.
  std::string handle(std::string_view line, int client_id);

 private:
  struct Client {
    int id;
    int fd;
    std::string in, out;
    bool subscribed = false;
    bool discarding = false;  // skipping the rest of an over-long line
    bool closed = false;
  };
  struct PendingAdvance {
    int client_id;
    bool has_id = false;
    JsonValue id;  // the request's "id"
    Micros at;
  };

  void accept_clients();
  void read_client(Client& c);
  void flush(Client& c);
  void send(Client& c, std::string line);
  Client* find(int id);
  void on_change(const Change& change);
  void reap();

  World& world_;
  std::string unix_path_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int port_ = 0;
  int next_client_ = 1;
  std::uint64_t observer_ = 0;
  std::vector<std::unique_ptr<Client>> clients_;
  std::vector<PendingAdvance> advances_;
  linux_board::FdWatch watch_;
  bool ran_ = false;
};

}  // namespace weft::sim
