// TaskHeader: the scheduler's bookkeeping for one running task (a spawned Task, or a child of gather/race).
//
// Where it lives: in front of the task's outermost coroutine frame, in the same arena block. Every Task frame
// is allocated with kTaskPrefix bytes of room in front of it (PromiseBase::operator new), so spawning a Task
// that already exists (`loop.spawn(worker(x))`, tasks are lazy) builds the header in that room: one arena
// block per task, no allocation at spawn, and the outermost frame is found from the header's address (root()).
// The price: a frame awaited inline (never spawned) carries the unused room while it lives. The alternative, a
// `spawn(fn, args...)` that asks the allocator for the room for one frame only, saves that but needs a second
// spawn form and leaves `spawn(task)` at two blocks; nested frames are short-lived, so the room is taken here.
//
// Lifetime: the header must outlive the frame in one case: a reaped task (its frames destroyed) whose
// JoinHandle (or gather/race) still reads the outcome. Then operator delete keeps the block (it records the
// frame's size in the dead frame's first bytes) and release_finished() frees it later. Every other end frees
// the block with the frame: a detached task at its end, a handle's release of a finished task, a frame that
// was never spawned. The rule operator delete applies: keep the block while the header says "task not done".
//
// Lifecycle:
//   spawn -> ready -> running -> (waiting on one WaitNode -> ready -> running)* -> done
//   cancel: waiting -> its await returns Errc::cancelled (once); a later suspension "reaps" the task:
//           the loop destroys its frames (every destructor runs, every awaiter unlinks itself) and the
//           task ends cancelled.
// States read from the links, so a switch writes no flags:
//   queued    <=> next != nullptr: in the loop's ready list (the last one's next is its end mark, never
//                 dereferenced); the running task keeps its place there until its slice ends (Loop::run_batch)
//   unstarted <=> waiting == &never_fired_wait (set by spawn; the switch clears `waiting` as it runs a task)
//
// Size: six words with stats off (24 B on the lx106). The flags ride in the low bits of the two live-list
// links (headers start arena blocks, aligned to at least 8): the ones the switch and the awaits test in
// all_next's word, the rest in all_prev's. The outcome is a flag (Errc::cancelled when reaped, else ok).
#pragma once
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "cpu_ticks.hpp"
#include "errc.hpp"
#include "frame_arena.hpp"
#include "time.hpp"

namespace weft {

class WaitNode;

// Per-task names and statistics (slice count and times, the hog warning) cost 20 bytes per task and a few
// instructions per switch. WEFT_TASK_STATS=0 (CMake option WEFT_TASK_STATS=OFF) compiles them out: names read
// "", stats read zero, Loop::set_profiling and set_hog_threshold do nothing. Default: on.
#ifndef WEFT_TASK_STATS
#define WEFT_TASK_STATS 1
#endif

struct TaskStats {
  std::uint32_t runs = 0;  // slices run (resumptions)
  std::uint32_t max_slice_us = 0;
  Micros total_us = 0;  // time spent running (profiling on)
};

struct TaskHeader {
  // Hot flags (bits of all_next's word) below 8, cold ones (bits of all_prev's word, shifted by 3) above.
  enum Flag : std::uint8_t {
    kCancelRequested = 1,
    kEndSlice = 2,         // the slice that is running must end in finish or reap (kDone says which)
    kDone = 4,             // also the mark of a frame's unused room: operator delete frees the whole block
    kCancelDelivered = 8,  // the task has seen Errc::cancelled once
    kHandleAlive = 16,     // a JoinHandle (or gather/race) still refers to this header
    kCancelled = 32,       // the outcome: reaped (Errc::cancelled)
  };
  static constexpr std::uintptr_t kTagMask = 7;

  TaskHeader* next = nullptr;  // ready list; nullptr when not in it (first: &next == this, one add less)
  // Also the word operator new marks in a frame's unused room and operator delete tests (kDone).
  std::uintptr_t all_next_bits = 0;      // the loop's list of live tasks (stats, shutdown) | hot flags
  std::uintptr_t all_prev_bits = 0;      // | cold flags
  std::coroutine_handle<> resume_point;  // innermost suspended coroutine of the task
  WaitNode* waiting = nullptr;           // the wait it is suspended in; nullptr when ready or running
  WaitNode* joiner = nullptr;            // fired when the task ends
#if WEFT_TASK_STATS
  std::uint32_t runs = 0;
  const char* name = "task";
  std::uint64_t total_ticks = 0;  // SliceClock ticks (slice_clock.hpp), converted when read
  Ticks max_slice_ticks = 0;
#endif

  // Any mix of flags: a constant mask of one word compiles to one test of that word.
  [[nodiscard]] [[gnu::always_inline]] bool has(unsigned mask) const {
    if ((mask >> 3) == 0) return (all_next_bits & mask) != 0;
    if ((mask & kTagMask) == 0) return (all_prev_bits & (mask >> 3)) != 0;
    return (all_next_bits & mask & kTagMask) != 0 || (all_prev_bits & (mask >> 3)) != 0;
  }
  [[gnu::always_inline]] void set(unsigned mask) {
    if ((mask & kTagMask) != 0) all_next_bits |= mask & kTagMask;
    if ((mask >> 3) != 0) all_prev_bits |= mask >> 3;
  }
  void clear(unsigned mask) {
    all_next_bits &= ~std::uintptr_t{mask & kTagMask};
    all_prev_bits &= ~std::uintptr_t{mask >> 3};
  }
  [[nodiscard]] bool queued() const {
    return next != nullptr;
  }
  [[nodiscard]] bool ends_slice() const {
    return has(kEndSlice);
  }
  [[nodiscard]] Errc outcome() const {
    return has(kCancelled) ? Errc::cancelled : Errc::ok;
  }
  [[nodiscard]] const char* task_name() const {
#if WEFT_TASK_STATS
    return name;
#else
    return "";
#endif
  }

  [[nodiscard]] TaskHeader* all_next() const {
    // NOLINTNEXTLINE(performance-no-int-to-ptr): a tagged link
    return reinterpret_cast<TaskHeader*>(all_next_bits & ~kTagMask);
  }
  [[nodiscard]] TaskHeader* all_prev() const {
    // NOLINTNEXTLINE(performance-no-int-to-ptr): a tagged link
    return reinterpret_cast<TaskHeader*>(all_prev_bits & ~kTagMask);
  }
  void set_all_next(TaskHeader* t) {
    all_next_bits = (all_next_bits & kTagMask) | reinterpret_cast<std::uintptr_t>(t);
  }
  void set_all_prev(TaskHeader* t) {
    all_prev_bits = (all_prev_bits & kTagMask) | reinterpret_cast<std::uintptr_t>(t);
  }

  // The outermost frame, kTaskPrefix bytes behind the header.
  [[nodiscard]] std::coroutine_handle<> root() const;
  [[nodiscard]] static TaskHeader& of(std::coroutine_handle<> root);

  // The owner (JoinHandle, gather/race) lets go of a finished task: frees its block, whatever a reap left.
  void release_finished();

  // For PromiseBase::operator new/delete; `block` is the arena block, the frame starts kTaskPrefix bytes in.
  static void mark_room_unused(void* block);
  static void free_frame(void* frame, std::size_t n);
};

// The room in front of every Task frame: TaskHeader rounded up to the frame's alignment (operator new's), so
// the frame behind it stays aligned.
inline constexpr std::size_t kTaskPrefix = (sizeof(TaskHeader) + __STDCPP_DEFAULT_NEW_ALIGNMENT__ - 1) /
                                           __STDCPP_DEFAULT_NEW_ALIGNMENT__ *
                                           __STDCPP_DEFAULT_NEW_ALIGNMENT__;
static_assert(WEFT_TASK_STATS || sizeof(TaskHeader) == 6 * sizeof(void*), "six words with stats off");
static_assert(FrameArena::kAlign >= __STDCPP_DEFAULT_NEW_ALIGNMENT__ &&
                  FrameArena::kAlign > TaskHeader::kTagMask,
              "headers start arena blocks: aligned for the frame behind them and for the flag bits");

inline std::coroutine_handle<> TaskHeader::root() const {
  return std::coroutine_handle<>::from_address(
      const_cast<unsigned char*>(reinterpret_cast<const unsigned char*>(this)) + kTaskPrefix);
}

inline TaskHeader& TaskHeader::of(std::coroutine_handle<> root) {
  return *reinterpret_cast<TaskHeader*>(static_cast<unsigned char*>(root.address()) - kTaskPrefix);
}

inline void TaskHeader::release_finished() {
  if (!has(kCancelled)) {
    root().destroy();  // kDone: operator delete frees the whole block
    return;
  }
  std::size_t frame = 0;
  std::memcpy(&frame, root().address(), sizeof frame);  // recorded by free_frame when the reap destroyed it
  FrameArena::owner_of(this).free(this, kTaskPrefix + frame);
}

inline void TaskHeader::mark_room_unused(void* block) {
  const std::uintptr_t done = kDone;  // "no task here": operator delete frees the whole block
  std::memcpy(static_cast<unsigned char*>(block) + offsetof(TaskHeader, all_next_bits), &done, sizeof done);
}

inline void TaskHeader::free_frame(void* frame, std::size_t n) {
  unsigned char* block = static_cast<unsigned char*>(frame) - kTaskPrefix;
  std::uintptr_t flags = 0;
  std::memcpy(&flags, block + offsetof(TaskHeader, all_next_bits), sizeof flags);
  if ((flags & kDone) == 0) {  // a reap: the header outlives the frame (finish or its owner frees the block)
    std::memcpy(frame, &n, sizeof n);
    return;
  }
  FrameArena::owner_of(block).free(block, kTaskPrefix + n);
}

}  // namespace weft
