// The session's pure building blocks: Outbox (bounded, coalescing), RateLimiter, Backoff, Values, Handler.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "blynk/backoff.hpp"
#include "blynk/frame.hpp"
#include "blynk/handler.hpp"
#include "blynk/outbox.hpp"
#include "blynk/rate_limiter.hpp"
#include "blynk/values.hpp"

namespace weft::blynk {
namespace {

// Queues a virtual write of `value` to `pin`, keyed by (vw, pin) like the session does.
Status put_vw(Outbox& o, int pin, std::string_view value, Outbox::Place place = Outbox::Place::back) {
  const Value vals[] = {Value(value)};
  return o.put(Message::virtual_write(pin, vals), place);
}

std::vector<std::string> drain(Outbox& o) {
  std::vector<std::string> out;
  std::array<char, 512> buf{};
  while (!o.empty()) {
    FrameWriter tx(buf);
    EXPECT_TRUE(o.send_front(tx, 9));
    std::string body(tx.data().substr(header_size));
    for (char& c : body) {
      if (c == '\0') c = '|';
    }
    out.push_back(body);
  }
  return out;
}

TEST(Outbox, KeepsFramesInOrderAndGivesThemTheirIdWhenSent) {
  std::array<char, 128> storage{};
  Outbox o(storage, 64);
  EXPECT_TRUE(put_vw(o, 1, "a"));
  EXPECT_TRUE(put_vw(o, 2, "b"));
  EXPECT_EQ(o.count(), 2u);
  std::array<char, 64> buf{};
  FrameWriter tx(buf);
  EXPECT_TRUE(o.send_front(tx, 4242));
  EXPECT_EQ(decode_header(tx.data().data()).id, 4242);
  EXPECT_EQ(drain(o), (std::vector<std::string>{"vw|2|b"}));
}

TEST(Outbox, ReplacesTheQueuedFrameOfTheSameKeyInItsPlace) {
  std::array<char, 128> storage{};
  Outbox o(storage, 64);
  EXPECT_TRUE(put_vw(o, 1, "a"));
  EXPECT_TRUE(put_vw(o, 2, "b"));
  EXPECT_TRUE(put_vw(o, 3, "c"));
  EXPECT_TRUE(put_vw(o, 2, "longer b"));
  EXPECT_TRUE(put_vw(o, 1, ""));
  EXPECT_EQ(drain(o), (std::vector<std::string>{"vw|1|", "vw|2|longer b", "vw|3|c"}));
}

TEST(Outbox, MovesAReplacedFrameToTheFrontWhenAsked) {
  std::array<char, 128> storage{};
  Outbox o(storage, 64);
  EXPECT_TRUE(put_vw(o, 1, "a"));
  EXPECT_TRUE(put_vw(o, 2, "b"));
  EXPECT_TRUE(put_vw(o, 2, "b2", Outbox::Place::front));
  EXPECT_EQ(drain(o), (std::vector<std::string>{"vw|2|b2", "vw|1|a"}));
}

TEST(Outbox, RefusesWhenFullWithoutChangingAnything) {
  std::array<char, 40> storage{};  // three 12-byte frames
  Outbox o(storage, 40);
  EXPECT_TRUE(put_vw(o, 10, "a"));
  EXPECT_TRUE(put_vw(o, 11, "b"));
  EXPECT_TRUE(put_vw(o, 12, "c"));
  EXPECT_EQ(put_vw(o, 13, "d").error(), Errc::busy);
  EXPECT_EQ(put_vw(o, 11, "much longer").error(), Errc::busy);  // no room even without its old frame
  EXPECT_EQ(drain(o), (std::vector<std::string>{"vw|10|a", "vw|11|b", "vw|12|c"}));
}

TEST(Outbox, RefusesAFrameLargerThanTheLargestSendableFrame) {
  std::array<char, 256> storage{};
  Outbox o(storage, 32);
  EXPECT_EQ(put_vw(o, 1, std::string(40, 'x')).error(), Errc::too_large);
  EXPECT_TRUE(o.empty());
}

TEST(Outbox, ReportsTheBuildersValidationErrorBeforeRemovingAnything) {
  std::array<char, 128> storage{};
  Outbox o(storage, 64);
  EXPECT_TRUE(put_vw(o, 1, "a"));
  EXPECT_EQ(put_vw(o, 1, std::string_view("x\0y", 3)).error(), Errc::invalid_argument);
  EXPECT_EQ(drain(o), (std::vector<std::string>{"vw|1|a"}));
}

TEST(Outbox, NeverReplacesFramesPutWithoutAKey) {
  std::array<char, 128> storage{};
  Outbox o(storage, 64);
  const Value f[] = {Value("vw"), Value(1), Value("line")};
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(o.put(Message::of(Command::hardware, f)));
  }
  EXPECT_TRUE(put_vw(o, 1, "value"));  // a keyed write does not replace unkeyed frames either
  EXPECT_EQ(drain(o), (std::vector<std::string>{"vw|1|line", "vw|1|line", "vw|1|value"}));
}

TEST(RateLimiter, AllowsABurstThenOnePerInterval) {
  RateLimiter r(ms(100), 3);
  Micros now = sec(10);
  int sent = 0;
  while (r.allows(now)) {
    r.take(now);
    ++sent;
  }
  EXPECT_EQ(sent, 3);
  EXPECT_EQ(r.next_allowed(), now + ms(100));
  now += ms(100);
  EXPECT_TRUE(r.allows(now));
  r.take(now);
  EXPECT_FALSE(r.allows(now + ms(99)));
  // Over any long window: at most burst + window / interval.
  r.reset();
  int in_window = 0;
  for (Micros t = 0; t < sec(10); t += ms(1)) {
    if (r.allows(t)) {
      r.take(t);
      ++in_window;
    }
  }
  EXPECT_EQ(in_window, 3 + 99);
}

TEST(RateLimiter, ZeroIntervalMeansNoLimit) {
  RateLimiter r(0, 1);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(r.allows(0));
    r.take(0);
  }
}

TEST(Backoff, DoublesUpToTheCapWithJitterInTheUpperHalf) {
  Backoff b(sec(2), sec(60), 7);
  Micros nominal = sec(2);
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(b.nominal(), nominal);
    const Micros d = b.next_delay();
    EXPECT_GE(d, nominal / 2);
    EXPECT_LE(d, nominal);
    nominal = std::min(nominal * 2, sec(60));
  }
  b.reset();
  EXPECT_EQ(b.nominal(), sec(2));
}

TEST(Backoff, SpreadsDevicesWithDifferentSeeds) {
  Backoff a(sec(60), sec(60), 1);
  Backoff b(sec(60), sec(60), 2);
  int same = 0;
  for (int i = 0; i < 20; ++i)
    same += a.next_delay() == b.next_delay() ? 1 : 0;
  EXPECT_LT(same, 3);
}

TEST(Values, ReadsTextNumbersAndMissingValues) {
  const std::string_view body("12\0-3.5\0text", 12);
  Values v{BodyReader(body)};
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v.as_int().value_or(0), 12);
  EXPECT_EQ(v.as_double(1).value_or(0), -3.5);
  EXPECT_EQ(v[2], "text");
  EXPECT_EQ(v[3], "");
  EXPECT_EQ(v.as_int(2).error(), Errc::protocol_error);  // strict: "text" is not a number
  EXPECT_EQ(v.as_int(5).error(), Errc::protocol_error);
  Values none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.text(), "");
}

TEST(Handler, CallsAnInPlaceCallableAndDoesNothingWhenEmpty) {
  int state = 0;
  Handler<int(int)> h = [&state](int x) { return state += x; };
  EXPECT_EQ(h(2), 2);
  EXPECT_EQ(h(3), 5);
  Handler<int(int)> empty;
  EXPECT_FALSE(empty);
  EXPECT_EQ(empty(1), 0);
}

}  // namespace
}  // namespace weft::blynk
