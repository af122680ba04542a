// memory: what a task costs beyond its coroutine frame (the room for its TaskHeader that every Task frame's
// block carries: task_header.hpp), the frame sizes of sample tasks, and arena bytes per task with many tasks.
// Sizes are arena blocks (rounded up to the arena's 16-byte classes), i.e. what a task really takes.
#include <cstdio>
#include <memory>
#include <string>

#include "core/frame_arena.hpp"
#include "core/loop.hpp"
#include "core/sleep.hpp"
#include "linux/linux_clock.hpp"
#include "record.hpp"
#include "sample_tasks.hpp"

namespace weft::bench {
namespace {

// Arena bytes taken while `make()`'s Task (created, not started: only its outermost frame) is alive.
template <typename Make>
std::size_t frame_bytes(Make make) {
  alignas(FrameArena::kAlign) static unsigned char buffer[16 * 1024];
  FrameArena arena(buffer, sizeof buffer);
  FrameArena::Scope scope(arena);
  auto task = make();
  return task.valid() ? arena.stats().in_use : 0;
}

}  // namespace

bool run_memory_bench(const Options& o) {
  SwitchCounter counter(o.memory_tasks, 0);
  LatenessLog log(0, 1);
  int level = 0;
  std::size_t yield_frame = frame_bytes([&] { return yielder(counter); });

  if (!o.json) {  // the frame table; --json prints only the per-task figure, as a record
    std::printf("\nmemory (%zu-bit):\n", sizeof(void*) * 8);
    std::printf(
        "  sizeof(TaskHeader) %zu B, room in front of every Task frame %zu B: the bytes a spawned task takes "
        "beyond its frame, in the frame's own block (one block per task)\n",
        sizeof(TaskHeader), kTaskPrefix);
    std::printf("  frames (arena blocks, the header room included):\n");
    std::printf("    %-44s %5zu B\n", "yield loop (co_await weft::yield())", yield_frame);
    std::printf("    %-44s %5zu B\n", "periodic 1 ms (Periodic + tick.next())",
                frame_bytes([&] { return ticker(log, 0, 0); }));
    std::printf("    %-44s %5zu B\n", "blink (two sleep_ms per loop)",
                frame_bytes([&] { return blink(level); }));
    std::printf("    %-44s %5zu B\n", "parent awaiting a Task<int>",
                frame_bytes([&] { return parent_of_child(level); }));
    std::printf("    %-44s %5zu B\n", "  + its child (sleep_ms then co_return 42)",
                frame_bytes(child_answer));
    std::printf(
        "  awaiters live in the frames: sizeof WaitNode %zu B, TimerNode %zu B, SleepAwaiter %zu B (GCC "
        "keeps\n"
        "  one slot per co_await expression, so two sleeps in a loop body cost two)\n",
        sizeof(WaitNode), sizeof(TimerNode), sizeof(SleepAwaiter));
  }

  // Many spawned tasks in the program's arena: everything a task costs, headers included.
  FrameArena& arena = FrameArena::current();
  std::size_t before = arena.stats().in_use;
  counter.finished = true;  // each task returns at its first resumption: run_forever then frees them all
  Loop loop(linux_board::linux_clock());
  loop.set_hog_threshold(0);  // a preempted slice on a loaded machine must not print into the figures
  if (!spawn_all(loop, o.memory_tasks, "memory", [&] { return yielder(counter); })) {
    (void)loop.run_forever();  // the spawned tasks return at their first resumption
    return false;
  }
  std::size_t per_task = (arena.stats().in_use - before) / o.memory_tasks;
  Status s = loop.run_forever();
  std::size_t left = arena.stats().in_use - before;
  if (o.json) {
    const std::string what =
        "arena: one block, frame + TaskHeader room " + std::to_string(kTaskPrefix) + " B";
    Record("memory", "weft").add("bytes_per_task", per_task).add("what", what).print();
  } else {
    std::printf(
        "  %u yield tasks: %zu B of arena per task (one block: frame + header room %zu); after they end: %zu "
        "B "
        "in use\n",
        o.memory_tasks, per_task, kTaskPrefix, left);
  }
  if (!s || left != 0) {
    std::fprintf(stderr, "memory: the tasks did not all end and free their memory (%s)\n",
                 to_string(s.error()));
    return false;
  }
  return true;
}

}  // namespace weft::bench
