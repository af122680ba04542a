#include "periodic.hpp"

namespace weft {

Micros next_tick(Micros due, Micros now, Micros period, CatchUp policy, std::uint32_t& missed) {
  Micros next = due + period;
  if (next > now || policy == CatchUp::burst) return next;  // on time, or burst: due at once, every tick
  // Whole periods since `due` (>= 1): skip drops them all but the one delivered now; delay shifts the phase.
  // Unsigned: both are positive, and the division then needs no sign handling.
  auto behind =
      static_cast<Micros>(static_cast<std::uint64_t>(now - due) / static_cast<std::uint64_t>(period));
  missed += static_cast<std::uint32_t>(behind);
  return (policy == CatchUp::delay ? now : due + behind * period) + period;
}

namespace {
Micros checked_period(Micros p) {
  if (p > 0) return p;
  log_message(LogLevel::error, "periodic timer with period %lld us: must be > 0; using 1 us",
              static_cast<long long>(p));
  return 1;
}
}  // namespace

Periodic::Periodic(Micros period, CatchUp policy)
    : period_(checked_period(period)), due_(0), policy_(policy) {}

Periodic::Periodic(Micros period, CatchUp policy, Micros first_deadline)
    : period_(checked_period(period)), due_(first_deadline), policy_(policy), started_(true) {}

void Periodic::reset() {
  started_ = false;
}

SleepAwaiter Periodic::next() {
  Loop& loop = Loop::current();
  Micros now = loop.now_for_deadline();  // a tick woken by its timer: this pass read the clock
  if (!started_) {
    started_ = true;
    due_ = now + period_;
  } else if (due_ <= now) {
    // The previous tick was delivered (we are past it): schedule the following one.
    due_ = next_tick(due_, now, period_, policy_, missed_);
  }
  return sleep_until(due_);
}

}  // namespace weft
