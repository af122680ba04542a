// The frame arena on the lx106: exhaustion is a clean Errc::no_memory (never a crash), space comes back when
// tasks end, and the steady state allocates nothing (the harness also checks the heap after every test).
#include "harness.hpp"
#include "target_support.hpp"

namespace weft {
namespace {

Task<> parked(Event& e) {
  co_await e.wait();
}

TEST(Arena, SpawningPastTheArenaFailsCleanlyWithNoMemory) {
  target::VirtualLoop v;
  alignas(FrameArena::kAlign) static unsigned char buffer[1024];
  target::LogCapture log;
  Event release;
  int spawned = 0;
  Errc first_error = Errc::ok;
  {
    FrameArena small(buffer, sizeof buffer);
    FrameArena::Scope scope(small);
    for (int i = 0; i < 100; ++i) {
      auto h = v.loop.spawn(parked(release), "parked");
      if (!h) {
        first_error = h.error();
        break;
      }
      h.detach();
      ++spawned;
    }
    EXPECT_EQ(first_error, Errc::no_memory);
    EXPECT_GT(spawned, 3);
    EXPECT_GE(small.stats().failures, 1u);
    EXPECT_TRUE(v.loop.run_until(ms(1)).ok());  // the ones that fit run (and park)
    EXPECT_EQ(v.loop.stats().live_tasks, static_cast<std::uint32_t>(spawned));
    release.set();  // they end and give their blocks back
    EXPECT_TRUE(v.loop.run_until(ms(2)).ok());
    EXPECT_EQ(small.stats().live_blocks, 0u);
    auto again = v.loop.spawn(parked(release), "again");  // room again
    EXPECT_TRUE(again.ok());
    EXPECT_TRUE(v.loop.run_until(ms(3)).ok());
    EXPECT_TRUE(again.done());
  }
  EXPECT_TRUE(log.contains("out of memory") || log.contains("frame arena full"));
}

Task<int> add_after_sleep(int a, int b) {
  co_await sleep_ms(1);
  co_return a + b;
}

TEST(Arena, ATaskWhoseFrameDoesNotFitIsInvalidAndAwaitingItGivesNoMemory) {
  target::VirtualLoop v;
  alignas(FrameArena::kAlign) static unsigned char buffer[32];
  target::LogCapture log;
  {
    FrameArena tiny(buffer, sizeof buffer);
    FrameArena::Scope scope(tiny);
    Task<int> t = add_after_sleep(1, 2);
    EXPECT_FALSE(t.valid());
    auto h = v.loop.spawn(std::move(t));
    EXPECT_FALSE(h.ok());
    EXPECT_EQ(h.error(), Errc::no_memory);
  }
  EXPECT_TRUE(log.contains("frame arena full"));
}

Task<> yield_loop(int n) {
  for (int i = 0; i < n; ++i)
    co_await yield();
}
Task<> sleep_loop(int n) {
  for (int i = 0; i < n; ++i)
    co_await sleep_us(100);
}

TEST(Arena, SteadyStateAllocatesNothing) {
  Loop loop(target::board_clock());
  // Both outlive the measured 15 ms by far (the loop's end reaps them), however fast a switch gets.
  loop.spawn(yield_loop(1000000), "yielder").detach();
  loop.spawn(sleep_loop(2000), "sleeper").detach();
  EXPECT_TRUE(loop.run_until(loop.refresh_now() + ms(1)).ok());  // both started: frames allocated
  ArenaStats warm = FrameArena::current().stats();
  std::uint32_t heap = lx106::heap_allocations();
  EXPECT_TRUE(loop.run_until(loop.refresh_now() + ms(15)).ok());
  ArenaStats after = FrameArena::current().stats();
  EXPECT_EQ(after.live_blocks, warm.live_blocks);
  EXPECT_EQ(after.in_use, warm.in_use);
  EXPECT_EQ(after.peak, warm.peak);
  EXPECT_EQ(lx106::heap_allocations(), heap);
  EXPECT_GT(loop.stats().switches, 200u);
}

TEST(Arena, TheBoardDefaultArenaIsSizedForTheChip) {
  ArenaStats s = FrameArena::current().stats();
  EXPECT_EQ(s.capacity, 16384u);  // board/lx106_qemu/board.cmake
}

}  // namespace
}  // namespace weft
