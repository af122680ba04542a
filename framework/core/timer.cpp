#include "timer.hpp"

#include "log.hpp"

namespace weft {

Timer::Timer(Callback callback, Loop& loop) : TimerNode(&expire), callback_(callback), loop_(loop) {}

namespace {
bool valid_delay(Micros d, bool allow_zero, const char* what) {
  if ((allow_zero ? d >= 0 : d > 0) && d <= kMaxDuration) return true;
  log_message(LogLevel::error, "Timer::%s(%lld us): out of range; timer not armed", what,
              static_cast<long long>(d));
  return false;
}
}  // namespace

Status Timer::start_once(Micros delay) {
  if (!valid_delay(delay, true, "start_once")) return Errc::invalid_argument;
  period_ = 0;
  Micros now = loop_.now_for_deadline();
  loop_.timers().insert(*this, now + delay);
  return {};
}

Status Timer::start_every(Micros period, CatchUp policy) {
  if (!valid_delay(period, false, "start_every")) return Errc::invalid_argument;
  period_ = period;
  policy_ = policy;
  Micros now = loop_.now_for_deadline();
  loop_.timers().insert(*this, now + period);
  return {};
}

void Timer::stop() {
  loop_.timers().remove(*this);
}

void Timer::expire(TimerNode& n) {
  auto& t = static_cast<Timer&>(n);
  ++t.fired_;
  if (t.period_ > 0) {
    // Re-arm before calling back, so the callback may stop() or re-start it.
    t.loop_.timers().insert(t, next_tick(t.deadline(), t.loop_.now(), t.period_, t.policy_, t.missed_));
  }
  t.callback_();
}

}  // namespace weft
