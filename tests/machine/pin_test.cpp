#include "machine/machine.hpp"

#include <gtest/gtest.h>

#include "core/test_support.hpp"
#include "sim/sim_board.hpp"

namespace weft::machine {
namespace {

using test::LogCapture;
using test::SimBoard;

TEST(Gpio, MapsNodemcuLabelsToChipGpioNumbers) {
  EXPECT_EQ(nodemcu::D5, 14);
  EXPECT_EQ(*parse_gpio("D5"), 14);
  EXPECT_EQ(*parse_gpio("d0"), 16);
  EXPECT_EQ(*parse_gpio("GPIO2"), 2);
  EXPECT_EQ(*parse_gpio("gpio14"), 14);
  EXPECT_EQ(*parse_gpio("15"), 15);
  EXPECT_STREQ(nodemcu_label(2), "D4");
  EXPECT_EQ(nodemcu_label(1), nullptr);
}

TEST(Gpio, RejectsLabelsAndNumbersThatAreNotUsablePins) {
  for (const char* bad : {"D9", "GPIO7", "GPIO17", "6", "", "GPIO", "Dx", "-1", "LED"}) {
    EXPECT_FALSE(parse_gpio(bad).ok()) << bad;
  }
}

TEST(Pin, RejectsFlashPinsSayingWhichPinsToUse) {
  SimBoard board;
  LogCapture log;
  for (int gpio = 6; gpio <= 11; ++gpio) {
    Result<Pin> p = Pin::open(gpio, PinMode::out);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error(), Errc::invalid_argument);
  }
  EXPECT_TRUE(log.contains("GPIO6 is wired to the SPI flash"));
  EXPECT_TRUE(log.contains("use GPIO0..5 or GPIO12..16"));
}

TEST(Pin, RejectsGpioNumbersTheChipDoesNotHave) {
  SimBoard board;
  LogCapture log;
  EXPECT_EQ(Pin::open(17, PinMode::in).error(), Errc::invalid_argument);
  EXPECT_EQ(Pin::open(-1, PinMode::in).error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("GPIO17 does not exist"));
}

TEST(Pin, RejectsPullsThePinDoesNotHave) {
  SimBoard board;
  LogCapture log;
  EXPECT_EQ(Pin::open(5, PinMode::in, Pull::down).error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("only GPIO16 (D0) has one"));
  EXPECT_EQ(Pin::open(16, PinMode::in, Pull::up).error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("GPIO16 has no pull-up"));
  EXPECT_TRUE(Pin::open(16, PinMode::in, Pull::down).ok());
  EXPECT_EQ(Pin::open(2, PinMode::out, Pull::none, 2).error(), Errc::invalid_argument);
}

TEST(Pin, DrivesItsPadAsAnOutput) {
  SimBoard board;
  Result<Pin> led = Pin::open(2, PinMode::out, Pull::none, 1);
  ASSERT_TRUE(led.ok());
  EXPECT_EQ(board.world.pads().level(2), 1);
  led->off();
  EXPECT_EQ(board.world.pads().level(2), 0);
  EXPECT_EQ(led->value(), 0);
  led->toggle();
  EXPECT_EQ(board.world.pads().level(2), 1);
  led->value(0);
  EXPECT_EQ(board.world.pads().level(2), 0);
}

TEST(Pin, ReadsWhatTheOutsideDrivesOverThePull) {
  SimBoard board;
  Result<Pin> button = Pin::open(nodemcu::D5, PinMode::in, Pull::up);
  ASSERT_TRUE(button.ok());
  EXPECT_EQ(button->value(), 1);                  // the pull-up
  board.world.pads().drive(14, sim::Drive::low);  // pressed: shorted to GND
  EXPECT_EQ(button->value(), 0);
  board.world.pads().drive(14, sim::Drive::none);
  EXPECT_EQ(button->value(), 1);
}

TEST(Pin, OpenDrainOnlyEverPullsLow) {
  SimBoard board;
  Result<Pin> bus = Pin::open(4, PinMode::open_drain, Pull::up, 1);
  ASSERT_TRUE(bus.ok());
  EXPECT_EQ(bus->value(), 1);  // released: the pull-up wins
  board.world.pads().drive(4, sim::Drive::low);
  EXPECT_EQ(bus->value(), 0);  // another device pulls the line low
  board.world.pads().drive(4, sim::Drive::none);
  bus->off();
  EXPECT_EQ(bus->value(), 0);
}

}  // namespace
}  // namespace weft::machine
