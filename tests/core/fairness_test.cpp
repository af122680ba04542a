// The order tasks run in, pass by pass (loop.hpp's FIFO fairness): a task woken during a pass runs in the next
// pass, after every task that was ready before it; wakes before the walk (timers, flags) join this pass's end.
#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

namespace weft {
namespace {

using test::Trace;

using test::yielder;

Task<> event_waiter(Trace& trace, Event& ev, std::string name) {
  trace(name + " waits");
  co_await ev.wait();
  trace(name + " woke");
  co_await yield();
  trace(name + " again");
}

using Events = std::vector<std::string>;

TEST(Fairness, RunsATaskWokenBeforeItsWakerYieldsAheadOfTheWaker) {
  test::VirtualLoop v;
  Trace trace;
  Event ev;
  auto waker = [&]() -> Task<> {
    trace("A0");
    co_await yield();
    trace("A1 sets");
    ev.set();
    co_await yield();
    trace("A2");
  };
  v.loop.spawn(event_waiter(trace, ev, "W"), "W");
  v.loop.spawn(waker(), "A");
  v.loop.spawn(yielder(trace, "B", 3), "B");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(trace.events, (Events{"W waits", "A0", "B0", "A1 sets", "B1", "W woke", "A2", "B2", "W again"}));
}

TEST(Fairness, RunsATaskWokenAfterAnotherYieldedBehindThatOne) {
  test::VirtualLoop v;
  Trace trace;
  Event ev;
  auto waker = [&]() -> Task<> {
    trace("B0");
    co_await yield();
    trace("B1 sets");
    ev.set();
    co_await yield();
    trace("B2");
  };
  v.loop.spawn(event_waiter(trace, ev, "W"), "W");
  v.loop.spawn(yielder(trace, "A", 3), "A");
  v.loop.spawn(waker(), "B");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(trace.events, (Events{"W waits", "A0", "B0", "A1", "B1 sets", "A2", "W woke", "B2", "W again"}));
}

TEST(Fairness, RunsTasksWokenInOneSliceInTheOrderTheyWereWoken) {
  test::VirtualLoop v;
  Trace trace;
  Event first, second;
  auto waker = [&]() -> Task<> {
    trace("A0");
    co_await yield();
    trace("A1 wakes Y then X");
    second.set();
    first.set();
    co_await yield();
    trace("A2");
  };
  v.loop.spawn(event_waiter(trace, first, "X"), "X");
  v.loop.spawn(event_waiter(trace, second, "Y"), "Y");
  v.loop.spawn(waker(), "A");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(trace.events, (Events{"X waits", "Y waits", "A0", "A1 wakes Y then X", "Y woke", "X woke", "A2",
                                  "Y again", "X again"}));
}

TEST(Fairness, RunsATaskWokenByATimerInThatPassAfterTheTasksAlreadyReady) {
  test::VirtualLoop v;
  Trace trace;
  auto sleeper = [&]() -> Task<> {
    trace("S sleeps");
    co_await sleep_ms(1);
    trace("S woke");
    co_await yield();
    trace("S again");
  };
  v.loop.spawn(sleeper(), "S");
  v.loop.spawn(yielder(trace, "A", 4), "A");
  EXPECT_TRUE(v.loop.poll().ok());  // S sleeps, A0
  v.clock.advance(ms(1));
  EXPECT_TRUE(v.loop.poll().ok());  // the timer wakes S before the walk: A1, then S
  EXPECT_TRUE(v.loop.poll().ok());
  EXPECT_EQ(trace.events, (Events{"S sleeps", "A0", "A1", "S woke", "A2", "S again"}));
}

TEST(Fairness, RunsATaskWokenByAThreadSafeFlagInThatPassAfterTheTasksAlreadyReady) {
  test::VirtualLoop v;
  Trace trace;
  ThreadSafeFlag flag(v.loop);
  auto waiter = [&]() -> Task<> {
    trace("F waits");
    (void)co_await flag.wait();
    trace("F woke");
    co_await yield();
    trace("F again");
  };
  v.loop.spawn(waiter(), "F");
  v.loop.spawn(yielder(trace, "A", 4), "A");
  EXPECT_TRUE(v.loop.poll().ok());  // F waits, A0
  flag.set();
  EXPECT_TRUE(v.loop.poll().ok());  // the flag is collected before the walk: A1, then F
  EXPECT_TRUE(v.loop.poll().ok());
  EXPECT_EQ(trace.events, (Events{"F waits", "A0", "A1", "F woke", "A2", "F again"}));
}

TEST(Fairness, RunsASleepWhoseDeadlineHasPassedAgainAfterTheOthersLikeAYield) {
  test::VirtualLoop v;
  Trace trace;
  Errc slept = Errc::would_block;
  auto late = [&]() -> Task<> {
    trace("L0");
    slept = (co_await sleep_until(0)).error();
    trace("L1");
  };
  v.loop.spawn(late(), "L");
  v.loop.spawn(yielder(trace, "A", 2), "A");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(trace.events, (Events{"L0", "A0", "L1", "A1"}));
  EXPECT_EQ(slept, Errc::ok);
}

TEST(Fairness, KeepsTheOrderOfTheOthersWhenAQueuedTaskIsCancelled) {
  test::VirtualLoop v;
  Trace trace;
  JoinHandle<void> victim;
  Errc seen = Errc::ok;
  auto canceller = [&]() -> Task<> {
    trace("A0");
    co_await yield();
    trace("A1 cancels B");
    victim.cancel();  // B is queued behind A in this pass: its yield returns cancelled when it resumes
    co_await yield();
    trace("A2");
  };
  auto b = [&]() -> Task<> {
    trace("B0");
    seen = (co_await yield()).error();
    trace("B1");
  };
  v.loop.spawn(canceller(), "A");
  victim = v.loop.spawn(b(), "B");
  v.loop.spawn(yielder(trace, "C", 3), "C");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(trace.events, (Events{"A0", "B0", "C0", "A1 cancels B", "B1", "C1", "A2", "C2"}));
  EXPECT_EQ(seen, Errc::cancelled);
}

TEST(Fairness, KeepsTheOrderOfTheOthersWhenAnUnstartedTaskIsCancelled) {
  test::VirtualLoop v;
  Trace trace;
  JoinHandle<void> victim;
  auto canceller = [&]() -> Task<> {
    trace("A0");
    co_await yield();
    trace("A1 cancels V");
    victim.cancel();  // V never ran and is queued behind A in this pass: it ends without running
    co_await yield();
    trace("A2");
  };
  auto spawner = [&]() -> Task<> {
    trace("B0 spawns V");
    victim = Loop::current().spawn(yielder(trace, "V", 2), "V");
    co_await yield();
    trace("B1");
    co_await yield();
    trace("B2");
  };
  v.loop.spawn(canceller(), "A");
  v.loop.spawn(spawner(), "B");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_TRUE(victim.done());
  EXPECT_TRUE(victim.cancelled());
  EXPECT_EQ(trace.events, (Events{"A0", "B0 spawns V", "A1 cancels V", "B1", "A2", "B2"}));
  EXPECT_EQ(v.loop.stats().live_tasks, 0u);
}

TEST(Fairness, KeepsTheOrderWhenATaskKillsAChildItQueuedJustBeforeItself) {
  test::VirtualLoop v;
  Trace trace;
  Event ev;
  bool child_ran = false;
  auto child = [&]() -> Task<> {
    child_ran = true;
    co_return;
  };
  Task<> child_task = child();
  TaskHeader* header = nullptr;
  WaitNode joiner;
  auto killer = [&]() -> Task<> {
    trace("K0");
    co_await yield();
    trace("K1 starts, kills, wakes");
    header = &Loop::current().start_child(child_task.handle(), "child", joiner);  // queued just before K
    Loop::current().kill_child(*header);                                          // unqueued again
    ev.set();  // W queues where the child was
    co_await yield();
    trace("K2");
  };
  v.loop.spawn(event_waiter(trace, ev, "W"), "W");
  v.loop.spawn(yielder(trace, "S", 3), "S");
  v.loop.spawn(killer(), "K");
  v.loop.spawn(yielder(trace, "X", 3), "X");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_FALSE(child_ran);
  ASSERT_NE(header, nullptr);
  EXPECT_EQ(header->outcome(), Errc::cancelled);
  EXPECT_EQ(trace.events, (Events{"W waits", "S0", "K0", "X0", "S1", "K1 starts, kills, wakes", "X1", "S2",
                                  "W woke", "K2", "X2", "W again"}));
  EXPECT_EQ(v.loop.stats().live_tasks, 0u);
  (void)child_task.release();  // its frame was destroyed by the kill; the header is the owner's to free
  header->release_finished();
}

TEST(Fairness, RunsTasksSpawnedDuringAPassInTheNextPassInSpawnOrder) {
  test::VirtualLoop v;
  Trace trace;
  auto spawner = [&]() -> Task<> {
    trace("A0 spawns P, Q");
    Loop::current().spawn(yielder(trace, "P", 1), "P").detach();
    Loop::current().spawn(yielder(trace, "Q", 1), "Q").detach();
    co_await yield();
    trace("A1");
  };
  v.loop.spawn(spawner(), "A");
  v.loop.spawn(yielder(trace, "B", 2), "B");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(trace.events, (Events{"A0 spawns P, Q", "B0", "P0", "Q0", "A1", "B1"}));
}

TEST(Fairness, RunsAJoinerWokenByAFinishingTaskBehindTheTasksThatYieldedBeforeIt) {
  test::VirtualLoop v;
  Trace trace;
  auto worker = [&]() -> Task<int> {
    trace("T0");
    co_await yield();
    trace("T1 ends");
    co_return 1;
  };
  auto joiner = [&]() -> Task<> {
    auto h = Loop::current().spawn(worker(), "T");
    trace("J joins");
    auto r = co_await h.join();
    EXPECT_TRUE(r.ok());
    trace("J woke");
  };
  v.loop.spawn(yielder(trace, "A", 4), "A");
  v.loop.spawn(joiner(), "J");
  v.loop.spawn(yielder(trace, "B", 4), "B");
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(trace.events,
            (Events{"A0", "J joins", "B0", "A1", "T0", "B1", "A2", "T1 ends", "B2", "A3", "J woke", "B3"}));
}

}  // namespace
}  // namespace weft
