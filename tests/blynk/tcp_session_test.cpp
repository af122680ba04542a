// The session over real loopback TCP (TcpTransport, the Linux socket port, the real clock): the same client
// an application declares, against a fake server on a TcpListener in the same loop. Kept few and short; the
// protocol's edge cases run on the in-memory network in virtual time.
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "blynk/blynk.hpp"
#include "core/test_support.hpp"
#include "core/weft.hpp"
#include "io/io.hpp"
#include "linux/linux_clock.hpp"
#include "session_fixture.hpp"

namespace weft::blynk::test {
namespace {

// The server's side of one TCP connection: frames in (parsed and copied), bytes out.
class TcpServerConn {
 public:
  explicit TcpServerConn(TcpStream s) : stream_(std::move(s)), buffer_(4096), parser_(buffer_) {}

  Task<Result<ServerFrame>> next(Micros limit) {
    const Micros deadline = deadline_after(Loop::current().refresh_now(), limit);
    while (frames_.empty()) {
      char buf[512];
      const Micros left = deadline - Loop::current().refresh_now();
      if (left <= 0) co_return Errc::timed_out;
      IoResult r = co_await wait_for(stream_.read_some(buf), left);
      if (!r) co_return r.error;
      std::string_view in(buf, r.count);
      for (;;) {
        Result<Frame> f = parser_.next(in);
        if (!f) {
          if (f.error() == Errc::would_block) break;
          co_return f.error();
        }
        frames_.push_back(ServerFrame{f->command, f->id, f->length, std::string(f->body), 0});
      }
    }
    ServerFrame f = std::move(frames_.front());
    frames_.pop_front();
    co_return f;
  }
  Task<Status> send(std::string bytes) {
    IoResult r = co_await stream_.write_all(bytes);
    co_return r.ok() ? Status{} : Status{r.error};
  }
  void close() { stream_.close(); }

 private:
  TcpStream stream_;
  std::vector<char> buffer_;
  FrameParser parser_;
  std::deque<ServerFrame> frames_;
};

class TcpSessionTest : public ::testing::Test {
 public:
  Loop loop{linux_board::linux_clock()};
  TcpListener listener = TcpListener::listen(Endpoint::v4(127, 0, 0, 1, 0)).value();
  Config config = [this] {
    Config c = test_config();
    c.host = "127.0.0.1";
    c.port = listener.local_endpoint()->port;
    c.retry_min = ms(20);
    c.retry_max = ms(50);
    return c;
  }();
  Blynk blynk{config};  // plain TCP, as an application declares it
  JoinHandle<Status> session = loop.spawn(blynk.run(), "blynk");

  ~TcpSessionTest() override {
    session.cancel();
    (void)loop.run_for(ms(50));
  }
  void run(Task<> body) {
    Status s = loop.run_until_complete(within(std::move(body), sec(10)));
    EXPECT_TRUE(s.ok()) << "test body: " << to_string(s.error());
  }
};

TEST_F(TcpSessionTest, LogsInAndExchangesValuesOverLoopbackTcp) {
  std::vector<std::string> writes;
  ASSERT_TRUE(blynk.on_write(4, [&writes](int, Values v) { writes.emplace_back(v.text()); }));
  run([](TcpSessionTest& t) -> Task<> {
    Result<TcpStream> accepted = co_await wait_for(t.listener.accept(), sec(5));
    CO_ASSERT(accepted);
    TcpServerConn conn(std::move(*accepted));
    Result<ServerFrame> login = co_await conn.next(sec(5));
    CO_ASSERT(login);
    EXPECT_EQ(login->command, Command::hw_login);
    EXPECT_EQ(login->body, kToken);
    co_await conn.send(response(1, StatusCode::ok));
    Result<ServerFrame> info = co_await conn.next(sec(5));
    CO_ASSERT(info);
    EXPECT_EQ(info->command, Command::internal);
    const std::string write = frame(Command::hardware, 9, {"vw", "4", "from the app"});
    co_await conn.send(write);
    EXPECT_TRUE(t.blynk.virtual_write(5, 21.5));
    Result<ServerFrame> value = co_await conn.next(sec(5));
    CO_ASSERT(value);
    EXPECT_EQ(value->text(), "vw|5|21.5");
  }(*this));
  EXPECT_EQ(writes, (std::vector<std::string>{"from the app"}));
}

TEST_F(TcpSessionTest, ReconnectsAfterTheServerClosesTheSocket) {
  run([](TcpSessionTest& t) -> Task<> {
    for (int round = 0; round < 2; ++round) {
      Result<TcpStream> accepted = co_await wait_for(t.listener.accept(), sec(5));
      CO_ASSERT(accepted);
      TcpServerConn conn(std::move(*accepted));
      Result<ServerFrame> login = co_await conn.next(sec(5));
      CO_ASSERT(login);
      co_await conn.send(response(1, StatusCode::ok));
      Result<ServerFrame> info = co_await conn.next(sec(5));
      CO_ASSERT(info);
      conn.close();
    }
  }(*this));
  EXPECT_GE(blynk.stats().connects, 2u);
}

TEST_F(TcpSessionTest, RetriesARefusedConnectionWithBackoff) {
  listener.close();  // nobody listens on the port any more: connections are refused
  run([](TcpSessionTest& t) -> Task<> {
    while (t.blynk.stats().attempts < 3)
      co_await sleep_ms(10);
    EXPECT_EQ(t.blynk.last_disconnect(), DisconnectReason::connect_failed);
  }(*this));
}

}  // namespace
}  // namespace weft::blynk::test
