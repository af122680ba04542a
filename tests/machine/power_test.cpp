#include <gtest/gtest.h>

#include <array>

#include "core/test_support.hpp"
#include "linux/sim/runner.hpp"
#include "linux/sim/scenario.hpp"
#include "machine/machine.hpp"
#include "sim/sim_board.hpp"

namespace weft::machine {
namespace {

using test::LogCapture;
using test::SimBoard;

struct BootRecord {
  ResetCause cause;
  std::uint8_t counter;
  Micros world_time;
};

// Counts its boots in RTC memory and deep-sleeps 10 s after each, three times.
Task<> sleepy_counter(sim::World& world, std::vector<BootRecord>& boots) {
  std::array<std::uint8_t, 1> counter{0};
  rtc_memory_read(counter);
  ++counter[0];
  boots.push_back({reset_cause(), counter[0], world.now()});
  if (counter[0] == 3) co_return;
  (void)rtc_memory_write(counter);
  co_await sleep_ms(500);  // "work"
  Status s = co_await deep_sleep(sec(10));
  ADD_FAILURE() << "deep_sleep returned: " << to_string(s.error());
}

TEST(DeepSleep, RestartsTheDeviceWithResetCauseDeepSleepAndRtcMemoryKept) {
  sim::World world;
  std::vector<BootRecord> boots;
  sim::DeviceRun run = sim::run_device(
      world, [&] { return sleepy_counter(world, boots); }, sec(100));
  EXPECT_TRUE(run.status.ok());
  ASSERT_EQ(boots.size(), 3u);
  EXPECT_EQ(boots[0].cause, ResetCause::power_on);
  EXPECT_EQ(boots[1].cause, ResetCause::deep_sleep);
  EXPECT_EQ(boots[2].cause, ResetCause::deep_sleep);
  EXPECT_EQ(boots[0].counter, 1);
  EXPECT_EQ(boots[2].counter, 3);
  EXPECT_EQ(boots[1].world_time, ms(10500)) << "the world's clock went on through the sleep";
  EXPECT_EQ(boots[2].world_time, ms(21000));
  EXPECT_EQ(run.boots, 3u);
}

Task<> sleep_forever(std::vector<ResetCause>& causes) {
  causes.push_back(reset_cause());
  if (causes.size() == 2) co_return;
  co_await deep_sleep(kUntilReset);
}

TEST(DeepSleep, UntilResetWakesOnTheRstPinWithCauseDeepSleep) {
  sim::World world;
  std::string error;
  auto scenario =
      sim::Scenario::parse("at 30s reset\nat 31s expect reset_cause deep_sleep\nat 40s end\n", "t", error);
  ASSERT_TRUE(scenario.ok()) << error;
  world.run_scenario(std::make_shared<const sim::Scenario>(std::move(*scenario)));
  std::vector<ResetCause> causes;
  sim::run_device(world, [&] { return sleep_forever(causes); });
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[1], ResetCause::deep_sleep);
  EXPECT_TRUE(world.finished());
  EXPECT_EQ(world.failure(), "");
  EXPECT_EQ(world.now(), sec(40));
}

TEST(DeepSleep, PowersOffEveryOutputWhileAsleep) {
  sim::World world;
  bool slept = false;
  auto app = [&]() -> Task<> {
    if (slept) co_return;
    slept = true;
    Result<Pwm> led = Pwm::open(5, 1000, 700);
    Result<Pin> pin = Pin::open(2, PinMode::out, Pull::none, 1);
    co_await deep_sleep(sec(5));
  };
  std::vector<std::string> seen;
  world.observe(
      [&](const sim::Change& c) { seen.push_back(sim::format_time(c.at) + " " + sim::describe(c)); });
  sim::run_device(world, app, sec(10));
  EXPECT_NE(std::find(seen.begin(), seen.end(), "0.000 s GPIO5 pwm off"), seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(), "0.000 s GPIO2 low"), seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(), "5.000 s boot 2 (deep-sleep)"), seen.end());
}

Task<Status> sleep_for(Micros d) {
  co_return co_await deep_sleep(d);
}

TEST(DeepSleep, RejectsZeroNegativeAndTooLongDurations) {
  SimBoard board;
  LogCapture log;
  for (Micros d : {Micros{0}, Micros{-5}, kMaxDeepSleep + 1}) {
    Status s = board.loop.run_until_complete(sleep_for(d));
    EXPECT_EQ(s.error(), Errc::invalid_argument);
  }
  EXPECT_TRUE(log.contains("machine::kUntilReset"));
  EXPECT_EQ(board.world.boots(), 1u);
  EXPECT_FALSE(board.world.power_cycle_pending());
}

TEST(Reset, RestartsTheDeviceWithResetCauseSoft) {
  sim::World world;
  std::vector<ResetCause> causes;
  auto app = [&]() -> Task<> {
    causes.push_back(reset_cause());
    if (causes.size() == 1) co_await reset();
  };
  sim::run_device(world, app, sec(1));
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[1], ResetCause::soft);
}

TEST(RtcMemory, IsEmptyAfterPowerOnAndRejectsMoreThanItHolds) {
  SimBoard board;
  LogCapture log;
  std::array<std::uint8_t, 8> out{};
  EXPECT_EQ(rtc_memory_read(out), 0u);
  std::vector<std::uint8_t> big(kRtcMemoryBytes + 1, 7);
  EXPECT_EQ(rtc_memory_write(big).error(), Errc::too_large);
  EXPECT_TRUE(log.contains("holds at most 492"));
  EXPECT_EQ(rtc_memory_read(out), 0u) << "a refused write writes nothing";
  std::vector<std::uint8_t> full(kRtcMemoryBytes, 9);
  ASSERT_TRUE(rtc_memory_write(full).ok());
  EXPECT_EQ(rtc_memory_read(out), kRtcMemoryBytes) << "the stored size, even when `out` is shorter";
  EXPECT_EQ(out[7], 9);
}

Task<> fed_for(int rounds) {
  (void)watchdog_start(sec(1));
  for (int i = 0; i < rounds; ++i) {
    co_await sleep_ms(500);
    watchdog_feed();
  }
  co_await sleep_ms(60 * 1000);  // stuck: nobody feeds it any more
}

TEST(Watchdog, ResetsTheChipWhenNotFedInTime) {
  sim::World world;
  std::vector<ResetCause> causes;
  std::vector<Micros> at;
  auto app = [&]() -> Task<> {
    causes.push_back(reset_cause());
    at.push_back(world.now());
    if (causes.size() == 1) co_await fed_for(10);
  };
  LogCapture log;
  sim::run_device(world, app, sec(30));
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[1], ResetCause::watchdog);
  EXPECT_EQ(at[1], sec(6)) << "fed at 5 s for the last time, 1 s timeout";
  EXPECT_TRUE(log.contains("the watchdog was not fed for 1.000 s"));
}

TEST(Watchdog, RejectsTimeoutsOutOfRange) {
  SimBoard board;
  LogCapture log;
  EXPECT_EQ(watchdog_start(ms(1)).error(), Errc::invalid_argument);
  EXPECT_EQ(watchdog_start(sec(7200)).error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("use 10 ms .. 1 h"));
}

}  // namespace
}  // namespace weft::machine
