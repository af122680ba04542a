// Timers of the seeds' Blynk libraries, mapped onto core timers (core/timer.hpp): callbacks in loop context
// between tasks, drift-free, no heap. (In weft a periodic job is usually a task with a Periodic; these exist
// so that code written for pblynk and blynktimer ports line by line.)
//
//   Ticker (pblynk's b.Ticker(cb, divider, state)): ONE periodic callback, 200 / divider ticks per second
//   (divider 40 = 5 Hz = every 200 ms). State: capture a pointer to it. Unlike pblynk, the ticker does not
//   stall the connection (the session is its own task), but a slow callback still delays every other task.
//
//     int count = 0;
//     weft::blynk::Ticker ticker([&count] { ++count; }, 40);    // ticking from now on
//     ticker.stop();                                             // pblynk's b.Ticker(None)
//
//   TimerGroup<N> (blynktimer's Timer): up to N timers registered with an interval, periodic or run once,
//   possibly registered stopped, each stopped and started by id. No run() to call: the loop runs them.
//
//     weft::blynk::TimerGroup<4> timers;
//     weft::Result<int> id = timers.add(weft::sec(2), [&] { blynk.virtual_write(5, uptime()); });
//     auto once = timers.add(weft::sec(10), [] { ... }, weft::blynk::RunOnce::yes);  // Result<int>: the id is
//                                        // how a timer is stopped or removed, and a full group must be seen
//     timers.stop(*id);  timers.start(*id);  timers.is_stopped(*id);
//
// Both need the Loop to exist (they arm its timers): construct them after the Loop. Errors are returned and
// logged: a period that is not positive, a full group (raise N), an id that is not registered.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/callback.hpp"
#include "core/loop.hpp"
#include "core/result.hpp"
#include "core/timer.hpp"

namespace weft::blynk {

class Ticker {
 public:
  static constexpr int kDefaultDivider = 40;
  // 200 / divider ticks per second: divider * 5 ms.
  [[nodiscard]] static constexpr Micros period_of(int divider) { return ms(5) * divider; }

  // Starts ticking (first tick one period from now). A divider below 1 is logged and the ticker stays
  // stopped.
  explicit Ticker(Callback callback, int divider = kDefaultDivider, Loop& loop = Loop::current());

  Status start();
  void stop() { timer_.stop(); }
  // Changes the rate (restarts the period). Errc::invalid_argument for a divider below 1.
  Status set_divider(int divider);
  [[nodiscard]] int divider() const { return divider_; }
  [[nodiscard]] bool active() const { return timer_.active(); }
  [[nodiscard]] std::uint32_t ticks() const { return timer_.fired(); }

 private:
  Timer timer_;
  int divider_;
};

enum class RunOnce : bool { no = false, yes = true };
enum class Initially : bool { running = false, stopped = true };  // blynktimer's register(..., stopped=True)

class TimerGroupBase {
 public:
  struct Slot {
    std::optional<Timer> timer;
    Micros interval = 0;
    bool run_once = false;
  };

  // Registers a timer (first run one interval from now, or from start() if registered stopped); its id
  // (0..N-1). Errors: invalid_argument (interval <= 0), no_memory (the group is full).
  Result<int> add(Micros interval, Callback callback, RunOnce once = RunOnce::no,
                  Initially initially = Initially::running);
  // (Re)starts a timer: its next run is one interval from now; a run-once timer runs once more.
  // Errc::invalid_argument (logged) for an id that is not registered, here and below.
  Status start(int id);
  Status stop(int id);
  Status remove(int id);
  // True for a stopped timer, a run-once timer that has run, and an id that is not registered.
  [[nodiscard]] bool is_stopped(int id) const;
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t capacity() const { return slots_.size(); }

 protected:
  TimerGroupBase(std::span<Slot> slots, Loop& loop) : slots_(slots), loop_(loop) {}
  ~TimerGroupBase() = default;
  TimerGroupBase(const TimerGroupBase&) = delete;
  TimerGroupBase& operator=(const TimerGroupBase&) = delete;

 private:
  Slot* slot(int id, const char* what);
  Status arm(Slot& s);

  std::span<Slot> slots_;
  Loop& loop_;
};

namespace detail {
template <std::size_t N>
struct TimerGroupStorage {
  std::array<TimerGroupBase::Slot, N> slots{};
};
}  // namespace detail

template <std::size_t N>
class TimerGroup : private detail::TimerGroupStorage<N>, public TimerGroupBase {
 public:
  explicit TimerGroup(Loop& loop = Loop::current()) : TimerGroupBase(std::span<Slot>(this->slots), loop) {}
};

}  // namespace weft::blynk
