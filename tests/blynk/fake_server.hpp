// A scripted fake Blynk server for session tests: one connection seen from the server's side. The test's
// coroutine reads the device's frames (parsed with the codec's FrameParser, bodies copied) and sends frames
// built with FrameWriter or by hand (raw bytes, for malformed input).
#pragma once
#include <deque>
#include <initializer_list>
#include <string>
#include <vector>

#include "blynk/codec.hpp"
#include "core/loop.hpp"
#include "core/wait_for.hpp"
#include "memory_network.hpp"
#include "test_util.hpp"

namespace weft::blynk::test {

struct ServerFrame {
  Command command = Command::response;
  std::uint16_t id = 0;
  std::uint16_t length = 0;
  std::string body;
  Micros at = 0;  // loop time when it was parsed

  [[nodiscard]] StatusCode status() const { return static_cast<StatusCode>(length); }
  // The body's fields ("vw", "5", "21.5"), with a readable NUL separator.
  [[nodiscard]] std::vector<std::string> fields() const {
    std::vector<std::string> out;
    BodyReader r(body);
    while (auto f = r.next())
      out.emplace_back(*f);
    return out;
  }
  // The body with NULs shown as '|': "vw|5|21.5".
  [[nodiscard]] std::string text() const {
    std::string t = body;
    for (char& c : t) {
      if (c == '\0') c = '|';
    }
    return t;
  }
};

// Builds a frame the server sends: command, id and fields joined by NUL ("vw", "5", "1").
inline std::string frame(Command c, std::uint16_t id, std::initializer_list<std::string_view> fields) {
  std::string body;
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) body += '\0';
    first = false;
    body += f;
  }
  return raw_frame(c, id, body);
}
inline std::string response(std::uint16_t id, StatusCode s) {
  return raw_frame(0, id, static_cast<std::uint16_t>(s), {});
}

class ServerConn {
 public:
  explicit ServerConn(MemoryEnd end) : end_(std::move(end)), buffer_(4096), parser_(buffer_) {}

  // The device's next frame: Errc::timed_out after `limit`, closed when the device closed the connection,
  // or the parser's error.
  Task<Result<ServerFrame>> next(Micros limit = sec(600)) {
    const Micros deadline = deadline_after(Loop::current().now(), limit);
    while (frames_.empty()) {
      const Micros left = deadline - Loop::current().now();
      if (left <= 0) co_return Errc::timed_out;
      char buf[512];
      Result<IoResult> r = co_await wait_for(end_.read_some(buf), left);
      if (!r) co_return r.error();
      if (!r->ok()) co_return r->error;
      std::string_view in(buf, r->count);
      for (;;) {
        Result<Frame> f = parser_.next(in);
        if (!f) {
          if (f.error() == Errc::would_block) break;
          co_return f.error();
        }
        frames_.push_back(
            ServerFrame{f->command, f->id, f->length, std::string(f->body), Loop::current().now()});
      }
    }
    ServerFrame f = std::move(frames_.front());
    frames_.pop_front();
    co_return f;
  }
  // The next frame of command `c`, skipping others (pings, info...).
  Task<Result<ServerFrame>> next_of(Command c, Micros limit = sec(600)) {
    const Micros deadline = deadline_after(Loop::current().now(), limit);
    for (;;) {
      Result<ServerFrame> f = co_await next(deadline - Loop::current().now());
      if (!f || f->command == c) co_return f;
    }
  }
  // Answers the login (id 1) and takes the info message: the usual start of a test.
  Task<Status> accept_login(StatusCode answer = StatusCode::ok) {
    Result<ServerFrame> login = co_await next();
    if (!login) co_return login.error();
    co_await send(response(login->id, answer));
    if (answer != StatusCode::ok && answer != StatusCode::already_registered) co_return Status{};
    Result<ServerFrame> info = co_await next();
    if (!info) co_return info.error();
    info_ = *info;
    co_return Status{};
  }

  Task<Status> send(std::string bytes) {
    Result<IoResult> r = co_await end_.write_all(bytes);
    if (!r) co_return r.error();
    co_return r->ok() ? Status{} : Status{r->error};
  }
  // Waits until the device closed its end (Errc::timed_out after `limit`), discarding what it sends.
  Task<Status> wait_closed(Micros limit = sec(600)) {
    for (;;) {
      Result<ServerFrame> f = co_await next(limit);
      if (!f) co_return f.error() == Errc::closed ? Status{} : Status{f.error()};
    }
  }
  void close() { end_.close(); }

  [[nodiscard]] MemoryEnd& end() { return end_; }
  [[nodiscard]] const ServerFrame& info() const { return info_; }

 private:
  MemoryEnd end_;
  std::vector<char> buffer_;
  FrameParser parser_;
  std::deque<ServerFrame> frames_;
  ServerFrame info_;
};

}  // namespace weft::blynk::test
