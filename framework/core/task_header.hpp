// TaskHeader: the scheduler's bookkeeping for one running task (a spawned Task, or a child of gather/race).
// It is separate from the coroutine frames: nested Tasks awaited inline carry no scheduler state at all, only
// their continuation. Spawned tasks take their header from the frame arena; gather/race children keep theirs
// inside the awaiter.
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
#pragma once
#include <coroutine>
#include <cstdint>

#include "cpu_ticks.hpp"
#include "errc.hpp"
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
  enum Flag : std::uint8_t {
    kCancelRequested = 1,
    kCancelDelivered = 2,  // the task has seen Errc::cancelled once
    kHandleAlive = 4,  // a JoinHandle still refers to this header (keeps the finished frame for the result)
    kArenaHeader = 8,  // header allocated from the frame arena (spawned task)
    // The two that end a slice are the top bits: the switch tests both with one compare (ends_slice).
    kReap = 64,  // destroy the frames when the slice ends
    kDone = 128,
  };

  TaskHeader* next = nullptr;      // ready list; nullptr when not in it
  TaskHeader* all_prev = nullptr;  // the loop's list of live tasks (stats, shutdown)
  TaskHeader* all_next = nullptr;
  std::coroutine_handle<> resume_point;  // innermost suspended coroutine of the task
  std::coroutine_handle<> root;          // outermost frame
  WaitNode* waiting = nullptr;           // the wait it is suspended in; nullptr when ready or running
  WaitNode* joiner = nullptr;            // fired when the task ends
  std::uint8_t flags = 0;
  Errc outcome = Errc::ok;  // Errc::cancelled when reaped
#if WEFT_TASK_STATS
  std::uint32_t runs = 0;
  const char* name = "task";
  std::uint64_t total_ticks = 0;  // SliceClock ticks (slice_clock.hpp), converted when read
  Ticks max_slice_ticks = 0;
#endif

  [[nodiscard]] bool has(Flag f) const {
    return (flags & f) != 0;
  }
  [[nodiscard]] bool queued() const {
    return next != nullptr;
  }
  [[nodiscard]] bool ends_slice() const {
    return flags >= kReap;
  }  // kDone or kReap
  [[nodiscard]] const char* task_name() const {
#if WEFT_TASK_STATS
    return name;
#else
    return "";
#endif
  }
};

}  // namespace weft
