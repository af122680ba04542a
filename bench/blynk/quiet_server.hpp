// QuietServer: a Transport for benchmarks (Linux and lx106): it connects at once, answers the login, then
// stays quiet — reads wait until close(), writes succeed. A session on it reaches `connected` and idles, so
// its steady-state memory can be measured without sockets. Its pending read is a coroutine (a frame in the
// arena, which TcpTransport's read does not take); its writes complete at once (no frame).
#pragma once
#include <algorithm>
#include <cstddef>

#include "blynk/transport.hpp"
#include "core/event.hpp"

namespace weft::blynk::bench {

class QuietServer final : public Transport {
 public:
  Task<Status> open(std::string_view, std::uint16_t, Micros) override { return opened(); }
  ReadOp read_some(std::span<char> into) override { return read(into); }
  WriteOp write_all(std::string_view data, Micros) override { return IoResult{data.size(), Errc::ok}; }
  void close() override {
    open_ = false;
    never_.set();
  }
  [[nodiscard]] bool is_open() const override { return open_; }

 private:
  Task<Status> opened() {
    open_ = true;
    login_answered_ = false;
    never_.clear();
    co_return Status{};
  }
  Task<IoResult> read(std::span<char> into) {
    if (!login_answered_) {
      login_answered_ = true;
      const char ok[] = {0, 0, 1, 0, static_cast<char>(200)};  // RESPONSE id 1, status 200
      std::copy(ok, ok + 5, into.data());
      co_return IoResult{5, Errc::ok};
    }
    Status s = co_await never_.wait();
    co_return IoResult{0, s ? Errc::closed : s.error()};
  }

  Event never_;
  bool open_ = false;
  bool login_answered_ = false;
};

}  // namespace weft::blynk::bench
