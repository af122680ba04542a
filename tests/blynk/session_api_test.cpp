// The device API through the session: app writes and reads to handlers, what the device sends (bodies),
// flood protection (rate limit, coalescing, bounded outbox), values written offline, events, rtc, and bad
// input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "session_fixture.hpp"

namespace weft::blynk::test {
namespace {

using weft::test::LogCapture;

// --- App -> device ----------------------------------------------------------------------------------------

TEST_F(SessionTest, CallsTheWriteHandlerOfThePinWithItsValues) {
  std::vector<std::string> got;
  start();
  ASSERT_TRUE(blynk->on_write(5, [&got](int pin, Values v) {
    got.push_back(std::to_string(pin) + ":" + std::to_string(v.size()) + ":" + std::string(v[0]) + "," +
                  std::string(v[1]));
  }));
  ASSERT_TRUE(blynk->on_write(6, [&got](int, Values v) {
    got.push_back("six " + std::to_string(v.as_int().value_or(-1)) + " " +
                  std::to_string(v.as_double(1).value_or(-1)));
  }));
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string burst = frame(Command::hardware, 5, {"vw", "5", "128", "64"}) +
                              frame(Command::hardware, 6, {"vw", "6", "42", "0.5"}) +
                              frame(Command::hardware, 7, {"vw", "7", "nobody listens"});
    co_await t.send(burst);
    co_await sleep_ms(1);
  }(*this));
  EXPECT_EQ(got, (std::vector<std::string>{"5:2:128,64", "six 42 0.500000"}));
}

// Every official client (C++ library, blynklib, the npm library) handles BRIDGE (15) like HARDWARE: the real
// server delivers another device's bridged writes that way.
TEST_F(SessionTest, HandlesABridgedWriteLikeHardwareAsTheOfficialClientsDo) {
  std::vector<std::string> got;
  start();
  ASSERT_TRUE(blynk->on_write(
      3, [&got](int pin, Values v) { got.push_back(std::to_string(pin) + ":" + std::string(v.text())); }));
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string bridged = frame(Command::bridge, 12, {"vw", "3", "open"});
    co_await t.send(bridged);
    const std::string ping = frame(Command::ping, 13, {});
    co_await t.send(ping);
    // The first RESPONSE answers the PING: the BRIDGE frame got no ILLEGAL_COMMAND.
    Result<ServerFrame> r = co_await t.expect(Command::response, sec(1));
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 13);
    EXPECT_EQ(r->status(), StatusCode::ok);
  }(*this));
  EXPECT_EQ(got, (std::vector<std::string>{"3:open"}));
}

TEST_F(SessionTest, SendsWritesWithoutAHandlerToTheWildcard) {
  std::vector<std::string> got;
  start();
  ASSERT_TRUE(blynk->on_write(1, [&got](int, Values) { got.push_back("own"); }));
  ASSERT_TRUE(blynk->on_write_any([&got](int pin, Values v) {
    got.push_back("any " + std::to_string(pin) + " " + std::string(v.text()));
  }));
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string burst =
        frame(Command::hardware, 5, {"vw", "1", "x"}) + frame(Command::hardware, 6, {"vw", "77", "y"});
    co_await t.send(burst);
    co_await sleep_ms(1);
  }(*this));
  EXPECT_EQ(got, (std::vector<std::string>{"own", "any 77 y"}));
}

TEST_F(SessionTest, AnswersAVirtualReadWithTheHandlersValueAndTheSameId) {
  start();
  ASSERT_TRUE(blynk->on_read(3, [](int pin, Reply& r) { (void)r.write(pin * 10, "ok"); }));
  ASSERT_TRUE(blynk->on_read_any([](int, Reply& r) { (void)r.write(-1); }));
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string reads =
        frame(Command::hardware, 40, {"vr", "3"}) + frame(Command::hardware, 41, {"vr", "9"});
    co_await t.send(reads);
    Result<ServerFrame> a = co_await t.expect(Command::hardware, sec(1));
    Result<ServerFrame> b = co_await t.expect(Command::hardware, sec(1));
    CO_ASSERT(a && b);
    EXPECT_EQ(a->id, 40);
    EXPECT_EQ(a->text(), "vw|3|30|ok");
    EXPECT_EQ(b->id, 41);
    EXPECT_EQ(b->text(), "vw|9|-1");
  }(*this));
}

struct Counter {
  int reads = 0;
  int last_written = -1;
};

TEST_F(SessionTest, AddVirtualPinCarriesTheUsersStateToBothCallbacks) {
  Counter state;
  start();
  ASSERT_TRUE(blynk->add_virtual_pin<Counter>(
      8, state, [](int, Counter& s, Reply& r) { (void)r.write(++s.reads); },
      [](int, Values v, Counter& s) { s.last_written = v.as_int().value_or(-2); }));
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string msgs = frame(Command::hardware, 50, {"vr", "8"}) +
                             frame(Command::hardware, 51, {"vw", "8", "17"}) +
                             frame(Command::hardware, 52, {"vr", "8"});
    co_await t.send(msgs);
    Result<ServerFrame> a = co_await t.expect(Command::hardware, sec(1));
    Result<ServerFrame> b = co_await t.expect(Command::hardware, sec(1));
    CO_ASSERT(a && b);
    EXPECT_EQ(a->text(), "vw|8|1");
    EXPECT_EQ(b->text(), "vw|8|2");
  }(*this));
  EXPECT_EQ(state.reads, 2);
  EXPECT_EQ(state.last_written, 17);
}

TEST_F(SessionTest, ServesDigitalPinsThroughAddDigitalHwPin) {
  int level = 0;
  start();
  ASSERT_TRUE(blynk->add_digital_hw_pin(
      4, [&level](int, Reply& r) { (void)r.write(level); },
      [&level](int, Values v) { level = v.as_int().value_or(0); }));
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string msgs =
        frame(Command::hardware, 60, {"dw", "4", "1"}) + frame(Command::hardware, 61, {"dr", "4"});
    co_await t.send(msgs);
    Result<ServerFrame> a = co_await t.expect(Command::hardware, sec(1));
    CO_ASSERT(a);
    EXPECT_EQ(a->id, 61);
    EXPECT_EQ(a->text(), "dw|4|1");
  }(*this));
  EXPECT_EQ(level, 1);
}

TEST_F(SessionTest, WaitsForRoomBeforeAnsweringAReadWhileTheSendBufferIsBusy) {
  start();
  ASSERT_TRUE(blynk->on_read(2, [](int, Reply& r) { (void)r.write(std::string(200, 'r')); }));
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    // Pings fill the device's send buffer while the server does not read; then a read request arrives.
    t.conn->end().connection().to_server.stall_writes = true;
    std::string burst;
    for (int i = 0; i < 30; ++i)
      burst += raw_frame(Command::ping, static_cast<std::uint16_t>(100 + i), "");
    burst += frame(Command::hardware, 200, {"vr", "2"});
    co_await t.send(burst);
    co_await sleep_ms(5);
    t.conn->end().connection().to_server.stall_writes = false;
    t.conn->end().connection().to_server.unstalled.set();
    int answers = 0;
    for (;;) {
      Result<ServerFrame> f = co_await t.conn->next(sec(1));
      CO_ASSERT(f);
      if (f->command == Command::response) ++answers;
      if (f->command == Command::hardware) {
        EXPECT_EQ(f->id, 200);
        EXPECT_EQ(f->body.size(), 2u + 1 + 1 + 1 + 200);
        break;
      }
    }
    EXPECT_EQ(answers, 30);  // every ping answered, in order, before the read's answer
  }(*this));
}

TEST_F(SessionTest, EndsTheConnectionWhenWritesStallWhileAReadWaitsForRoom) {
  start();
  ASSERT_TRUE(blynk->on_read(2, [](int, Reply& r) { (void)r.write(std::string(200, 'r')); }));
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    t.conn->end().connection().to_server.stall_writes = true;  // and it never reads again
    std::string burst;
    for (int i = 0; i < 30; ++i)
      burst += raw_frame(Command::ping, static_cast<std::uint16_t>(100 + i), "");
    burst += frame(Command::hardware, 200, {"vr", "2"});
    co_await t.send(burst);
    const Micros sent = t.now();
    Result<MemoryEnd> again = co_await t.server.accept(sec(60));
    CO_ASSERT(again);  // the stalled link was dropped and the device came back
    EXPECT_GE(t.now() - sent, sec(10));
    EXPECT_EQ(t.blynk->last_disconnect(), DisconnectReason::write_timeout);
  }(*this));
}

// --- Device -> server: bodies -----------------------------------------------------------------------------

TEST_F(SessionTest, SendsIntsFloatsStringsAndMultiValueWrites) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    EXPECT_TRUE(t.blynk->virtual_write(1, 42));
    EXPECT_TRUE(t.blynk->virtual_write(2, 21.5));
    EXPECT_TRUE(t.blynk->virtual_write(3, 23.4f));
    EXPECT_TRUE(t.blynk->virtual_write(4, "hello"));
    EXPECT_TRUE(t.blynk->virtual_write(5, 1, 2.25, "three", true));
    const Value list[] = {Value(7), Value("x")};
    EXPECT_TRUE(t.blynk->virtual_write(6, std::span<const Value>(list)));
    std::vector<std::string> got;
    for (int i = 0; i < 6; ++i) {
      Result<ServerFrame> f = co_await t.expect(Command::hardware, sec(5));
      CO_ASSERT(f);
      got.push_back(f->text());
    }
    EXPECT_EQ(got, (std::vector<std::string>{"vw|1|42", "vw|2|21.5", "vw|3|23.4", "vw|4|hello",
                                             "vw|5|1|2.25|three|1", "vw|6|7|x"}));
  }(*this));
}

TEST_F(SessionTest, SendsPropertiesNotificationsAndEventsInTheirWireFormat) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    Session& b = *t.blynk;
    EXPECT_TRUE(b.set_property(5, "color", "#D3435C"));
    EXPECT_TRUE(b.set_property(5, "labels", "a", "b"));
    EXPECT_TRUE(b.notify("door open"));
    EXPECT_TRUE(b.tweet("hello"));
    EXPECT_TRUE(b.sms("call me"));
    EXPECT_TRUE(b.email("me@example.com", "Subject", "Body"));
    EXPECT_TRUE(b.email("Subject", "Body"));
    EXPECT_TRUE(b.log_event("overheat"));
    EXPECT_TRUE(b.log_event("overheat", "81 C"));
    EXPECT_TRUE(b.event_clear("overheat"));
    EXPECT_TRUE(b.event_clear_all("overheat"));
    EXPECT_TRUE(b.sync_all());
    EXPECT_TRUE(b.sync_virtual({1, 2, 30}));
    EXPECT_TRUE(b.sync_rtc());
    EXPECT_TRUE(b.request_utc("tz_name"));
    EXPECT_TRUE(b.internal("meta", "set", "serial", 42));
    EXPECT_TRUE(b.begin_group(1700000000000));
    EXPECT_TRUE(b.virtual_write(1, 1));
    EXPECT_TRUE(b.end_group());
    std::vector<std::string> got;
    for (int i = 0; i < 19; ++i) {
      Result<ServerFrame> f = co_await t.conn->next(sec(10));
      CO_ASSERT(f);
      if (f->command == Command::ping) {
        --i;
        continue;
      }
      got.push_back(std::string(to_string(f->command)) + " " + f->text());
    }
    EXPECT_EQ(got, (std::vector<std::string>{
                       "PROPERTY 5|color|#D3435C", "PROPERTY 5|labels|a|b", "NOTIFY door open", "TWEET hello",
                       "SMS call me", "EMAIL me@example.com|Subject|Body", "EMAIL Subject|Body",
                       "EVENT_LOG overheat", "EVENT_LOG overheat|81 C", "EVENT_CLEAR overheat",
                       "EVENT_CLEAR overheat|all", "HARDWARE_SYNC ", "HARDWARE_SYNC vr|1|2|30",
                       "INTERNAL rtc|sync", "INTERNAL utc|tz_name", "INTERNAL meta|set|serial|42",
                       "GROUP b|t|1700000000000", "HARDWARE vw|1|1", "GROUP e"}));
  }(*this));
}

// --- Flood protection -------------------------------------------------------------------------------------

TEST_F(SessionTest, RateLimitsQueuedMessagesToABurstThenOnePerInterval) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const Micros t0 = t.now();
    for (int pin = 0; pin < 10; ++pin)
      EXPECT_TRUE(t.blynk->virtual_write(pin, pin));
    std::vector<Micros> at;
    for (int i = 0; i < 10; ++i) {
      Result<ServerFrame> f = co_await t.expect(Command::hardware, sec(5));
      CO_ASSERT(f);
      at.push_back(f->at - t0);
    }
    // Defaults: a burst of 2, then one every 125 ms: at most 10 in any second.
    EXPECT_EQ(at, (std::vector<Micros>{0, 0, ms(125), ms(250), ms(375), ms(500), ms(625), ms(750), ms(875),
                                       ms(1000)}));
  }(*this));
}

TEST_F(SessionTest, CoalescesWritesToOnePinSoOnlyTheLatestValueWaits) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    (void)t.blynk->virtual_write(9, "a");
    (void)t.blynk->virtual_write(10, "b");
    co_await sleep_ms(1);  // the burst of 2 went out: the rate limit now holds the queue
    for (int i = 0; i < 1000; ++i) {
      EXPECT_TRUE(t.blynk->virtual_write(1, i));  // a fast sensor loop
      EXPECT_TRUE(t.blynk->virtual_write(2, -i));
    }
    EXPECT_EQ(t.blynk->outbox().count(), 2u);  // bounded: one frame per pin
    std::vector<std::string> got;
    for (int i = 0; i < 4; ++i) {
      Result<ServerFrame> f = co_await t.expect(Command::hardware, sec(5));
      CO_ASSERT(f);
      got.push_back(f->text());
    }
    EXPECT_EQ(got, (std::vector<std::string>{"vw|9|a", "vw|10|b", "vw|1|999", "vw|2|-999"}));
    Result<ServerFrame> more = co_await t.expect(Command::hardware, sec(5));
    EXPECT_EQ(more.error(), Errc::timed_out);  // and nothing else
  }(*this));
}

TEST_F(SessionTest, KeepsACoalescedPinsPlaceInTheQueue) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    (void)t.blynk->virtual_write(1, "a");
    (void)t.blynk->virtual_write(2, "b");
    (void)t.blynk->virtual_write(3, "c");
    (void)t.blynk->virtual_write(1, "a2 is longer");  // replaces V1 in its place, ahead of V2
    (void)t.blynk->virtual_write(2, "");              // and V2 shrinks in place
    std::vector<std::string> got;
    for (int i = 0; i < 3; ++i) {
      Result<ServerFrame> f = co_await t.expect(Command::hardware, sec(5));
      CO_ASSERT(f);
      got.push_back(f->text());
    }
    EXPECT_EQ(got, (std::vector<std::string>{"vw|1|a2 is longer", "vw|2|", "vw|3|c"}));
  }(*this));
}

TEST_F(SessionTest, NeverCoalescesTerminalLinesNotificationsOrGroupedWrites) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    EXPECT_TRUE(t.blynk->terminal_write(3, "one\n"));
    EXPECT_TRUE(t.blynk->terminal_write(3, "two\n"));
    EXPECT_TRUE(t.blynk->notify("n1"));
    EXPECT_TRUE(t.blynk->notify("n1"));
    EXPECT_TRUE(t.blynk->begin_group());
    EXPECT_TRUE(t.blynk->virtual_write(4, 1));
    EXPECT_TRUE(t.blynk->virtual_write(4, 2));
    EXPECT_TRUE(t.blynk->end_group());
    EXPECT_EQ(t.blynk->outbox().count(), 8u);  // (the writer has not run yet: all are queued)
    co_return;
  }(*this));
}

TEST_F(SessionTest, RefusesMessagesWhenTheOutboxIsFullAndSaysSo) {
  LogCapture log;
  start();  // never connects: the server does not accept
  net.refuse("blynk.cloud", 80);
  int accepted = 0;
  Status last;
  for (int i = 0; i < 100; ++i) {
    last = blynk->notify("a notification that takes some room");
    if (last) ++accepted;
  }
  EXPECT_EQ(last.error(), Errc::busy);
  EXPECT_GT(accepted, 5);
  EXPECT_LE(blynk->outbox().bytes(), blynk->outbox().capacity());
  EXPECT_TRUE(log.contains("notify refused: the outbox is full"));
  EXPECT_TRUE(log.contains("offline"));
  EXPECT_EQ(std::count_if(log.lines.begin(), log.lines.end(),
                          [](const std::string& l) { return l.find("outbox is full") != std::string::npos; }),
            1);  // said once, not a hundred times
}

TEST_F(SessionTest, StillUpdatesQueuedPinsWhenTheOutboxIsFull) {
  LogCapture log;
  start();
  int pin = 0;
  while (blynk->virtual_write(pin, "x"))
    ++pin;
  EXPECT_GT(pin, 20);
  EXPECT_TRUE(blynk->virtual_write(0, "y"));  // same size: replaces in place
  const std::size_t free = blynk->outbox().capacity() - blynk->outbox().bytes();
  EXPECT_TRUE(blynk->virtual_write(1, std::string(1 + free, 'z')));  // longer than the free room: fits in its
                                                                     // old frame's place
  EXPECT_EQ(blynk->outbox().bytes(), blynk->outbox().capacity());
  EXPECT_EQ(blynk->virtual_write(pin, "x").error(), Errc::busy);  // a new pin still does not fit
}

TEST_F(SessionTest, SendsTheLatestValueOfEachPinWrittenWhileOfflineAfterLogin) {
  start();
  EXPECT_TRUE(blynk->virtual_write(1, 1));  // before the first connection
  EXPECT_TRUE(blynk->virtual_write(1, 2));
  EXPECT_TRUE(blynk->virtual_write(2, "x"));
  EXPECT_TRUE(blynk->set_property(1, "color", "#000000"));
  EXPECT_TRUE(blynk->set_property(1, "color", "#FFFFFF"));
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    std::vector<std::string> got;
    for (int i = 0; i < 3; ++i) {
      Result<ServerFrame> f = co_await t.conn->next(sec(5));
      CO_ASSERT(f);
      got.push_back(f->text());
    }
    EXPECT_EQ(got, (std::vector<std::string>{"vw|1|2", "vw|2|x", "1|color|#FFFFFF"}));
  }(*this));
}

TEST_F(SessionTest, ResendsValuesWrittenWhileTheLinkWasDown) {
  start();
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    t.conn->close();
    co_await sleep_ms(100);
    EXPECT_FALSE(t.blynk->connected());
    EXPECT_TRUE(t.blynk->virtual_write(7, "while down"));
    Status again = co_await t.login(sec(10));
    CO_ASSERT(again);
    Result<ServerFrame> f = co_await t.expect(Command::hardware, sec(5));
    CO_ASSERT(f);
    EXPECT_EQ(f->text(), "vw|7|while down");
    EXPECT_GE(f->id, 3);  // ids restart per connection: login 1, info 2
  }(*this));
}

// --- Bad input: clear errors before anything is sent
// --------------------------------------------------------

TEST_F(SessionTest, RefusesAPinOutOfRangeWithAClearError) {
  LogCapture log;
  start();
  EXPECT_EQ(blynk->virtual_write(256, 1).error(), Errc::invalid_argument);
  EXPECT_EQ(blynk->virtual_write(-1, 1).error(), Errc::invalid_argument);
  EXPECT_EQ(blynk->set_property(300, "color", "#fff").error(), Errc::invalid_argument);
  EXPECT_EQ(blynk->on_write(1000, [](int, Values) {}).error(), Errc::invalid_argument);
  EXPECT_EQ(blynk->sync_virtual({1, 999}).error(), Errc::invalid_argument);
  EXPECT_TRUE(blynk->outbox().empty());
  EXPECT_TRUE(log.contains("virtual_write(V256): virtual pins are 0..255"));
  EXPECT_TRUE(log.contains("on_write(V1000): virtual pins are 0..255"));
}

TEST_F(SessionTest, RefusesAValueTooLongForTheSendBufferWithAClearError) {
  LogCapture log;
  start();
  EXPECT_EQ(blynk->virtual_write(1, std::string(300, 'x')).error(), Errc::too_large);
  EXPECT_EQ(blynk->notify(std::string(256, 'n')).error(), Errc::too_large);
  EXPECT_TRUE(blynk->notify(std::string(255, 'n')));  // the limit itself fits
  EXPECT_EQ(blynk->outbox().count(), 1u);
  EXPECT_TRUE(log.contains("virtual_write refused: the message is larger than the 260-byte send buffer"));
}

TEST_F(SessionTest, RefusesValuesThatCannotBeSent) {
  LogCapture log;
  start();
  EXPECT_EQ(blynk->virtual_write(1, std::numeric_limits<double>::quiet_NaN()).error(),
            Errc::invalid_argument);
  EXPECT_EQ(blynk->virtual_write(1, std::string_view("a\0b", 3)).error(), Errc::invalid_argument);
  EXPECT_EQ(blynk->notify("").error(), Errc::invalid_argument);
  EXPECT_TRUE(blynk->outbox().empty());
  EXPECT_EQ(blynk->stats().refused, 3u);
  EXPECT_TRUE(log.contains("virtual_write refused: invalid argument"));
}

TEST_F(SessionTest, RefusesHandlersBeyondTheTableWithAClearError) {
  LogCapture log;
  start();
  for (int pin = 0; pin < 8; ++pin)
    EXPECT_TRUE(blynk->on_write(pin, [](int, Values) {}));
  EXPECT_TRUE(blynk->on_write(3, [](int, Values) {}));  // replacing needs no new slot
  EXPECT_EQ(blynk->on_write(8, [](int, Values) {}).error(), Errc::no_memory);
  EXPECT_TRUE(log.contains("on_write(8): the handler table is full (8 slots): raise Limits::handlers"));
}

// --- Events
// -------------------------------------------------------------------------------------------------

TEST_F(SessionTest, ReportsAppConnectAndDisconnect) {
  std::vector<std::string> events;
  start();
  blynk->on_app_connected([&events] { events.emplace_back("acon"); });
  blynk->on_app_disconnected([&events] { events.emplace_back("adis"); });
  run([](SessionTest& t, std::vector<std::string>& ev) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    co_await t.send(raw_frame(Command::internal, 20, "acon"));
    co_await sleep_ms(1);
    EXPECT_TRUE(t.blynk->app_connected());
    ev.emplace_back("-");
    co_await t.send(raw_frame(Command::internal, 21, "adis"));
    co_await sleep_ms(1);
    EXPECT_FALSE(t.blynk->app_connected());
  }(*this, events));
  EXPECT_EQ(events, (std::vector<std::string>{"acon", "-", "adis"}));
}

TEST_F(SessionTest, GivesTheServersTimeAfterAnRtcSync) {
  std::vector<std::string> internal;
  start().on_internal([&internal](std::string_view op, Values v) {
    internal.push_back(std::string(op) + ":" + std::string(v.raw()));
  });
  EXPECT_EQ(blynk->rtc_now().error(), Errc::would_block);
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    EXPECT_TRUE(t.blynk->sync_rtc());
    Result<ServerFrame> req = co_await t.expect(Command::internal, sec(1));
    CO_ASSERT(req);
    EXPECT_EQ(req->text(), "rtc|sync");
    const std::string answer = frame(Command::internal, req->id, {"rtc", "1700000000"});
    co_await t.send(answer);
    co_await sleep_ms(1);
    EXPECT_EQ(t.blynk->rtc_now().value_or(0), 1700000000);
    co_await sleep_ms(30'000);
    EXPECT_EQ(t.blynk->rtc_now().value_or(0), 1700000030);
    const std::string utc = frame(Command::internal, 77, {"utc", "tz_name", "Europe/Kyiv"});
    co_await t.send(utc);
    co_await sleep_ms(1);
  }(*this));
  EXPECT_EQ(internal.size(), 2u);
  EXPECT_EQ(internal.back(), std::string("utc:tz_name") + '\0' + "Europe/Kyiv");
}

}  // namespace
}  // namespace weft::blynk::test
