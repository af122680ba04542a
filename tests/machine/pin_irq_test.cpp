#include <gtest/gtest.h>

#include "core/test_support.hpp"
#include "machine/machine.hpp"
#include "sim/sim_board.hpp"

namespace weft::machine {
namespace {

using test::LogCapture;
using test::SimBoard;

Task<> wait_presses(PinIrq& irq, int count, std::vector<Micros>& woke) {
  for (int i = 0; i < count; ++i) {
    Status s = co_await irq.wait();
    if (!s) co_return;
    woke.push_back(Loop::current().now());
  }
}

TEST(PinIrq, WakesAWaitingTaskOnAFallingEdge) {
  SimBoard board;
  Result<Pin> button = Pin::open(14, PinMode::in, Pull::up);
  PinIrq irq;
  ASSERT_TRUE(irq.enable(*button, Edge::falling).ok());
  std::vector<Micros> woke;
  auto waiter = board.loop.spawn(wait_presses(irq, 1, woke));
  board.world.schedule(sec(2), [&] { board.world.pads().drive(14, sim::Drive::low); });
  board.loop.run_until(sec(5));
  ASSERT_EQ(woke.size(), 1u);
  EXPECT_EQ(woke[0], sec(2));
  EXPECT_TRUE(waiter.done());
  EXPECT_EQ(irq.take_count(), 1u);
}

TEST(PinIrq, IgnoresTheEdgeItWasNotAskedFor) {
  SimBoard board;
  Result<Pin> button = Pin::open(14, PinMode::in, Pull::up);
  PinIrq irq;
  ASSERT_TRUE(irq.enable(*button, Edge::rising).ok());
  std::vector<Micros> woke;
  auto waiter = board.loop.spawn(wait_presses(irq, 1, woke));
  board.world.schedule(sec(1), [&] { board.world.pads().drive(14, sim::Drive::low); });   // press: falling
  board.world.schedule(sec(3), [&] { board.world.pads().drive(14, sim::Drive::none); });  // release: rising
  board.loop.run_until(sec(5));
  ASSERT_EQ(woke.size(), 1u);
  EXPECT_EQ(woke[0], sec(3));
}

TEST(PinIrq, LatchesEdgesThatCameWhileNobodyWaited) {
  SimBoard board;
  Result<Pin> button = Pin::open(0, PinMode::in, Pull::up);
  PinIrq irq;
  ASSERT_TRUE(irq.enable(*button, Edge::both).ok());
  for (int i = 0; i < 2; ++i) {  // two clicks before anyone waits
    board.world.pads().drive(0, sim::Drive::low);
    board.world.pads().drive(0, sim::Drive::none);
  }
  std::vector<Micros> woke;
  board.loop.spawn(wait_presses(irq, 2, woke));
  board.loop.run_until(sec(1));
  ASSERT_EQ(woke.size(), 1u) << "several edges count once";
  EXPECT_EQ(woke[0], 0);
  EXPECT_EQ(irq.take_count(), 4u) << "but every edge is counted";
}

TEST(PinIrq, AlsoSeesEdgesOfItsOwnOutput) {
  SimBoard board;
  Result<Pin> out = Pin::open(12, PinMode::out);
  PinIrq irq;
  ASSERT_TRUE(irq.enable(*out, Edge::rising).ok());
  out->on();
  EXPECT_EQ(irq.take_count(), 1u);
}

TEST(PinIrq, StopsDeliveringOnceDisabled) {
  SimBoard board;
  Result<Pin> button = Pin::open(13, PinMode::in, Pull::up);
  PinIrq irq;
  ASSERT_TRUE(irq.enable(*button, Edge::falling).ok());
  irq.disable();
  board.world.pads().drive(13, sim::Drive::low);
  EXPECT_EQ(irq.take_count(), 0u);
  EXPECT_FALSE(board.world.pads().view(13).irq);
}

TEST(PinIrq, RejectsGpio16AndASecondWatcherOfOnePin) {
  SimBoard board;
  LogCapture log;
  PinIrq a, b;
  EXPECT_EQ(a.enable(*Pin::open(16, PinMode::in), Edge::both).error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("GPIO16 (D0) has no interrupts"));
  ASSERT_TRUE(a.enable(*Pin::open(5, PinMode::in), Edge::both).ok());
  EXPECT_EQ(b.enable(*Pin::open(5, PinMode::in), Edge::both).error(), Errc::busy);
  EXPECT_TRUE(log.contains("GPIO5 already has a PinIrq"));
}

Task<Status> wait_once(PinIrq& irq) {
  co_return co_await irq.wait();
}

TEST(PinIrq, WaitingWithoutEnablingIsAnErrorNotAHang) {
  SimBoard board;
  LogCapture log;
  PinIrq irq;
  Status r = board.loop.run_until_complete(wait_once(irq));
  EXPECT_EQ(r.error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("not enabled"));
}

}  // namespace
}  // namespace weft::machine
