#include "esp8266/nonos_clock.hpp"

#include "core/iram.hpp"
#include "esp8266/fatal.hpp"
#include "esp8266/sdk.hpp"

namespace weft::esp8266 {
namespace {

NonosClock* g_clock = nullptr;
constexpr std::uint8_t kQueueLength = 4;  // one event is ever queued (wake() merges); room for the app's own
os_event_t g_queue[kQueueLength];

os_timer_t& as_timer(unsigned char* storage) {
  return *reinterpret_cast<os_timer_t*>(storage);
}

}  // namespace

static_assert(sizeof(os_timer_t) <= 32, "NonosClock::timer_ must hold an os_timer_t");

NonosClock::NonosClock(MainContext& main) : main_(main) {
  clock_.reset(system_get_time());
}

NonosClock* board_clock() {
  return g_clock;
}

void NonosClock::start() {
  g_clock = this;
  if (!system_os_task(reinterpret_cast<os_task_t>(&NonosClock::on_task_event), kTaskPriority, g_queue,
                      kQueueLength))
    fatal("NonosClock: system_os_task(priority %u) failed: the priority is taken by other code",
          static_cast<unsigned>(kTaskPriority));
  os_timer_disarm(&as_timer(timer_));
  os_timer_setfn(&as_timer(timer_), reinterpret_cast<os_timer_func_t*>(&NonosClock::on_timer), this);
}

Micros NonosClock::now() {
  return static_cast<Micros>(clock_.extend(system_get_time()));
}

void NonosClock::wait_until(Micros deadline) {
  const Micros t = now();
  if (deadline <= t) return;
  // Armed even for kForever: the clock must be sampled before system_get_time() wraps.
  const Micros step = deadline - t < kMaxIdleStep ? deadline - t : kMaxIdleStep;
  os_timer_arm_us(&as_timer(timer_), static_cast<std::uint32_t>(step), false);
  timer_armed_ = true;
  ++stats_.idle_waits;
  main_.suspend();
  if (timer_armed_) {
    os_timer_disarm(&as_timer(timer_));
    timer_armed_ = false;
  }
  run_deferred();
}

void NonosClock::poll_events() {
  ++stats_.busy_yields;
  wake();
  main_.suspend();
  run_deferred();
}

void NonosClock::defer(void (*fn)()) {
  for (auto& slot : deferred_) {
    if (slot == fn) return;
    if (slot == nullptr) {
      slot = fn;
      wake();
      return;
    }
  }
  fatal("NonosClock::defer: more than %d SDK callbacks pending", kMaxDeferred);
}

void NonosClock::run_deferred() {
  for (auto& slot : deferred_) {
    void (*fn)() = slot;
    if (fn == nullptr) break;
    slot = nullptr;
    fn();
  }
}

// Any context (a GPIO interrupt included): IRAM, and no read-modify-write the loop could interleave with
// harmfully: at worst two events are posted, and the second resume finds main() already running or finds
// nothing to do.
WEFT_IRAM void NonosClock::wake() {
  if (event_posted_) return;
  event_posted_ = true;
  ++stats_.events_posted;
  if (!system_os_post(kTaskPriority, 0, 0)) event_posted_ = false;  // queue full: an event is pending anyway
}

void NonosClock::on_task_event(void* /*event*/) {
  NonosClock* d = g_clock;
  d->event_posted_ = false;
  d->main_.resume();
}

void NonosClock::on_timer(void* arg) {
  auto* d = static_cast<NonosClock*>(arg);
  d->timer_armed_ = false;
  ++d->stats_.timer_wakeups;
  d->main_.resume();
}

}  // namespace weft::esp8266
