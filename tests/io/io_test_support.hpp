// Helpers for the io tests: a fixture that runs a body task on the real Linux loop with a generous limit,
// raw POSIX peers (so weft is tested against the kernel, not against itself), and fd counting.
#pragma once
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <dirent.h>

#include <cstring>
#include <string>

#include "core/weft.hpp"
#include "io/io.hpp"
#include "linux/io/sockaddr.hpp"

// gtest's ASSERT_* return from the function: inside a coroutine, fail and co_return instead.
#define CO_ASSERT(cond)                           \
  do {                                            \
    bool co_assert_ok_ = static_cast<bool>(cond); \
    EXPECT_TRUE(co_assert_ok_) << #cond;          \
    if (!co_assert_ok_) co_return;                \
  } while (0)

namespace weft::test {

inline Task<Status> within(Task<> body, Micros limit) {
  co_return co_await wait_for(std::move(body), limit);
}

class IoTest : public ::testing::Test {
 protected:
  Loop loop;
  // Runs `body` (and whatever it spawned) until it ends; fails the test if it takes over 10 s.
  void run(Task<> body) {
    Status s = loop.run_until_complete(within(std::move(body), sec(10)));
    EXPECT_TRUE(s.ok()) << "test body: " << to_string(s.error());
  }
};

inline std::string text(std::span<const char> s) {
  return {s.data(), s.size()};
}

inline int open_fds() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  while (readdir(d) != nullptr)
    ++n;
  closedir(d);
  return n;
}

// A blocking POSIX listener on 127.0.0.1 (ephemeral port) for raw peers.
class RawListener {
 public:
  explicit RawListener(int backlog = 16, int rcvbuf = 0) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (rcvbuf > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);  // inherited by accepted
    sockaddr_storage sa;
    socklen_t len = linux_board::to_sockaddr(Endpoint::v4(127, 0, 0, 1, 0), sa);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&sa), len), 0);
    EXPECT_EQ(listen(fd_, backlog), 0);
    len = sizeof sa;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
    endpoint_ = *linux_board::from_sockaddr(sa);
  }
  ~RawListener() { close(fd_); }
  RawListener(const RawListener&) = delete;
  RawListener& operator=(const RawListener&) = delete;
  [[nodiscard]] Endpoint endpoint() const { return endpoint_; }
  [[nodiscard]] int fd() const { return fd_; }
  // Waits up to 5 s for a connection; -1 if none came.
  [[nodiscard]] int accept_one() const {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 5000) != 1) return -1;
    int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    int one = 1;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return c;
  }

 private:
  int fd_ = -1;
  Endpoint endpoint_;
};

// A raw blocking client socket connected to `to` (TCP_NODELAY: every send is its own segment).
inline int raw_connect(const Endpoint& to) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_storage sa;
  socklen_t len = linux_board::to_sockaddr(to, sa);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&sa), len), 0) << std::strerror(errno);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

inline void raw_send(int fd, std::string_view s) {
  ASSERT_EQ(send(fd, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
}

// Reads exactly n bytes (blocking, 5 s limit per wait); returns what came.
inline std::string raw_recv(int fd, std::size_t n) {
  std::string out;
  char buf[65536];
  while (out.size() < n) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) != 1) break;
    ssize_t got = recv(fd, buf, std::min(sizeof buf, n - out.size()), 0);
    if (got <= 0) break;
    out.append(buf, static_cast<std::size_t>(got));
  }
  return out;
}

// Closes with an RST instead of a FIN.
inline void raw_reset(int fd) {
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

}  // namespace weft::test
