// How the loop uses its board ports: the clock port always, the I/O poller only when the board has one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace weft {
namespace {

using test::Trace;

constexpr int kBusyYields = 10 * static_cast<int>(IoPoller::kPollEverySwitches);

// A board that is both ports, as LinuxClock and SimClock are: virtual time, and I/O it completes itself
// (in loop context, as a board fires its WaitNodes), from poll_events() or from a wait_until() for events.
class FakeBoard final : public ClockPort, public IoPoller {
 public:
  Micros now() override { return clock_.now(); }
  void wait_until(Micros deadline) override {
    waits.push_back(deadline);
    if (pending_ && deadline == kForever) {
      complete_io();  // the event a real board would have waited for
      return;
    }
    clock_.wait_until(deadline);
  }
  void wake() override { clock_.wake(); }
  [[nodiscard]] bool is_virtual() const override { return true; }

  void poll_events() override {
    ++polls;
    complete_io();
  }
  [[nodiscard]] bool has_pending_io() const override { return pending_; }

  // I/O is outstanding until it completes (once) by setting `done`.
  void start_io(Event& done) {
    on_io_ = &done;
    pending_ = true;
  }

  int polls = 0;
  std::vector<Micros> waits;

 private:
  void complete_io() {
    if (on_io_ == nullptr) return;
    on_io_->set();
    on_io_ = nullptr;
    pending_ = false;
  }
  bool pending_ = false;
  Event* on_io_ = nullptr;
  VirtualClock clock_;
};

Task<> sleeper(Trace& trace, std::string name, Micros d) {
  Status s = co_await sleep_us(d);
  trace(name + (s ? " woke at " : " failed at ") + std::to_string(Loop::current().now()));
}

Task<> yielder(int times, int& done) {
  for (; done < times; ++done)
    co_await yield();
}

Task<> waiter(Event& e, int& yields_seen, const int& yields) {
  co_await e.wait();
  yields_seen = yields;
}

TEST(LoopPorts, ALoopWithAClockAndNoIoPollerRunsTimersAndTasks) {
  VirtualClock clock;
  Loop loop(clock, nullptr);
  EXPECT_EQ(loop.io_poller(), nullptr);
  EXPECT_EQ(&loop.clock(), &clock);
  Trace trace;
  int yields = 0;
  loop.spawn(sleeper(trace, "late", sec(5)), "late");
  loop.spawn(sleeper(trace, "early", sec(1)), "early");
  loop.spawn(yielder(1000, yields), "yielder");
  EXPECT_TRUE(loop.run_until(sec(10)).ok());
  EXPECT_EQ(trace.events, (std::vector<std::string>{"early woke at 1000000", "late woke at 5000000"}));
  EXPECT_EQ(yields, 1000);
  EXPECT_EQ(clock.now(), sec(10));
}

TEST(LoopPorts, ALoopWithNoIoPollerReportsDeadlockOnAVirtualClock) {
  VirtualClock clock;
  Loop loop(clock, nullptr);
  Event never;
  int seen = -1;
  const int yields = 0;
  auto r = loop.run_until_complete(waiter(never, seen, yields));
  EXPECT_EQ(r.error(), Errc::deadlock);
  EXPECT_EQ(seen, -1);
  EXPECT_EQ(clock.now(), 0);  // nothing to jump to
}

TEST(LoopPorts, ABoardObjectThatIsBothPortsBecomesTheLoopsClockAndPoller) {
  FakeBoard board;
  Loop loop(board);
  EXPECT_EQ(&loop.clock(), static_cast<ClockPort*>(&board));
  EXPECT_EQ(loop.io_poller(), static_cast<IoPoller*>(&board));
}

TEST(LoopPorts, ABusyLoopPollsPendingIoSoATaskThatYieldsForeverCannotStarveIt) {
  FakeBoard board;
  Loop loop(board);
  Event io_done;
  board.start_io(io_done);
  int yields = 0;
  int yields_when_io_done = -1;
  loop.spawn(waiter(io_done, yields_when_io_done, yields), "io");
  EXPECT_TRUE(loop.run_until_complete(yielder(kBusyYields, yields)).ok());
  EXPECT_EQ(board.polls, 1);  // no more once nothing is pending
  // The I/O completed within the first kPollEverySwitches switches (plus the pass that crossed the mark),
  // while the busy task still had most of its yields to go; the loop never idled meanwhile.
  EXPECT_GE(yields_when_io_done, 0);
  EXPECT_LE(yields_when_io_done, static_cast<int>(IoPoller::kPollEverySwitches) + 1);
  EXPECT_TRUE(board.waits.empty());
}

TEST(LoopPorts, ABusyLoopDoesNotPollWhenNoIoIsPending) {
  FakeBoard board;
  Loop loop(board);
  int yields = 0;
  EXPECT_TRUE(loop.run_until_complete(yielder(kBusyYields, yields)).ok());
  EXPECT_EQ(yields, kBusyYields);
  EXPECT_EQ(board.polls, 0);
}

TEST(LoopPorts, AVirtualClockWithPendingIoWaitsForItInsteadOfReportingDeadlock) {
  FakeBoard board;
  Loop loop(board);
  Event io_done;
  board.start_io(io_done);
  int seen = -1;
  const int yields = 7;
  EXPECT_TRUE(loop.run_until_complete(waiter(io_done, seen, yields)).ok());
  EXPECT_EQ(seen, 7);
  EXPECT_EQ(board.waits, (std::vector<Micros>{kForever}));  // one idle wait, for events only
  EXPECT_EQ(board.polls, 0);                                // idle: the wait handles I/O, no poll
}

TEST(LoopPorts, TheSameBoardWithoutItsPollerReportsDeadlockDespitePendingIo) {
  FakeBoard board;
  Loop loop(board, nullptr);  // the clock alone: the loop cannot know about the board's I/O
  Event io_done;
  board.start_io(io_done);
  int seen = -1;
  const int yields = 0;
  auto r = loop.run_until_complete(waiter(io_done, seen, yields));
  EXPECT_EQ(r.error(), Errc::deadlock);
  EXPECT_TRUE(board.waits.empty());
}

}  // namespace
}  // namespace weft
