// The link once it is up: heartbeat and dead-link detection, server PINGs, frames in any chunking, message
// ids, and what the session does with bad frames (oversized, id 0, unknown commands, stalled writes).
#include <gtest/gtest.h>

#include <vector>

#include "session_fixture.hpp"

namespace weft::blynk::test {
namespace {

using weft::test::LogCapture;

TEST_F(SessionTest, PingsWhenTheLinkHasBeenIdleForTheHeartbeat) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const Micros up = t.now();
    Result<ServerFrame> ping = co_await t.conn->next(sec(60));
    CO_ASSERT(ping);
    EXPECT_EQ(ping->command, Command::ping);
    EXPECT_EQ(ping->id, 3);  // login 1, info 2
    EXPECT_EQ(ping->at - up, sec(45));
    co_await t.send(response(ping->id, StatusCode::ok));
    Result<ServerFrame> ping2 = co_await t.conn->next(sec(60));
    CO_ASSERT(ping2);
    EXPECT_EQ(ping2->command, Command::ping);
    EXPECT_EQ(ping2->at - ping->at, sec(45));  // the answer reset the silence
    EXPECT_TRUE(t.blynk->connected());
  }(*this));
  EXPECT_EQ(blynk->stats().pings, 2u);
}

TEST_F(SessionTest, DeclaresTheLinkDeadAfterHeartbeatPlusThreeTimeoutsOfSilence) {
  std::vector<DisconnectReason> reasons;
  start().on_disconnected([&reasons](DisconnectReason r) { reasons.push_back(r); });
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const Micros up = t.now();
    std::vector<Micros> pings;
    for (;;) {  // the server has gone silent: it reads but never answers
      Result<ServerFrame> f = co_await t.conn->next(sec(120));
      if (!f) {
        EXPECT_EQ(f.error(), Errc::closed);
        break;
      }
      if (f->command == Command::ping) pings.push_back(f->at - up);
    }
    EXPECT_EQ(t.now() - up, sec(45 + 3 * 2));
    EXPECT_EQ(pings, (std::vector<Micros>{sec(45), sec(47), sec(49)}));
    Result<MemoryEnd> again = co_await t.server.accept(sec(10));
    EXPECT_TRUE(again);  // and it reconnects
  }(*this));
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0], DisconnectReason::heartbeat_timeout);
}

TEST_F(SessionTest, AnswersAServerPingWithOkAndTheSameId) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    co_await t.send(raw_frame(Command::ping, 777, ""));
    Result<ServerFrame> r = co_await t.expect(Command::response, sec(1));
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 777);
    EXPECT_EQ(r->status(), StatusCode::ok);
    EXPECT_TRUE(r->body.empty());  // a RESPONSE has no body (lib-python's "200" body is a known peer bug)
  }(*this));
}

TEST_F(SessionTest, HandlesFramesSplitAtEveryByte) {
  net.client_max_read = 1;  // every read of the device returns one byte
  std::vector<std::string> seen;
  start().on_write_any(
      [&seen](int pin, Values v) { seen.push_back(std::to_string(pin) + "=" + std::string(v.text())); });
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();  // the login answer itself arrives byte by byte
    CO_ASSERT(in);
    std::string burst = frame(Command::hardware, 10, {"vw", "1", "on"}) + raw_frame(Command::ping, 11, "") +
                        frame(Command::hardware, 12, {"vw", "200", "12.5"});
    co_await t.send(burst);
    Result<ServerFrame> r = co_await t.expect(Command::response, sec(1));
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 11);
    co_await sleep_ms(1);
  }(*this));
  EXPECT_EQ(seen, (std::vector<std::string>{"1=on", "200=12.5"}));
}

TEST_F(SessionTest, HandlesSeveralFramesDeliveredInOneRead) {
  std::vector<std::string> seen;
  start().on_write_any(
      [&seen](int pin, Values v) { seen.push_back(std::to_string(pin) + "=" + std::string(v.text())); });
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    std::string burst;
    for (int i = 0; i < 20; ++i) {
      burst += frame(Command::hardware, static_cast<std::uint16_t>(100 + i),
                     {"vw", std::to_string(i), std::to_string(i * i)});
    }
    burst += raw_frame(Command::ping, 200, "");
    co_await t.send(burst);
    Result<ServerFrame> r = co_await t.expect(Command::response, sec(1));
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 200);
  }(*this));
  ASSERT_EQ(seen.size(), 20u);
  EXPECT_EQ(seen.front(), "0=0");
  EXPECT_EQ(seen.back(), "19=361");
}

TEST_F(SessionTest, WrapsMessageIdsFrom65535To1AndNeverSendsZero) {
  config.send_interval = 0;  // no rate limit: 65,600 messages in no time
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    for (int i = 0; i < 65'600; i += 20) {
      for (int k = 0; k < 20; ++k)
        (void)t.blynk->virtual_write(k, i + k);  // 20 pins: nothing coalesces
      co_await yield();                          // the writer sends them
    }
    co_await sleep_ms(1);
    // Parse what reached the server straight from its pipe (65,600 frames through ServerConn would be slow).
    std::string& wire = t.conn->end().in().bytes;
    std::vector<char> body(4096);
    FrameParser parser(body);
    std::string_view rest(wire);
    std::vector<std::uint16_t> ids;
    for (;;) {
      Result<Frame> f = parser.next(rest);
      if (!f) break;
      if (f->command == Command::hardware) ids.push_back(f->id);
    }
    CO_ASSERT(ids.size() == 65'600u);
    // login 1, info 2, then 3...65535 (65,533 writes), then 1, 2, ...
    EXPECT_EQ(ids.front(), 3);
    EXPECT_EQ(ids[65'532], 65535);
    EXPECT_EQ(ids[65'533], 1);
    EXPECT_EQ(ids[65'534], 2);
    EXPECT_EQ(std::count(ids.begin(), ids.end(), 0), 0);
  }(*this));
}

TEST_F(SessionTest, DropsTheConnectionOnAFrameLargerThanBuffInAndReconnects) {
  LogCapture log;
  std::vector<DisconnectReason> reasons;
  start().on_disconnected([&reasons](DisconnectReason r) { reasons.push_back(r); });
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    co_await t.send(raw_frame(20, 5, 300, std::string(300, 'x')));
    Status closed = co_await t.conn->wait_closed(sec(1));
    EXPECT_TRUE(closed);
    Result<MemoryEnd> again = co_await t.server.accept(sec(10));
    EXPECT_TRUE(again);
  }(*this));
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0], DisconnectReason::frame_too_large);
  EXPECT_TRUE(log.contains("HARDWARE id 5 with a 300-byte body, more than buff-in 256"));
}

TEST_F(SessionTest, DropsTheConnectionOnMessageIdZero) {
  LogCapture log;
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string msg1 = frame(Command::hardware, 0, {"vw", "1", "1"});
    co_await t.send(msg1);
    Status closed = co_await t.conn->wait_closed(sec(1));
    EXPECT_TRUE(closed);
  }(*this));
  EXPECT_EQ(blynk->last_disconnect(), DisconnectReason::protocol_error);
  EXPECT_TRUE(log.contains("message id 0"));
}

TEST_F(SessionTest, AnswersAnUnknownCommandWithIllegalCommandAndStaysConnected) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    co_await t.send(raw_frame(99, 7, 3, "abc"));
    Result<ServerFrame> r = co_await t.expect(Command::response, sec(1));
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 7);
    EXPECT_EQ(r->status(), StatusCode::illegal_command);
    const std::string msg2 = frame(Command::notify, 8, {"a device does not take notifications"});
    co_await t.send(msg2);
    Result<ServerFrame> r2 = co_await t.expect(Command::response, sec(1));
    CO_ASSERT(r2);
    EXPECT_EQ(r2->id, 8);
    EXPECT_EQ(r2->status(), StatusCode::illegal_command);
    EXPECT_TRUE(t.blynk->connected());
  }(*this));
}

TEST_F(SessionTest, AnswersUnknownAndMalformedHardwareMessages) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string msg3 = frame(Command::hardware, 9, {"zz", "1"});
    co_await t.send(msg3);
    Result<ServerFrame> r = co_await t.expect(Command::response, sec(1));
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 9);
    EXPECT_EQ(r->status(), StatusCode::illegal_command);
    const std::string msg4 = frame(Command::hardware, 10, {"vw", "V1", "1"});
    co_await t.send(msg4);  // a pin must be a number
    Result<ServerFrame> r2 = co_await t.expect(Command::response, sec(1));
    CO_ASSERT(r2);
    EXPECT_EQ(r2->id, 10);
    EXPECT_EQ(r2->status(), StatusCode::illegal_command_body);
    EXPECT_TRUE(t.blynk->connected());
  }(*this));
}

TEST_F(SessionTest, DropsALinkWhoseWritesStallForTheWriteTimeout) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    t.conn->end().connection().to_server.stall_writes = true;  // the server stops reading
    const Micros stalled = t.now();
    (void)t.blynk->virtual_write(1, 1);
    Result<MemoryEnd> again = co_await t.server.accept(sec(60));
    CO_ASSERT(again);
    EXPECT_GE(t.now() - stalled, sec(10));
    EXPECT_EQ(t.blynk->last_disconnect(), DisconnectReason::write_timeout);
  }(*this));
}

TEST_F(SessionTest, LogsTheServersDebugPrints) {
  LogCapture log;
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string msg5 = frame(Command::debug_print, 4, {"hello from the server"});
    co_await t.send(msg5);
    co_await sleep_ms(10);
  }(*this));
  EXPECT_TRUE(log.contains("Blynk server: hello from the server"));
}

}  // namespace
}  // namespace weft::blynk::test
