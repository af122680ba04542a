// Connection: the byte stream under HttpClient, and the seam for TLS. http:// is a plain TcpStream; https://
// (a later issue) will open a TLS session over that stream right here, in open(), and wrap read_some and
// write_all: nothing above this class knows which one it talks to.
//
// open() resolves the URL's host (DNS, or a numeric address at once) and connects; each step gets `timeout`.
// Errors: Errc::invalid_argument (https: no TLS yet; logged), name_not_found, timed_out, refused,
// unreachable, reset, io_error, cancelled. Cancel-safe: a cancelled open leaves the connection closed.
// read_some / write_all are TcpStream's (same cancel-safety) with a timeout: Errc::timed_out.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/task.hpp"
#include "core/wait_for.hpp"
#include "io/socket_port.hpp"
#include "io/tcp_stream.hpp"
#include "url.hpp"

namespace weft::net {

class Connection {
 public:
  // Longest host name remembered for reuse (keep-alive); a connection to a longer one is never reused.
  static constexpr std::size_t kMaxReuseHost = 64;

  [[nodiscard]] Task<Status> open(const Url& url, Micros timeout, SocketPort& sockets);
  [[nodiscard]] WaitFor<TcpStream::ReadAwaiter> read_some(std::span<char> into, Micros timeout) {
    return wait_for(stream_.read_some(into), timeout);
  }
  [[nodiscard]] WaitFor<TcpStream::WriteAwaiter> write_all(std::string_view data, Micros timeout) {
    return wait_for(stream_.write_all(data), timeout);
  }
  void close() {
    stream_.close();
    host_length_ = 0;
  }
  [[nodiscard]] bool is_open() const { return stream_.is_open(); }
  // Open, and to the origin (scheme, host, port) of `url`: it can carry a request for it.
  [[nodiscard]] bool serves(const Url& url) const;

 private:
  TcpStream stream_;
  Scheme scheme_ = Scheme::http;
  std::uint16_t port_ = 0;
  std::uint8_t host_length_ = 0;  // 0: not reusable
  char host_[kMaxReuseHost] = {};
};

}  // namespace weft::net
