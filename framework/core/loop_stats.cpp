// The Loop's observability: per-task slice timing (WEFT_TASK_STATS), the hog warning, the stats log.
#include "log.hpp"
#include "loop.hpp"

namespace weft {

#if WEFT_TASK_STATS
void Loop::hog(TaskHeader& t, Ticks slice) {
  if (!slice_clock_.calibrated()) {  // the loop's first millisecond: learn the rate, then judge the slice
    slice_clock_.saw_clock(clock_.now());
    if (!slice_clock_.calibrated() || slice <= slice_clock_.hog_ticks()) return;
  }
  ++stats_.hog_warnings;
  log_message(LogLevel::warning, "task \"%s\" ran %lu us without yielding (hog threshold %lu us)", t.name,
              static_cast<unsigned long>(slice_clock_.to_us(slice)),
              static_cast<unsigned long>(slice_clock_.hog_threshold()));
}

TaskStats Loop::task_stats(const TaskHeader& t) const {
  TaskStats s;
  s.runs = t.runs;
  s.total_us = slice_clock_.to_us(t.total_ticks);
  s.max_slice_us = static_cast<std::uint32_t>(slice_clock_.to_us(t.max_slice_ticks));
  return s;
}
#else
TaskStats Loop::task_stats(const TaskHeader&) const {
  return {};
}
#endif

void Loop::log_stats() const {
  LoopStats st = stats();
  log_message(LogLevel::info,
              "loop: %lu passes, %lu switches, %lu timers, max lag %ld us, %u tasks, %u hog warnings",
              static_cast<unsigned long>(st.passes), static_cast<unsigned long>(st.switches),
              static_cast<unsigned long>(st.timers_fired), static_cast<long>(st.max_lag_us), st.live_tasks,
              st.hog_warnings);
  for_each_task([this](const TaskHeader& t) {
    TaskStats s = task_stats(t);
    log_message(LogLevel::info, "  task %-16s runs %lu  total %ld us  max slice %lu us", t.task_name(),
                static_cast<unsigned long>(s.runs), static_cast<long>(s.total_us),
                static_cast<unsigned long>(s.max_slice_us));
  });
}

}  // namespace weft
