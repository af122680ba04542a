// One arena block per task: the TaskHeader lives in the room in front of the task's outermost frame
// (task_header.hpp). Every way a task can end frees that block exactly once, and the header outlives a reaped
// frame exactly as long as a handle (or gather/race) needs its outcome.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "test_support.hpp"

namespace weft {
namespace {

// A small arena of its own per test, so the counts are exact.
struct ArenaLoop {
  alignas(16) unsigned char buffer[8192]{};
  FrameArena arena{buffer, sizeof buffer};
  FrameArena::Scope scope{arena};
  test::VirtualLoop v;

  [[nodiscard]] std::size_t blocks() const { return arena.stats().live_blocks; }
  [[nodiscard]] std::size_t bytes() const { return arena.stats().in_use; }
  // No block, no byte, no live task left.
  [[nodiscard]] bool all_freed() const {
    return blocks() == 0 && bytes() == 0 && v.loop.stats().live_tasks == 0;
  }
};

Task<> wait_on(Event& e) {
  co_await e.wait();
}

// Ignores its first cancellation and awaits again, so the loop reaps it.
Task<int> stubborn(Event& e, int& alive) {
  test::Lifetime l(alive);
  co_await e.wait();
  co_await e.wait();
  co_return 1;
}

Task<int> nested(Event& e) {
  co_await e.wait();
  co_return 7;
}
Task<int> outer(Event& e) {
  Result<int> r = co_await nested(e);
  co_return r.ok() ? *r + 1 : -1;
}

TEST(TaskBlock, ReadsSetsAndClearsFlagsOfBothWordsInOneMask) {
  TaskHeader h;
  h.set(TaskHeader::kDone | TaskHeader::kHandleAlive);  // one flag in each tagged word
  EXPECT_TRUE(h.has(TaskHeader::kDone));
  EXPECT_TRUE(h.has(TaskHeader::kHandleAlive));
  EXPECT_FALSE(h.has(TaskHeader::kCancelRequested | TaskHeader::kCancelled));
  h.clear(TaskHeader::kDone);
  EXPECT_TRUE(h.has(TaskHeader::kDone | TaskHeader::kHandleAlive));  // either one is enough
  h.clear(TaskHeader::kDone | TaskHeader::kHandleAlive);
  EXPECT_FALSE(h.has(TaskHeader::kDone | TaskHeader::kHandleAlive));
  EXPECT_EQ(h.all_next(), nullptr);  // the flags never touch the links
  EXPECT_EQ(h.all_prev(), nullptr);
}

TEST(TaskBlock, PutsTheHeaderInFrontOfTheFrameInTheSameBlock) {
  ArenaLoop a;
  Event e;
  Task<> t = wait_on(e);
  ASSERT_TRUE(t.valid());
  auto* frame = static_cast<unsigned char*>(t.handle().address());
  EXPECT_EQ(a.blocks(), 1u);
  EXPECT_TRUE(a.arena.owns(frame - kTaskPrefix));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(frame - kTaskPrefix) % FrameArena::kAlign, 0u);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(frame) % __STDCPP_DEFAULT_NEW_ALIGNMENT__, 0u);
  auto h = a.v.loop.spawn(std::move(t), "waiter");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(a.blocks(), 1u);  // spawn allocated nothing
  TaskHeader* header = nullptr;
  a.v.loop.for_each_task([&](const TaskHeader& th) { header = const_cast<TaskHeader*>(&th); });
  ASSERT_NE(header, nullptr);
  EXPECT_EQ(static_cast<void*>(header), static_cast<void*>(frame - kTaskPrefix));
  EXPECT_EQ(header->root().address(), frame);
  EXPECT_EQ(&TaskHeader::of(header->root()), header);
  e.set();
  EXPECT_TRUE(a.v.loop.run_until(ms(1)).ok());
  EXPECT_TRUE(h.done());
}

TEST(TaskBlock, CostsOneBlockPerSpawnedTaskWhateverItAwaitsInside) {
  ArenaLoop a;
  Event e;
  std::vector<JoinHandle<int>> handles;
  handles.reserve(10);
  for (int i = 0; i < 10; ++i)
    handles.push_back(a.v.loop.spawn(outer(e), "outer"));
  EXPECT_EQ(a.blocks(), 10u);
  EXPECT_TRUE(a.v.loop.run_until(ms(1)).ok());
  EXPECT_EQ(a.blocks(), 20u);  // each is inside its nested await now: one more frame each, no header
  e.set();
  EXPECT_TRUE(a.v.loop.run_until(ms(2)).ok());
  EXPECT_EQ(a.blocks(), 10u);  // the finished frames wait for their handles (results)
  for (auto& h : handles)
    EXPECT_EQ(*h.take_result(), 8);
  handles.clear();
  EXPECT_TRUE(a.all_freed());
}

// A stubborn task that has started and been cancelled: the next pass reaps it.
JoinHandle<int> cancelled_stubborn(ArenaLoop& a, Event& e, int& alive) {
  auto h = a.v.loop.spawn(stubborn(e, alive), "stubborn");
  EXPECT_TRUE(a.v.loop.run_until(ms(1)).ok());
  EXPECT_EQ(alive, 1);
  h.cancel();  // its first wait returns cancelled; the second suspension is reaped
  return h;
}

TEST(TaskBlock, KeepsTheHeaderOfAReapedTaskWhileItsHandleLivesThenFreesTheBlock) {
  ArenaLoop a;
  Event e;
  int alive = 0;
  auto h = cancelled_stubborn(a, e, alive);
  EXPECT_TRUE(a.v.loop.run_until(ms(2)).ok());
  EXPECT_EQ(alive, 0);  // the frame is gone: its locals were destroyed
  EXPECT_TRUE(h.done());
  EXPECT_TRUE(h.cancelled());
  EXPECT_EQ(a.blocks(), 1u);  // the header, for the outcome
  EXPECT_EQ(h.take_result().error(), Errc::cancelled);
  EXPECT_EQ(h.take_result().error(), Errc::cancelled);  // still readable: the header stays until release
  h = JoinHandle<int>();
  EXPECT_TRUE(a.all_freed());
}

TEST(TaskBlock, FreesTheBlockOfAReapedTaskAtOnceWhenNoHandleIsLeft) {
  ArenaLoop a;
  Event e;
  int alive = 0;
  cancelled_stubborn(a, e, alive).detach();
  EXPECT_TRUE(a.v.loop.run_until(ms(2)).ok());
  EXPECT_EQ(alive, 0);
  EXPECT_TRUE(a.all_freed());
}

TEST(TaskBlock, FreesEverythingOfADetachedTaskWhenItFinishes) {
  ArenaLoop a;
  Event e;
  for (int i = 0; i < 5; ++i)
    a.v.loop.spawn(outer(e), "detached").detach();
  EXPECT_TRUE(a.v.loop.run_until(ms(1)).ok());
  EXPECT_EQ(a.blocks(), 10u);
  e.set();
  EXPECT_TRUE(a.v.loop.run_until(ms(2)).ok());
  EXPECT_TRUE(a.all_freed());
}

TEST(TaskBlock, FreesAnUnstartedTaskCancelledBeforeItRanWithAndWithoutItsHandle) {
  ArenaLoop a;
  Event e;
  auto kept = a.v.loop.spawn(wait_on(e), "kept");
  auto dropped = a.v.loop.spawn(wait_on(e), "dropped");
  kept.cancel();
  dropped.cancel();
  dropped.detach();
  EXPECT_TRUE(a.v.loop.run_until(ms(1)).ok());
  EXPECT_TRUE(kept.cancelled());
  EXPECT_EQ(a.blocks(), 1u);
  kept = JoinHandle<void>();
  EXPECT_EQ(a.blocks(), 0u);
}

TEST(TaskBlock, FreesEveryBlockWhenTheLoopEndsBeforeItsTasks) {
  alignas(16) static unsigned char buffer[4096];
  FrameArena arena(buffer, sizeof buffer);
  FrameArena::Scope scope(arena);
  Event e;
  JoinHandle<int> kept;
  {
    test::VirtualLoop v;
    kept = v.loop.spawn(outer(e), "kept");
    v.loop.spawn(outer(e), "detached").detach();
    EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
    EXPECT_EQ(arena.stats().live_blocks, 4u);
  }
  EXPECT_TRUE(kept.cancelled());
  EXPECT_EQ(arena.stats().live_blocks, 1u);  // the reaped task's header, for its handle
  kept = JoinHandle<int>();
  EXPECT_EQ(arena.stats().live_blocks, 0u);
  EXPECT_EQ(arena.stats().in_use, 0u);
}

TEST(TaskBlock, ReportsNoMemoryWhenTheArenaIsFullAndLeaksNothing) {
  alignas(16) static unsigned char buffer[1024];
  FrameArena arena(buffer, sizeof buffer);
  FrameArena::Scope scope(arena);
  test::LogCapture log;
  Event e;
  {
    test::VirtualLoop v;
    std::vector<JoinHandle<void>> handles;
    for (;;) {
      auto h = v.loop.spawn(wait_on(e), "filler");
      if (!h.ok()) {
        EXPECT_EQ(h.error(), Errc::no_memory);
        break;
      }
      handles.push_back(std::move(h));
      ASSERT_LT(handles.size(), 100u);
    }
    EXPECT_FALSE(handles.empty());
    EXPECT_EQ(arena.stats().live_blocks, handles.size());  // the refused spawn holds nothing
    EXPECT_TRUE(log.contains("no_memory") || log.contains("raise WEFT_FRAME_ARENA_BYTES"));
    e.set();
    EXPECT_TRUE(v.loop.run_until(ms(1)).ok());
    for (auto& h : handles)
      EXPECT_TRUE(h.done());
  }
  EXPECT_EQ(arena.stats().live_blocks, 0u);
  EXPECT_EQ(arena.stats().in_use, 0u);
}

TEST(TaskBlock, FreesTheTaskASpawnOnAStoppedLoopRefuses) {
  ArenaLoop a;
  Event e;
  a.v.loop.stop();
  (void)a.v.loop.run_until(ms(1));
  EXPECT_TRUE(a.v.loop.stopped());
  auto h = a.v.loop.spawn(wait_on(e), "late");
  EXPECT_FALSE(h.ok());
  EXPECT_EQ(h.error(), Errc::loop_stopped);
  EXPECT_EQ(a.blocks(), 0u);
}

Task<Status> child(int d, int& alive) {
  test::Lifetime l(alive);
  co_return co_await sleep_ms(d);
}

// Ignores the cancellation of its sleep and sleeps again: reaped.
Task<Status> stubborn_child(int& alive) {
  test::Lifetime l(alive);
  (void)co_await sleep_ms(100);
  co_return co_await sleep_ms(100);
}

TEST(TaskBlock, FreesTheChildrenOfACancelledGatherIncludingReapedOnes) {
  ArenaLoop a;
  int alive = 0;
  Errc first = Errc::ok, second = Errc::ok;
  auto parent = [&]() -> Task<> {
    auto [x, y] = co_await gather(child(100, alive), stubborn_child(alive));
    first = x.error();
    second = y.error();
  };
  auto h = a.v.loop.spawn(parent());
  EXPECT_TRUE(a.v.loop.run_until(ms(10)).ok());
  EXPECT_EQ(alive, 2);
  EXPECT_EQ(a.blocks(), 3u);  // the parent and one block per child
  h.cancel();
  EXPECT_TRUE(a.v.loop.run_until(ms(20)).ok());
  EXPECT_TRUE(h.done());
  EXPECT_EQ(alive, 0);
  EXPECT_EQ(first, Errc::cancelled);
  EXPECT_EQ(second, Errc::cancelled);
  EXPECT_EQ(a.blocks(), 1u);  // the parent's, for its handle
  h = JoinHandle<void>();
  EXPECT_TRUE(a.all_freed());
}

TEST(TaskBlock, FreesTheChildrenOfARaceKilledWithItsReapedParent) {
  ArenaLoop a;
  int alive = 0;
  Event never;
  auto parent = [&]() -> Task<> {
    (void)co_await race(child(100, alive), stubborn_child(alive));
    co_await never.wait();
  };
  auto h = a.v.loop.spawn(parent());
  EXPECT_TRUE(a.v.loop.run_until(ms(10)).ok());
  EXPECT_EQ(a.blocks(), 3u);
  h.cancel();  // the parent sees the cancellation in race (children cancelled), then waits again: reaped
  EXPECT_TRUE(a.v.loop.run_until(ms(20)).ok());
  h.cancel();
  EXPECT_TRUE(a.v.loop.run_until(ms(30)).ok());
  EXPECT_EQ(alive, 0);
  h.detach();
  EXPECT_TRUE(a.v.loop.run_until(ms(40)).ok());
  EXPECT_TRUE(a.all_freed());
}

TEST(TaskBlock, KillsAndFreesTheChildrenOfAGatherWhoseParentIsReapedMidway) {
  ArenaLoop a;
  int alive = 0;
  {
    test::VirtualLoop inner;  // the parent dies with this loop, its children with it
    auto parent = [&]() -> Task<> { (void)co_await gather(child(100, alive), stubborn_child(alive)); };
    inner.loop.spawn(parent()).detach();
    EXPECT_TRUE(inner.loop.run_until(ms(10)).ok());
    EXPECT_EQ(alive, 2);
    EXPECT_EQ(a.blocks(), 3u);
  }
  EXPECT_EQ(alive, 0);
  EXPECT_TRUE(a.all_freed());
}

TEST(TaskBlock, FreesTheLosersOfARace) {
  ArenaLoop a;
  int alive = 0;
  auto parent = [&]() -> Task<std::size_t> {
    auto r = co_await race(child(5, alive), child(100, alive), stubborn_child(alive));
    co_return r.index;
  };
  auto h = a.v.loop.spawn(parent());
  EXPECT_TRUE(a.v.loop.run_until(ms(50)).ok());
  EXPECT_TRUE(h.done());
  EXPECT_EQ(*h.take_result(), 0u);
  EXPECT_EQ(alive, 0);
  EXPECT_EQ(a.blocks(), 1u);
  h = JoinHandle<std::size_t>();
  EXPECT_EQ(a.blocks(), 0u);
}

}  // namespace
}  // namespace weft
