#include "linux/sim/sim_clock.hpp"

#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <thread>

#include "linux/linux_clock.hpp"
#include "machine/machine.hpp"
#include "sim/sim_board.hpp"

namespace weft::sim {
namespace {

using test::SimBoard;

TEST(SimClock, JumpsVirtualTimeToTheNextDeadline) {
  SimBoard board;
  auto hour = []() -> Task<> { co_await sleep_ms(3600 * 1000); };
  ASSERT_TRUE(board.loop.run_until_complete(hour()).ok());
  EXPECT_EQ(board.world.now(), sec(3600));
  EXPECT_EQ(board.loop.now(), sec(3600));
}

Task<> wait_for_press() {
  auto button = machine::Pin::open(14, machine::PinMode::in, machine::Pull::up);
  machine::PinIrq irq;
  (void)irq.enable(*button, machine::Edge::falling);
  co_await irq.wait();
}

TEST(SimClock, WorldEventsAreWorthWaitingForEvenWithoutTimers) {
  SimBoard board;
  board.world.schedule(sec(5), [&] { board.world.pads().drive(14, Drive::low); });
  ASSERT_TRUE(board.loop.run_until_complete(wait_for_press()).ok());
  EXPECT_EQ(board.world.now(), sec(5));
}

TEST(SimClock, ReportsDeadlockWhenNothingCanEverHappen) {
  SimBoard board;
  Status s = board.loop.run_until_complete(wait_for_press());
  EXPECT_EQ(s.error(), Errc::deadlock);
}

TEST(SimClock, DoesNotJumpVirtualTimePastRealIo) {
  SimBoard board;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  struct Seen {
    Micros world_time = -1;
    World* world;
  } seen{-1, &board.world};
  linux_board::FdWatch w;
  w.fd = fds[0];
  w.events = EPOLLIN;
  w.context = &seen;
  w.on_ready = [](linux_board::FdWatch& self, std::uint32_t) {
    auto* s = static_cast<Seen*>(self.context);
    if (s->world_time < 0) s->world_time = s->world->now();
    char c;
    (void)!read(self.fd, &c, 1);
  };
  ASSERT_TRUE(board.clock.watch(w).ok());
  std::thread writer([&] {
    usleep(100 * 1000);
    (void)!write(fds[1], "x", 1);
  });
  auto tick = []() -> Task<> { co_await sleep_ms(10 * 1000); };
  auto stop_watching = [&]() -> Task<> {
    while (seen.world_time < 0)
      co_await sleep_ms(1);
    board.clock.unwatch(w);
  };
  board.loop.spawn(stop_watching());
  ASSERT_TRUE(board.loop.run_until_complete(tick()).ok());
  writer.join();
  EXPECT_GE(seen.world_time, 0);
  EXPECT_LT(seen.world_time, sec(10)) << "the socket's data came before the 10 s virtual deadline";
  EXPECT_EQ(board.world.now(), sec(10));
  close(fds[0]);
  close(fds[1]);
}

TEST(SimClock, RunsWorldEventsOnTheRealClock) {
  World world(ClockMode::real);
  SimClock clock(world);
  Loop loop(clock);
  bool ran = false;
  world.schedule(world.now() + ms(20), [&] { ran = true; });
  auto wait = []() -> Task<> { co_await sleep_ms(100); };
  ASSERT_TRUE(loop.run_until_complete(wait()).ok());
  EXPECT_TRUE(ran);
  EXPECT_FALSE(clock.is_virtual());
}

}  // namespace
}  // namespace weft::sim
