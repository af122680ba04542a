// GpioAuto on the simulated board: the server's `pm` configures real (simulated) pads, and the app's
// dw / dr / aw / ar drive and read them through framework/machine — pblynk's gpio_auto, end to end.
#include <gtest/gtest.h>

#include "blynk/gpio_auto.hpp"
#include "linux/sim/sim_clock.hpp"
#include "linux/sim/world.hpp"
#include "session_fixture.hpp"

namespace weft::blynk::test {
namespace {

using weft::test::LogCapture;

struct SimulatedBoard {
  sim::World world;  // virtual time; the machine port acts on it
  sim::SimClock port{world};
};

class GpioAutoTest : public BasicSessionTest<SimulatedBoard> {
 public:
  sim::Pads& pads() { return clock.world.pads(); }
  // Sends one HARDWARE message and returns the device's answer to it (a read), or Errc::timed_out.
  Task<Result<ServerFrame>> ask(std::string msg) {
    co_await send(std::move(msg));
    Result<ServerFrame> f = co_await expect(Command::hardware, sec(1));
    co_return f;
  }
};

TEST_F(GpioAutoTest, ConfiguresPinsFromPinModesAndServesTheAppsPinOperations) {
  start();
  GpioAuto gpio(*blynk, machine::Pull::up);
  run([](GpioAutoTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string modes =
        frame(Command::hardware, 3, {"pm", "2", "out", "4", "in", "5", "pwm", "16", "pd"});
    co_await t.send(modes);
    co_await sleep_ms(1);
    EXPECT_EQ(t.pads().view(2).mode, machine::PinMode::out);
    EXPECT_EQ(t.pads().view(4).pull, machine::Pull::up);  // "in" takes gpio_auto's pull, as in pblynk
    EXPECT_EQ(t.pads().view(16).pull, machine::Pull::down);
    EXPECT_EQ(t.pads().view(5).duty, 0);

    const std::string on = frame(Command::hardware, 4, {"dw", "2", "1"});
    co_await t.send(on);
    co_await sleep_ms(1);
    EXPECT_EQ(t.pads().level(2), 1);

    const std::string q1 = frame(Command::hardware, 5, {"dr", "4"});
    Result<ServerFrame> up = co_await t.ask(q1);
    CO_ASSERT(up);
    EXPECT_EQ(up->id, 5);
    EXPECT_EQ(up->text(), "dw|4|1");     // pulled up, nothing pressing
    t.pads().drive(4, sim::Drive::low);  // a button to GND
    const std::string q2 = frame(Command::hardware, 6, {"dr", "4"});
    Result<ServerFrame> down = co_await t.ask(q2);
    CO_ASSERT(down);
    EXPECT_EQ(down->text(), "dw|4|0");

    const std::string dim = frame(Command::hardware, 7, {"aw", "5", "512"});
    co_await t.send(dim);
    co_await sleep_ms(1);
    EXPECT_EQ(t.pads().view(5).duty, 512);

    t.pads().set_adc(700);
    const std::string q3 = frame(Command::hardware, 8, {"ar", "17"});
    Result<ServerFrame> adc = co_await t.ask(q3);
    CO_ASSERT(adc);
    EXPECT_EQ(adc->id, 8);
    EXPECT_EQ(adc->text(), "aw|17|700");
  }(*this));
}

TEST_F(GpioAutoTest, ConfiguresAPinOnItsFirstWriteWithoutAPinMode) {
  start();
  GpioAuto gpio(*blynk);
  run([](GpioAutoTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string msgs =
        frame(Command::hardware, 3, {"dw", "13", "1"}) + frame(Command::hardware, 4, {"aw", "14", "100"});
    co_await t.send(msgs);
    co_await sleep_ms(1);
    EXPECT_EQ(t.pads().view(13).mode, machine::PinMode::out);
    EXPECT_EQ(t.pads().level(13), 1);
    EXPECT_EQ(t.pads().view(14).duty, 100);
  }(*this));
}

TEST_F(GpioAutoTest, IgnoresPinsTheChipCannotUseWithAClearLogAndStaysConnected) {
  LogCapture log;
  start();
  GpioAuto gpio(*blynk);
  run([](GpioAutoTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string msgs =
        frame(Command::hardware, 3, {"pm", "6", "out"}) + frame(Command::hardware, 4, {"dw", "40", "1"}) +
        frame(Command::hardware, 5, {"aw", "16", "10"}) + frame(Command::hardware, 6, {"aw", "5", "5000"});
    co_await t.send(msgs);
    const std::string q4 = frame(Command::hardware, 7, {"ar", "3"});
    Result<ServerFrame> none = co_await t.ask(q4);
    EXPECT_EQ(none.error(), Errc::timed_out);  // no answer for a pin that has no ADC
    EXPECT_TRUE(t.blynk->connected());
  }(*this));
  EXPECT_TRUE(log.contains("GPIO6 is wired to the SPI flash"));
  EXPECT_TRUE(log.contains("dw on pin 40: the ESP8266 has GPIO0..16"));
  EXPECT_TRUE(log.contains("GPIO16 cannot do PWM"));
  EXPECT_TRUE(log.contains("duty 5000 out of range"));
  EXPECT_TRUE(log.contains("ar on pin 3: the ESP8266's only analog input is A0 (pin 17)"));
}

TEST_F(GpioAutoTest, LeavesPinsWithTheirOwnHandlerToThatHandler) {
  int written = -1;
  start();
  GpioAuto gpio(*blynk);
  ASSERT_TRUE(
      blynk->add_digital_hw_pin(2, {}, [&written](int, Values v) { written = v.as_int().value_or(-2); }));
  run([](GpioAutoTest& t) -> Task<> {
    Status in = co_await t.login();
    CO_ASSERT(in);
    const std::string on = frame(Command::hardware, 4, {"dw", "2", "1"});
    co_await t.send(on);
    co_await sleep_ms(1);
    EXPECT_FALSE(t.pads().view(2).configured);  // the handler took it
  }(*this));
  EXPECT_EQ(written, 1);
}

}  // namespace
}  // namespace weft::blynk::test
