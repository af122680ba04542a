// Widgets (Bridge, LCD, Terminal) through the session, and the seeds' timers (pblynk's Ticker, blynktimer).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "session_fixture.hpp"

namespace weft::blynk::test {
namespace {

using weft::test::LogCapture;

// Reads `n` device frames of `command` as "COMMAND body|with|bars".
Task<Result<std::vector<std::string>>> take(SessionTest& t, Command command, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    Result<ServerFrame> f = co_await t.expect(command, sec(10));
    if (!f) co_return f.error();
    out.push_back(f->text());
  }
  co_return out;
}

TEST_F(SessionTest, BridgeBindsTheTokenThenWritesThroughItsChannel) {
  start();
  Bridge garage(*blynk, 64);
  Bridge lights(*blynk, 65);
  EXPECT_TRUE(garage.set_auth_token(kOtherToken));  // before the connection: kept and sent after login
  run([](SessionTest& t, Bridge& g, Bridge& l) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    EXPECT_TRUE(l.set_auth_token(kToken));
    EXPECT_TRUE(g.digital_write(5, 1));
    EXPECT_TRUE(g.virtual_write(3, "open", 2));
    EXPECT_TRUE(l.analog_write(4, 512));
    Result<std::vector<std::string>> got = co_await take(t, Command::bridge, 5);
    CO_ASSERT(got);
    EXPECT_EQ(*got, (std::vector<std::string>{std::string("64|i|") + std::string(kOtherToken),
                                              std::string("65|i|") + std::string(kToken), "64|dw|5|1",
                                              "64|vw|3|open|2", "65|aw|4|512"}));
  }(*this, garage, lights));
}

TEST_F(SessionTest, BridgeRebindsItsTokenFirstAfterEveryReconnect) {
  start();
  Bridge garage(*blynk, 64);
  run([](SessionTest& t, Bridge& g) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    EXPECT_TRUE(g.set_auth_token(kOtherToken));
    Result<ServerFrame> bind = co_await t.expect(Command::bridge, sec(1));
    CO_ASSERT(bind);
    t.conn->close();
    co_await sleep_ms(10);
    EXPECT_TRUE(g.virtual_write(1, 42));  // written while the link is down
    Status again = co_await t.login(sec(10));
    CO_ASSERT(again);
    Result<std::vector<std::string>> got = co_await take(t, Command::bridge, 2);
    CO_ASSERT(got);
    EXPECT_EQ(*got,
              (std::vector<std::string>{std::string("64|i|") + std::string(kOtherToken), "64|vw|1|42"}));
  }(*this, garage));
}

TEST_F(SessionTest, BridgeRefusesABadTokenAndWritesBeforeAToken) {
  LogCapture log;
  start();
  Bridge b(*blynk, 64);
  EXPECT_EQ(b.set_auth_token("short").error(), Errc::invalid_argument);
  EXPECT_EQ(b.virtual_write(1, 1).error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("Bridge(V64).set_auth_token: auth token must be exactly 32 characters"));
  EXPECT_TRUE(log.contains("call set_auth_token() before writing"));
  Bridge bad(*blynk, 300);
  EXPECT_EQ(bad.set_auth_token(kToken).error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("Bridge(V300): the bridge's channel is a virtual pin 0..255"));
  EXPECT_TRUE(blynk->outbox().empty());
}

TEST_F(SessionTest, LcdSendsPrintAndClearBodies) {
  LogCapture log;
  start();
  Lcd lcd(*blynk, 7);
  EXPECT_TRUE(lcd.clear());
  EXPECT_TRUE(lcd.print(0, 0, "Temperature"));
  EXPECT_TRUE(lcd.print(3, 1, 21.5));
  EXPECT_EQ(lcd.print(16, 0, "x").error(), Errc::invalid_argument);
  EXPECT_EQ(lcd.print(0, 2, "x").error(), Errc::invalid_argument);
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    Result<std::vector<std::string>> got = co_await take(t, Command::hardware, 3);
    CO_ASSERT(got);
    EXPECT_EQ(*got, (std::vector<std::string>{"vw|7|clr", "vw|7|p|0|0|Temperature", "vw|7|p|3|1|21.5"}));
  }(*this));
}

TEST_F(SessionTest, TerminalBuffersUntilNewlineAndDeliversInput) {
  std::vector<std::string> typed;
  start();
  Terminal<> term(*blynk, 9);
  EXPECT_TRUE(term.on_input([&typed](std::string_view line) { typed.emplace_back(line); }));
  EXPECT_TRUE(term.print("uptime "));
  EXPECT_TRUE(term.print(42));
  EXPECT_EQ(term.buffered(), "uptime 42");
  EXPECT_TRUE(blynk->outbox().empty());  // nothing sent before the newline
  EXPECT_TRUE(term.println(" s"));
  EXPECT_TRUE(term.print("a\nb\n"));
  EXPECT_TRUE(term.clear());
  EXPECT_TRUE(term.print("partial"));
  EXPECT_TRUE(term.flush());
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    Result<std::vector<std::string>> got = co_await take(t, Command::hardware, 5);
    CO_ASSERT(got);
    EXPECT_EQ(*got, (std::vector<std::string>{"vw|9|uptime 42 s\n", "vw|9|a\n", "vw|9|b\n", "vw|9|clr",
                                              "vw|9|partial"}));
    const std::string input = frame(Command::hardware, 30, {"vw", "9", "reboot"});
    co_await t.send(input);
    co_await sleep_ms(1);
  }(*this));
  EXPECT_EQ(typed, (std::vector<std::string>{"reboot"}));
}

TEST_F(SessionTest, TerminalSendsALineLongerThanItsBufferInPieces) {
  start();
  Terminal<8> term(*blynk, 9);
  EXPECT_TRUE(term.print("0123456789abcdef\n"));
  run([](SessionTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    Result<std::vector<std::string>> got = co_await take(t, Command::hardware, 3);
    CO_ASSERT(got);
    EXPECT_EQ(*got, (std::vector<std::string>{"vw|9|01234567", "vw|9|89abcdef", "vw|9|\n"}));
  }(*this));
}

TEST_F(SessionTest, TerminalRefusesTextWithANul) {
  LogCapture log;
  start();
  Terminal<> term(*blynk, 9);
  EXPECT_EQ(term.print(std::string_view("a\0b", 3)).error(), Errc::invalid_argument);
  EXPECT_TRUE(term.buffered().empty());
  EXPECT_TRUE(log.contains("Terminal(V9).print: a NUL inside the text"));
}

// --- Timers
// ----------------------------------------------------------------------------------------------------

TEST(Ticker, TicksTwoHundredTimesPerSecondDividedByTheDivider) {
  weft::test::VirtualLoop v;
  int ticks = 0;
  Ticker ticker([&ticks] { ++ticks; });  // pblynk's default divider 40: 5 Hz
  EXPECT_TRUE(ticker.active());
  EXPECT_TRUE(v.loop.run_for(sec(2)));
  EXPECT_EQ(ticks, 10);
  EXPECT_TRUE(ticker.set_divider(100));  // 2 Hz
  EXPECT_TRUE(v.loop.run_for(sec(2)));
  EXPECT_EQ(ticks, 14);
  ticker.stop();  // pblynk's b.Ticker(None)
  EXPECT_TRUE(v.loop.run_for(sec(2)));
  EXPECT_EQ(ticks, 14);
}

TEST(Ticker, RefusesADividerBelowOne) {
  weft::test::VirtualLoop v;
  LogCapture log;
  Ticker ticker([] {}, 0);
  EXPECT_FALSE(ticker.active());
  EXPECT_TRUE(log.contains("Ticker divider 0: use 1 or more"));
  Ticker ok([] {});
  EXPECT_EQ(ok.set_divider(-3).error(), Errc::invalid_argument);
  EXPECT_EQ(ok.divider(), 40);
}

TEST(TimerGroup, RunsPeriodicAndRunOnceTimersThatCanBeStoppedAndStarted) {
  weft::test::VirtualLoop v;
  TimerGroup<3> timers;
  int every = 0;
  int once = 0;
  int later = 0;
  Result<int> a = timers.add(sec(1), [&every] { ++every; });
  Result<int> b = timers.add(
      ms(2500), [&once] { ++once; }, RunOnce::yes);
  Result<int> c = timers.add(
      sec(1), [&later] { ++later; }, RunOnce::no, Initially::stopped);
  ASSERT_TRUE(a && b && c);
  EXPECT_TRUE(v.loop.run_for(sec(5)));
  EXPECT_EQ(every, 5);
  EXPECT_EQ(once, 1);
  EXPECT_EQ(later, 0);
  EXPECT_TRUE(timers.is_stopped(*b));  // a run-once timer is done
  EXPECT_TRUE(timers.is_stopped(*c));
  EXPECT_TRUE(timers.stop(*a));
  EXPECT_TRUE(v.loop.run_for(sec(5)));
  EXPECT_EQ(every, 5);
  EXPECT_TRUE(timers.start(*a));
  EXPECT_TRUE(timers.start(*b));  // runs once more
  EXPECT_TRUE(timers.start(*c));
  EXPECT_TRUE(v.loop.run_for(sec(3)));
  EXPECT_EQ(every, 8);
  EXPECT_EQ(once, 2);
  EXPECT_EQ(later, 3);
  EXPECT_EQ(timers.size(), 3u);
}

TEST(TimerGroup, RefusesABadIntervalAFullGroupAndUnknownIds) {
  weft::test::VirtualLoop v;
  LogCapture log;
  TimerGroup<1> timers;
  EXPECT_EQ(timers.add(0, [] {}).error(), Errc::invalid_argument);
  EXPECT_TRUE(timers.add(sec(1), [] {}));
  EXPECT_EQ(timers.add(sec(1), [] {}).error(), Errc::no_memory);
  EXPECT_EQ(timers.start(5).error(), Errc::invalid_argument);
  EXPECT_TRUE(timers.remove(0));
  EXPECT_EQ(timers.stop(0).error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("the timer group is full (1 timers)"));
  EXPECT_TRUE(log.contains("timer start(5): no such timer"));
}

}  // namespace
}  // namespace weft::blynk::test
