// Helpers for the local cloud's tests: a fixture that runs the Cloud and a test body on the real Linux loop,
// a raw device (TcpStream + the codec, no client library: the server is tested against the protocol) and a
// raw HTTP client.
#pragma once
#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "blynk/codec.hpp"
#include "blynk_connection.hpp"
#include "cloud.hpp"
#include "core/weft.hpp"
#include "io/io.hpp"
#include "linux/linux_clock.hpp"

// gtest's ASSERT_* return from the function: inside a coroutine, fail and co_return instead.
#define CO_ASSERT(cond)                           \
  do {                                            \
    bool co_assert_ok_ = static_cast<bool>(cond); \
    EXPECT_TRUE(co_assert_ok_) << #cond;          \
    if (!co_assert_ok_) co_return;                \
  } while (0)

namespace weft::cloud::test {

inline constexpr char kTokenA[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
inline constexpr char kTokenB[] = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

// One frame as the device received it (body copied).
struct Received {
  blynk::Command command = blynk::Command::response;
  std::uint16_t id = 0;
  std::uint16_t length = 0;
  std::string body;

  [[nodiscard]] blynk::StatusCode status() const { return static_cast<blynk::StatusCode>(length); }
  // The body with NULs shown as '|': "vw|5|21.5".
  [[nodiscard]] std::string text() const {
    std::string t = body;
    for (char& c : t)
      if (c == '\0') c = '|';
    return t;
  }
};

// A device speaking the protocol by hand.
class RawDevice {
 public:
  RawDevice() : parser_(buffer_) {}

  Task<Status> connect(Endpoint at) {
    Result<TcpStream> s = co_await TcpStream::connect(at, sec(5));
    if (!s) co_return s.error();
    stream_ = std::move(*s);
    co_return Status{};
  }
  Task<Status> send_raw(std::string bytes) {
    IoResult w = co_await stream_.write_all(bytes);
    co_return w.ok() ? Status{} : Status{w.error};
  }
  // A frame with the given fields joined by NUL: send(Command::hardware, 3, "vw", "5", "21.5").
  // Not a coroutine, and no braced list: GCC 12 cannot keep an initializer_list alive across a co_await.
  template <typename... Fields>
  Task<Status> send(blynk::Command c, std::uint16_t id, const Fields&... fields) {
    std::string body;
    ((body += std::string_view(fields), body += '\0'), ...);
    if (!body.empty()) body.pop_back();
    return send_raw(frame(c, id, body));
  }
  static std::string frame(blynk::Command c, std::uint16_t id, std::string_view body) {
    char h[blynk::header_size];
    blynk::encode_header(h, {c, id, static_cast<std::uint16_t>(body.size())});
    return std::string(h, sizeof h) + std::string(body);
  }
  // The next frame: timed_out after `limit`, closed when the cloud closed the connection.
  Task<Result<Received>> next(Micros limit = sec(5)) {
    const Micros deadline = deadline_after(Loop::current().now(), limit);
    while (frames_.empty()) {
      const Micros left = deadline - Loop::current().refresh_now();
      if (left <= 0) co_return Errc::timed_out;
      char buf[1024];
      IoResult r = co_await wait_for(stream_.read_some(buf), left);
      if (!r) co_return r.error;
      std::string_view in(buf, r.count);
      for (;;) {
        Result<blynk::Frame> f = parser_.next(in);
        if (!f) {
          if (f.error() == Errc::would_block) break;
          co_return f.error();
        }
        frames_.push_back(Received{f->command, f->id, f->length, std::string(f->body)});
      }
    }
    Received f = std::move(frames_.front());
    frames_.pop_front();
    co_return f;
  }
  // The next frame of command `c`, skipping others.
  Task<Result<Received>> next_of(blynk::Command c, Micros limit = sec(5)) {
    for (;;) {
      Result<Received> f = co_await next(limit);
      if (!f || f->command == c) co_return f;
    }
  }
  // Exactly `n` bytes as they came off the socket (no frame parsing): for byte-exact checks. Use it on a
  // connection whose frames were never read with next().
  Task<Result<std::string>> read_bytes(std::size_t n, Micros limit = sec(5)) {
    std::string out;
    const Micros deadline = deadline_after(Loop::current().now(), limit);
    while (out.size() < n) {
      const Micros left = deadline - Loop::current().refresh_now();
      if (left <= 0) co_return Errc::timed_out;
      char buf[256];
      const std::size_t want = std::min(sizeof buf, n - out.size());
      IoResult r = co_await wait_for(stream_.read_some(std::span<char>(buf, want)), left);
      if (!r) co_return r.error;
      out.append(buf, r.count);
    }
    co_return out;
  }
  // Waits for the cloud to close the connection (ok), discarding frames; timed_out otherwise.
  Task<Status> wait_closed(Micros limit = sec(5)) {
    for (;;) {
      Result<Received> f = co_await next(limit);
      if (!f) co_return f.error() == Errc::closed || f.error() == Errc::reset ? Status{} : Status{f.error()};
    }
  }
  // HW_LOGIN (or LOGIN) with id 1: the status the cloud answered.
  Task<Result<blynk::StatusCode>> login(std::string token, blynk::Command how = blynk::Command::hw_login) {
    Status s = co_await send_raw(frame(how, 1, token));
    if (!s) co_return s.error();
    Result<Received> r = co_await next_of(blynk::Command::response);
    if (!r) co_return r.error();
    co_return r->status();
  }
  // Connect, log in, announce h-beat and buff-in; ok when everything was answered with 200.
  Task<Status> come_online(Endpoint at, std::string token, int heartbeat_s = 45, int buff_in = 256) {
    Status c = co_await connect(at);
    if (!c) co_return c;
    Result<blynk::StatusCode> l = co_await login(token);
    if (!l) co_return l.error();
    if (*l != blynk::StatusCode::ok) co_return Errc::refused;
    const std::string info = std::string("ver\0test\0h-beat\0", 16) + std::to_string(heartbeat_s) +
                             std::string("\0buff-in\0", 9) + std::to_string(buff_in);
    Status i = co_await send_raw(frame(blynk::Command::internal, 2, info));
    if (!i) co_return i;
    Result<Received> r = co_await next_of(blynk::Command::response);
    if (!r) co_return r.error();
    co_return r->status() == blynk::StatusCode::ok ? Status{} : Status{Errc::protocol_error};
  }
  void close() { stream_.close(); }
  TcpStream& stream() { return stream_; }

 private:
  TcpStream stream_;
  std::vector<char> buffer_ = std::vector<char>(8192);
  blynk::FrameParser parser_;
  std::deque<Received> frames_;
};

struct HttpReply {
  int status = 0;
  std::string head;
  std::string body;
};

// Sends `request` bytes on a new connection and reads until the cloud closes it ("Connection: close").
inline Task<Result<HttpReply>> http_raw(Endpoint at, std::string request) {
  Result<TcpStream> s = co_await TcpStream::connect(at, sec(5));
  if (!s) co_return s.error();
  IoResult w = co_await s->write_all(request);
  if (!w) co_return w.error;
  std::string all;
  char buf[4096];
  for (;;) {
    IoResult r = co_await wait_for(s->read_some(buf), sec(5));
    if (!r) {
      if (r.error == Errc::closed || r.error == Errc::reset) break;
      co_return r.error;
    }
    all.append(buf, r.count);
  }
  HttpReply reply;
  const std::size_t end = all.find("\r\n\r\n");
  if (all.size() < 12 || end == std::string::npos) co_return Errc::protocol_error;
  reply.status = std::atoi(all.c_str() + 9);
  reply.head = all.substr(0, end);
  reply.body = all.substr(end + 4);
  co_return reply;
}

// `headers`: extra header lines, each ending in CRLF ("Authorization: Bearer KEY\r\n").
inline Task<Result<HttpReply>> http_get(Endpoint at, std::string target, std::string headers = {}) {
  co_return co_await http_raw(
      at, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n");
}

inline Task<Status> within(Task<> body, Micros limit) {
  co_return co_await wait_for(std::move(body), limit);
}

class CloudTest : public ::testing::Test {
 protected:
  CloudTest() : loop(linux_board::linux_clock()) {}
  ~CloudTest() override {
    if (cloud) {
      cloud->stop();
      (void)loop.run_until_complete(within(wait_run(), sec(5)));
    }
  }

  // Starts a cloud on a free port with `options` (port forced to 0) over `store`.
  void start(CloudOptions options = {}) {
    options.port = 0;
    cloud.emplace(store, options);
    ASSERT_TRUE(cloud->start().ok());
    run_handle = loop.spawn(cloud->run(), "cloud");
  }
  // Runs `body` (and the cloud) until it ends; fails the test if it takes over `limit`.
  void run(Task<> body, Micros limit = sec(10)) {
    Status s = loop.run_until_complete(within(std::move(body), limit));
    EXPECT_TRUE(s.ok()) << "test body: " << to_string(s.error());
  }
  Endpoint at() const { return cloud->blynk_endpoint(); }

  Loop loop;
  Store store;
  std::optional<Cloud> cloud;
  JoinHandle<void> run_handle;

 private:
  Task<> wait_run() { (void)co_await run_handle.join(); }
};

}  // namespace weft::cloud::test
