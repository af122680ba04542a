#include <gtest/gtest.h>

#include "core/test_support.hpp"
#include "machine/machine.hpp"
#include "sim/sim_board.hpp"

namespace weft::machine {
namespace {

using test::LogCapture;
using test::SimBoard;

TEST(Pwm, SetsTheDutyTheWorldSees) {
  SimBoard board;
  Result<Pwm> led = Pwm::open(5, 1000, 100);
  ASSERT_TRUE(led.ok());
  EXPECT_EQ(board.world.pads().pwm_duty(5), 100);
  ASSERT_TRUE(led->duty(512).ok());
  EXPECT_EQ(board.world.pads().pwm_duty(5), 512);
  EXPECT_EQ(led->duty(), 512);
  EXPECT_EQ(led->freq(), 1000);
}

TEST(Pwm, RejectsADutyOutsideTenBitsAndKeepsTheOldOne) {
  SimBoard board;
  LogCapture log;
  Result<Pwm> led = Pwm::open(5, 1000, 10);
  EXPECT_EQ(led->duty(1024).error(), Errc::invalid_argument);
  EXPECT_EQ(led->duty(-1).error(), Errc::invalid_argument);
  EXPECT_EQ(led->duty(), 10);
  EXPECT_TRUE(log.contains("duty 1024 out of range; use 0..1023"));
  EXPECT_EQ(Pwm::open(4, 1000, 2000).error(), Errc::invalid_argument);
}

TEST(Pwm, RejectsFrequenciesTheEsp8266CannotDo) {
  SimBoard board;
  LogCapture log;
  EXPECT_EQ(Pwm::open(5, 5000).error(), Errc::invalid_argument);  // seed 004's ESP32 frequency
  EXPECT_TRUE(log.contains("frequency 5000 Hz out of range; the ESP8266 does 1..1000 Hz"));
  Result<Pwm> led = Pwm::open(5, 500);
  EXPECT_EQ(led->freq(0).error(), Errc::invalid_argument);
  EXPECT_EQ(led->freq(), 500);
}

TEST(Pwm, RejectsPinsWithoutPwm) {
  SimBoard board;
  LogCapture log;
  EXPECT_EQ(Pwm::open(16).error(), Errc::invalid_argument);
  EXPECT_EQ(Pwm::open(1).error(), Errc::invalid_argument);
  EXPECT_EQ(Pwm::open(9).error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("GPIO16 cannot do PWM; use GPIO0, 2, 4, 5, 12, 13, 14 or 15"));
  EXPECT_TRUE(log.contains("GPIO9 is wired to the SPI flash"));
}

TEST(Pwm, SharesOneFrequencyBetweenAllChannelsLikeTheChip) {
  SimBoard board;
  Result<Pwm> a = Pwm::open(4, 100);
  Result<Pwm> b = Pwm::open(5, 800);
  EXPECT_EQ(a->freq(), 800);
  Result<Pwm> c = Pwm::open_keep_freq(12, 7);
  EXPECT_EQ(c->freq(), 800);
  EXPECT_EQ(board.world.pads().pwm_duty(12), 7);
}

TEST(Pwm, FullDutyIsASteadyHighAndDeinitStopsTheOutput) {
  SimBoard board;
  Result<Pwm> led = Pwm::open(14, 1000, 1023);
  EXPECT_EQ(board.world.pads().level(14), 1);
  led->deinit();
  EXPECT_EQ(board.world.pads().pwm_duty(14), -1);
  EXPECT_EQ(led->duty(), 0);
  EXPECT_EQ(board.world.pads().level(14), 0);  // floating input reads 0
}

TEST(Pwm, OpeningThePinAgainTakesThePadBack) {
  SimBoard board;
  Result<Pwm> led = Pwm::open(2, 1000, 300);
  Result<Pin> pin = Pin::open(2, PinMode::out, Pull::none, 1);
  EXPECT_EQ(board.world.pads().pwm_duty(2), -1);
  EXPECT_EQ(board.world.pads().level(2), 1);
}

TEST(Adc, ReadsTheWorldsValueInTenBits) {
  SimBoard board;
  Result<Adc> pot = Adc::open();
  ASSERT_TRUE(pot.ok());
  EXPECT_EQ(pot->read(), 0);
  board.world.pads().set_adc(700);
  EXPECT_EQ(pot->read(), 700);
  board.world.pads().set_adc(5000);  // the outside cannot exceed the ADC's range
  EXPECT_EQ(pot->read(), 1023);
}

TEST(Adc, ReadU16CoversTheWholeSixteenBitRange) {
  SimBoard board;
  Result<Adc> pot = Adc::open(0);
  board.world.pads().set_adc(0);
  EXPECT_EQ(pot->read_u16(), 0);
  board.world.pads().set_adc(1023);
  EXPECT_EQ(pot->read_u16(), 65535);
  board.world.pads().set_adc(512);
  EXPECT_EQ(pot->read_u16(), (512 << 6) | (512 >> 4));
}

TEST(Adc, RejectsChannelsOtherThanA0) {
  SimBoard board;
  LogCapture log;
  EXPECT_EQ(Adc::open(1).error(), Errc::invalid_argument);
  EXPECT_EQ(Adc::open(36).error(), Errc::invalid_argument);  // seed 004's ESP32 pin
  EXPECT_TRUE(log.contains("the ESP8266 has one analog input, A0 (channel 0)"));
}

}  // namespace
}  // namespace weft::machine
