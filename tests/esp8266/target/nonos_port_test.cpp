// board/esp8266's loop clock and ports, run under QEMU against a fake of the NONOS SDK (fake_sdk.hpp): the
// test plays the SDK, the code under test is the firmware's own.
#include <cstdint>

#include "core/weft.hpp"
#include "esp8266/main_context.hpp"
#include "esp8266/nonos_clock.hpp"
#include "esp8266/registers.hpp"
#include "esp8266/sdk.hpp"
#include "harness.hpp"
#include "lx106_qemu/lx106.hpp"
#include "machine/machine.hpp"
#include "machine/port.hpp"
#include "net/wlan.hpp"
#include "support/fake_sdk.hpp"

using weft::Loop;
using weft::Micros;
using weft::Task;
using weft::esp8266::MainContext;
using weft::esp8266::NonosClock;

namespace {

alignas(16) std::uint8_t g_stack[8192];

// The app's main() on its own stack, as board/esp8266's runtime starts it: `body` builds a Loop on the
// NONOS clock and runs it; the test then plays the SDK with fake_sdk::run().
struct Firmware {
  using Body = void (*)(Loop& loop, void* ctx);

  Firmware(Body b, void* c)
      : body(b), ctx(c), context(g_stack, sizeof g_stack, &entry, this), clock(context) {
    current = this;
    clock.start();
    clock.start_main();
  }

  static void entry(void* self) {
    auto* f = static_cast<Firmware*>(self);
    {
      Loop loop(f->clock);
      f->loop = &loop;
      f->body(loop, f->ctx);
      f->loop = nullptr;
    }
    f->finished = true;
    for (;;)
      f->context.suspend();
  }
  static bool done() { return current->finished; }

  Body body;
  void* ctx;
  MainContext context;
  NonosClock clock;
  Loop* loop = nullptr;
  bool finished = false;
  static inline Firmware* current = nullptr;
};

constexpr Micros kSecond = 1'000'000;

}  // namespace

TEST(NonosClock, TimersFireOnTimeAcrossASystemTimeWrap) {
  fake_sdk::reset();
  fake_sdk::time_offset = 0xFFFFFFFFu - 1'500'000u;  // system_get_time() wraps 1.5 s after boot
  struct Ctx {
    Micros start = 0;
    Micros woke[3] = {};
  } ctx;
  Firmware fw(
      [](Loop& loop, void* p) {
        auto* c = static_cast<Ctx*>(p);
        c->start = loop.refresh_now();
        loop.spawn([](Loop& l, Ctx& cx) -> Task<> {
          for (Micros& w : cx.woke) {
            co_await weft::sleep_ms(1000);
            w = l.refresh_now();
          }
          l.stop();
        }(loop, *c));
        (void)loop.run_forever();
      },
      &ctx);
  const fake_sdk::RunStats s = fake_sdk::run(10 * kSecond, &Firmware::done);
  ASSERT_TRUE(fw.finished);
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE(ctx.woke[i] - ctx.start, (i + 1) * kSecond);
    EXPECT_LE(ctx.woke[i] - ctx.start, (i + 1) * kSecond + 10);
  }
  EXPECT_GE(s.timer_callbacks, 3u);
  EXPECT_LE(fake_sdk::now_us, 3 * kSecond + 10);  // woken by its timers, not by a late catch-up
  EXPECT_EQ(fake_sdk::armed_timers(), 0u);        // nothing left armed behind the loop
}

TEST(NonosClock, LongSleepsAreSplitIntoStepsShorterThanTheClockWrap) {
  fake_sdk::reset();
  struct Ctx {
    Micros slept = 0;
  } ctx;
  Firmware fw(
      [](Loop& loop, void* p) {
        auto* c = static_cast<Ctx*>(p);
        Micros start = loop.refresh_now();
        (void)loop.run_until_complete([]() -> Task<> { co_await weft::sleep_ms(2 * 3600 * 1000); }());
        c->slept = loop.refresh_now() - start;
      },
      &ctx);
  const fake_sdk::RunStats s = fake_sdk::run(3 * 3600 * kSecond, &Firmware::done);
  ASSERT_TRUE(fw.finished);
  EXPECT_GE(ctx.slept, 2 * 3600 * kSecond);  // two hours: system_get_time() wrapped once meanwhile
  EXPECT_LE(ctx.slept, 2 * 3600 * kSecond + 10);
  EXPECT_LE(fake_sdk::longest_timer_us, static_cast<std::uint32_t>(NonosClock::kMaxIdleStep));
  EXPECT_GE(s.timer_callbacks, 120u);  // one per 60 s step
}

TEST(NonosClock, ABurstOfReadyTasksHandsControlBackToTheSdkEveryPass) {
  fake_sdk::reset();
  constexpr int kTasks = 40;
  constexpr int kYields = 50;
  struct Ctx {
    int finished = 0;
  } ctx;
  Firmware fw(
      [](Loop& loop, void* p) {
        auto* c = static_cast<Ctx*>(p);
        for (int i = 0; i < kTasks; ++i) {
          loop.spawn([](Ctx& cx) -> Task<> {
            for (int k = 0; k < kYields; ++k)
              co_await weft::yield();
            ++cx.finished;
          }(*c));
        }
        (void)loop.run_until_complete([](Ctx& cx) -> Task<> {
          while (cx.finished < kTasks)
            co_await weft::yield();
        }(*c));
      },
      &ctx);
  // The SDK's view: how many switches the loop ran each time it had control.
  static std::uint64_t last = 0, most = 0;
  last = most = 0;
  const fake_sdk::RunStats s = fake_sdk::run(kSecond, [] {
    if (Firmware::current->loop != nullptr) {
      const std::uint64_t now = Firmware::current->loop->stats().switches;
      if (now - last > most) most = now - last;
      last = now;
    }
    return Firmware::current->finished;
  });
  ASSERT_TRUE(fw.finished);
  EXPECT_EQ(ctx.finished, kTasks);
  // One ready batch (the tasks and main's waiter) plus at most one poll interval before the SDK's turn.
  EXPECT_LE(most, static_cast<std::uint64_t>(kTasks + 1 + weft::IoPoller::kPollEverySwitches));
  EXPECT_GE(fw.clock.stats().busy_yields, static_cast<std::uint32_t>(kYields / 2));
  EXPECT_GE(s.task_events, fw.clock.stats().busy_yields);
  EXPECT_EQ(fake_sdk::now_us, 0u);  // never idle: no timer was needed
}

TEST(NonosClock, AGpioEdgeInInterruptContextWakesTheWaitingTask) {
  fake_sdk::reset();
  struct Ctx {
    int edges = 0;
  } ctx;
  Firmware fw(
      [](Loop& loop, void* p) {
        auto* c = static_cast<Ctx*>(p);
        weft::Result<weft::machine::Pin> pin =
            weft::machine::Pin::open(4, weft::machine::PinMode::in, weft::machine::Pull::up);
        if (!pin) return;
        weft::machine::PinIrq irq(loop);
        if (!irq.enable(*pin, weft::machine::Edge::falling)) return;
        (void)loop.run_until_complete([](weft::machine::PinIrq& i, Ctx& cx) -> Task<> {
          weft::Status s = co_await i.wait();
          if (s) cx.edges = static_cast<int>(i.take_count());
        }(irq, *c));
      },
      &ctx);
  (void)fake_sdk::run(1000, nullptr);  // main() starts, the task waits, the loop idles (a 60 s step armed)
  ASSERT_TRUE(fake_sdk::gpio_isr_attached());
  ASSERT_FALSE(fw.finished);
  namespace reg = weft::esp8266::reg;
  EXPECT_EQ((reg::gpio(reg::kGpioPin0 + 4 * 4) & reg::kPinIntTypeMask) >> reg::kPinIntTypeShift,
            2u);  // falling
  EXPECT_NE(reg::iomux(reg::kIomuxOffset[4]) & reg::kIomuxPullUp, 0u);
  static volatile bool fired = false;
  fired = false;
  weft::lx106::call_from_interrupt(
      200,
      [](void*) {
        fake_sdk::gpio_edge(1u << 4);
        fired = true;
      },
      nullptr);
  while (!fired) {
  }
  const fake_sdk::RunStats s = fake_sdk::run(kSecond, &Firmware::done);
  ASSERT_TRUE(fw.finished);
  EXPECT_EQ(ctx.edges, 1);
  EXPECT_GE(s.task_events, 1u);
  EXPECT_EQ(fake_sdk::now_us, 0u);  // the interrupt's event woke the loop, not its idle timer
  EXPECT_EQ(reg::gpio(reg::kGpioStatusClear) & (1u << 4), 1u << 4);  // the handler acknowledged the edge
}

TEST(WifiPort, AStationDropIsReconnectedThroughTheSdkEvents) {
  fake_sdk::reset();
  struct Ctx {
    int connected = 0;
    int dropped = 0;
  } ctx;
  Firmware fw(
      [](Loop& loop, void* p) {
        auto* c = static_cast<Ctx*>(p);
        weft::net::Wlan wlan(weft::net::Interface::station, loop);
        wlan.active(true);
        wlan.auto_reconnect({.first = weft::ms(500), .max = weft::sec(8), .factor = 2});
        (void)loop.run_until_complete([](weft::net::Wlan& w, Ctx& cx) -> Task<> {
          weft::Status s = co_await w.connect("HomeAP", "password123", weft::sec(10));
          if (s) ++cx.connected;
          while (w.isconnected())
            co_await weft::sleep_ms(100);
          ++cx.dropped;
          weft::Status again = co_await w.wait_connected(weft::sec(30));
          if (again) ++cx.connected;
        }(wlan, *c));
      },
      &ctx);
  (void)fake_sdk::run(1000, nullptr);
  EXPECT_EQ(fake_sdk::station_connects, 1u);
  EXPECT_STREQ(fake_sdk::station_ssid, "HomeAP");
  fake_sdk::wifi_event(EVENT_STAMODE_CONNECTED, STATION_CONNECTING);
  fake_sdk::wifi_event(EVENT_STAMODE_GOT_IP, STATION_GOT_IP);
  (void)fake_sdk::run(kSecond, nullptr);
  EXPECT_EQ(ctx.connected, 1);
  fake_sdk::wifi_event(EVENT_STAMODE_DISCONNECTED, STATION_CONNECT_FAIL);  // the AP went away
  (void)fake_sdk::run(2 * kSecond, nullptr);  // Wlan's backoff (500 ms) starts a new attempt
  EXPECT_EQ(ctx.dropped, 1);
  EXPECT_EQ(fake_sdk::station_connects, 2u);
  fake_sdk::wifi_event(EVENT_STAMODE_GOT_IP, STATION_GOT_IP);
  (void)fake_sdk::run(kSecond, &Firmware::done);
  ASSERT_TRUE(fw.finished);
  EXPECT_EQ(ctx.connected, 2);
}

TEST(MachinePort, PwmRaisesEveryChannelThenLowersEachAtItsDutyShare) {
  fake_sdk::reset();
  Firmware fw(
      [](Loop& loop, void*) {
        weft::Result<weft::machine::Pwm> a = weft::machine::Pwm::open(5, 1000, 512);
        weft::Result<weft::machine::Pwm> b = weft::machine::Pwm::open_keep_freq(4, 256);
        if (!a || !b) return;
        (void)loop.run_for(weft::ms(1));
      },
      &Firmware::current);
  (void)fake_sdk::run(kSecond, &Firmware::done);
  ASSERT_TRUE(fw.finished);
  ASSERT_TRUE(fake_sdk::hw_timer_fn != nullptr);
  namespace reg = weft::esp8266::reg;
  // Run two periods of the FRC1 interrupt; record the set and clear masks and the delays armed.
  std::uint32_t set[8] = {}, cleared[8] = {}, delay[8] = {};
  for (int i = 0; i < 8; ++i) {
    reg::gpio(reg::kGpioOutSet) = 0;
    reg::gpio(reg::kGpioOutClear) = 0;
    fake_sdk::hw_timer_fn();
    set[i] = reg::gpio(reg::kGpioOutSet);
    cleared[i] = reg::gpio(reg::kGpioOutClear);
    delay[i] = fake_sdk::hw_timer_last_us;
  }
  // Period start: both pins up; GPIO4 down after 250 us, GPIO5 after 500, then the rest of the 1 ms period.
  EXPECT_EQ(set[0], (1u << 4) | (1u << 5));
  EXPECT_EQ(delay[0], 250u);
  EXPECT_EQ(cleared[1], 1u << 4);
  EXPECT_EQ(delay[1], 250u);
  EXPECT_EQ(cleared[2], 1u << 5);
  EXPECT_EQ(delay[2], 500u);
  EXPECT_EQ(set[3], set[0]);  // the next period
  EXPECT_EQ(delay[3] + delay[4] + delay[5], 1000u);
}

TEST(MachinePort, RtcMemoryKeepsUnalignedBytesAcrossWholeWordAccesses) {
  fake_sdk::reset();
  Firmware fw(
      [](Loop&, void*) {
        const std::uint8_t data[7] = {1, 2, 3, 4, 5, 6, 7};
        weft::machine::MachinePort& m = weft::machine::default_machine_port();
        m.rtc_memory_write(0, data, 3);
        m.rtc_memory_write(3, data + 3, 4);
        std::uint8_t back[7] = {};
        m.rtc_memory_read(1, back + 1, 6);
        m.rtc_memory_read(0, back, 1);
        for (int i = 0; i < 7; ++i)
          if (back[i] != data[i]) return;
        Firmware::current->ctx = nullptr;  // round trip held
      },
      &Firmware::current);
  (void)fake_sdk::run(kSecond, &Firmware::done);
  ASSERT_TRUE(fw.finished);
  EXPECT_TRUE(fw.ctx == nullptr);
}

TEST(MainContext, ReportsHowMuchOfItsStackMainNeverTouched) {
  fake_sdk::reset();
  Firmware fw([](Loop&, void*) {}, nullptr);
  (void)fake_sdk::run(kSecond, &Firmware::done);
  ASSERT_TRUE(fw.finished);
  EXPECT_GT(fw.context.stack_never_used(), 4096u);
  EXPECT_LT(fw.context.stack_never_used(), sizeof g_stack);
}
