// Frame arena behaviour, 100k tasks, and the allocation-free steady state.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "test_support.hpp"

namespace {
std::atomic<long> g_heap_allocations{0};
}

// Counts every heap allocation in this test binary (GoogleTest's included); tests compare counts in windows.
// (The replacement pair is malloc/free by design; GCC's -O2 analysis cannot see that.)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  ++g_heap_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace weft {
namespace {

TEST(FrameArena, ReusesFreedBlocksOfTheSameSizeClass) {
  alignas(16) static unsigned char buffer[1024];
  FrameArena arena(buffer, sizeof buffer);
  void* a = arena.allocate(100);
  void* b = arena.allocate(100);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  arena.free(a, 100);
  EXPECT_EQ(arena.allocate(97), a);  // same 112-byte class
  EXPECT_EQ(arena.stats().live_blocks, 2u);
  EXPECT_EQ(arena.stats().in_use, 224u);
}

TEST(FrameArena, GivesFreedBlocksAtTheTopBackForOtherSizes) {
  alignas(16) static unsigned char buffer[512];
  FrameArena arena(buffer, sizeof buffer);
  void* small[8];
  for (auto& p : small)
    p = arena.allocate(64);  // fills the arena with 64-byte blocks
  EXPECT_EQ(arena.allocate(300), nullptr);
  for (auto* p : small)
    arena.free(p, 64);
  void* big = arena.allocate(300);  // the freed blocks are given back: a different size fits now
  EXPECT_NE(big, nullptr);
}

TEST(FrameArena, RefusesWhenFullAndCountsTheFailure) {
  alignas(16) static unsigned char buffer[256];
  FrameArena arena(buffer, sizeof buffer);
  EXPECT_NE(arena.allocate(200), nullptr);
  EXPECT_EQ(arena.allocate(100), nullptr);
  EXPECT_EQ(arena.allocate(std::size_t{1} << 40), nullptr);
  EXPECT_EQ(arena.stats().failures, 2u);
}

Task<> small_task() {
  co_await sleep_ms(1);
}

TEST(FrameArena, MakesSpawnFailCleanlyWhenFullAndRecoversWhenTasksEnd) {
  alignas(16) static unsigned char buffer[2048];
  FrameArena arena(buffer, sizeof buffer);
  FrameArena::Scope scope(arena);
  test::VirtualLoop v;
  test::LogCapture log;
  int spawned = 0;
  for (int i = 0; i < 100; ++i) {
    auto h = v.loop.spawn(small_task(), "small");
    if (!h.ok()) {
      EXPECT_EQ(h.error(), Errc::no_memory);
      break;
    }
    h.detach();
    ++spawned;
  }
  EXPECT_GT(spawned, 0);
  EXPECT_LT(spawned, 100);
  EXPECT_TRUE(log.contains("raise WEFT_FRAME_ARENA_BYTES"));
  EXPECT_TRUE(v.loop.run_until(ms(10)).ok());
  EXPECT_EQ(arena.stats().live_blocks, 0u);
  auto again = v.loop.spawn(small_task(), "again");  // room again
  EXPECT_TRUE(again.ok());
  EXPECT_TRUE(v.loop.run_until(ms(20)).ok());
}

TEST(Loop, RunsAHundredThousandTasks) {
  test::VirtualLoop v;
  long finished = 0;
  auto worker = [](long& done, int i) -> Task<> {
    co_await yield();
    co_await sleep_ms(i % 100);
    co_await yield();
    ++done;
  };
  for (int i = 0; i < 100'000; ++i) {
    auto h = v.loop.spawn(worker(finished, i), "worker");
    ASSERT_TRUE(h.ok());
    h.detach();
  }
  EXPECT_EQ(v.loop.stats().live_tasks, 100'000u);
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());
  EXPECT_EQ(finished, 100'000);
  EXPECT_EQ(v.loop.stats().live_tasks, 0u);
}

TEST(Loop, AllocatesNothingFromTheHeapOnceTasksAreRunning) {
  test::VirtualLoop v;
  Event ev;
  Queue<int, 4> q;
  Lock lock;
  long work = 0;
  auto producer = [&]() -> Task<> {
    Periodic tick(ms(10));
    for (int i = 0;; ++i) {
      co_await tick.next();
      (void)co_await q.put(i);
      ev.set();
    }
  };
  auto consumer = [&]() -> Task<> {
    for (;;) {
      Result<int> r = co_await wait_for(q.get(), ms(50));
      if (r.ok()) work += *r;
      auto g = co_await lock.acquire();
      co_await yield();
    }
  };
  auto watcher = [&]() -> Task<> {
    for (;;) {
      (void)co_await ev.wait();
      ev.clear();
      auto [a, b] = co_await gather(
          [&]() -> Task<int> {
            co_await sleep_ms(1);
            co_return 1;
          }(),
          [&]() -> Task<int> { co_return 2; }());
      work += *a + *b;
    }
  };
  Timer housekeeping([&] { ++work; }, v.loop);
  EXPECT_TRUE(housekeeping.start_every(ms(7)).ok());
  v.loop.spawn(producer(), "producer").detach();
  v.loop.spawn(consumer(), "consumer").detach();
  v.loop.spawn(watcher(), "watcher").detach();
  EXPECT_TRUE(v.loop.run_until(sec(1)).ok());  // warm-up: every path taken once
  long before = g_heap_allocations.load();
  EXPECT_TRUE(v.loop.run_until(sec(60)).ok());
  long after = g_heap_allocations.load();
  EXPECT_GT(work, 6000);
  EXPECT_EQ(after - before, 0) << "heap allocations in steady state";
}

}  // namespace
}  // namespace weft
