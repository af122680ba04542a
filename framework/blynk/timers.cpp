#include "timers.hpp"

#include "core/log.hpp"

namespace weft::blynk {

Ticker::Ticker(Callback callback, int divider, Loop& loop) : timer_(callback, loop), divider_(divider) {
  (void)start();
}

Status Ticker::start() {
  if (divider_ < 1) {
    WEFT_LOG_ERROR(
        "Blynk: Ticker divider %d: use 1 or more (200 / divider ticks per second; pblynk's default 40)",
        divider_);
    return Errc::invalid_argument;
  }
  return timer_.start_every(period_of(divider_));
}

Status Ticker::set_divider(int divider) {
  const int old = divider_;
  divider_ = divider;
  if (Status s = start(); !s) {
    divider_ = old;
    return s;
  }
  return {};
}

Result<int> TimerGroupBase::add(Micros interval, Callback callback, RunOnce once, Initially initially) {
  if (interval <= 0) {
    WEFT_LOG_ERROR("Blynk: timer interval %lld us: it must be positive", static_cast<long long>(interval));
    return Errc::invalid_argument;
  }
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& s = slots_[i];
    if (s.timer) continue;
    s.timer.emplace(callback, loop_);
    s.interval = interval;
    s.run_once = once == RunOnce::yes;
    if (initially == Initially::stopped) return static_cast<int>(i);
    if (Status st = arm(s); !st) {
      s.timer.reset();
      return st.error();
    }
    return static_cast<int>(i);
  }
  WEFT_LOG_ERROR("Blynk: the timer group is full (%u timers): raise its size",
                 static_cast<unsigned>(slots_.size()));
  return Errc::no_memory;
}

TimerGroupBase::Slot* TimerGroupBase::slot(int id, const char* what) {
  if (id >= 0 && static_cast<std::size_t>(id) < slots_.size() && slots_[static_cast<std::size_t>(id)].timer) {
    return &slots_[static_cast<std::size_t>(id)];
  }
  WEFT_LOG_ERROR("Blynk: timer %s(%d): no such timer", what, id);
  return nullptr;
}

Status TimerGroupBase::arm(Slot& s) {
  return s.run_once ? s.timer->start_once(s.interval) : s.timer->start_every(s.interval);
}

Status TimerGroupBase::start(int id) {
  Slot* s = slot(id, "start");
  if (s == nullptr) return Errc::invalid_argument;
  return arm(*s);
}

Status TimerGroupBase::stop(int id) {
  Slot* s = slot(id, "stop");
  if (s == nullptr) return Errc::invalid_argument;
  s->timer->stop();
  return {};
}

Status TimerGroupBase::remove(int id) {
  Slot* s = slot(id, "remove");
  if (s == nullptr) return Errc::invalid_argument;
  s->timer.reset();
  return {};
}

bool TimerGroupBase::is_stopped(int id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= slots_.size()) return true;
  const Slot& s = slots_[static_cast<std::size_t>(id)];
  return !s.timer || !s.timer->active();
}

std::size_t TimerGroupBase::size() const {
  std::size_t n = 0;
  for (const Slot& s : slots_)
    n += s.timer ? 1 : 0;
  return n;
}

}  // namespace weft::blynk
