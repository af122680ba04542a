// Timer: calls a function later or periodically, for code that is not a coroutine (uasyncio's call_later,
// blynktimer's set_interval/set_timeout). The callback runs in loop context between tasks: keep it short,
// never block; it may set Events, put to Queues, spawn tasks, and (re)arm or stop timers, including itself.
//
//   weft::Timer report{[&] { blynk.virtual_write(5, uptime()); }};
//   report.start_every(weft::sec(2));       // drift-free, CatchUp::skip by default
//   report.start_once(weft::ms(500));       // or once
//   report.stop();
//
// The Timer object owns its timer node: it must outlive its arming (its destructor disarms it).
// Cost: start O(1), fire O(log n). No allocation.
#pragma once
#include <cstdint>

#include "callback.hpp"
#include "periodic.hpp"
#include "timer_heap.hpp"

namespace weft {

class Timer : TimerNode {
 public:
  explicit Timer(Callback callback, Loop& loop = Loop::current());
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Calls back once, `delay` from now. Errc::invalid_argument (logged, not armed) for a negative or absurd delay.
  Status start_once(Micros delay);
  // Calls back every `period` (> 0), first one period from now.
  Status start_every(Micros period, CatchUp policy = CatchUp::skip);
  void stop();

  [[nodiscard]] bool active() const { return armed(); }
  [[nodiscard]] bool periodic() const { return period_ > 0; }
  [[nodiscard]] std::uint32_t fired() const { return fired_; }
  [[nodiscard]] std::uint32_t missed() const { return missed_; }
  void set_callback(Callback callback) { callback_ = callback; }

 private:
  static void expire(TimerNode& n);
  Callback callback_;
  Loop& loop_;
  Micros period_ = 0;
  CatchUp policy_ = CatchUp::skip;
  std::uint32_t fired_ = 0;
  std::uint32_t missed_ = 0;
};

}  // namespace weft
