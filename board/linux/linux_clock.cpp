#include "linux_clock.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "core/log.hpp"

namespace weft {

namespace linux_board {
namespace {
// Cookies that tell our own fds from watched ones in epoll events.
int g_timer_cookie;
int g_wake_cookie;

Micros monotonic_us() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<Micros>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

[[noreturn]] void fatal(const char* what) {
  log_message(LogLevel::error, "linux board: %s failed: %s", what, std::strerror(errno));
  __builtin_trap();
}
}  // namespace

LinuxClock::LinuxClock() : boot_(monotonic_us()) {
  // Timers are the loop's business: ask the kernel not to coalesce our wake-ups.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_ < 0 || timer_ < 0 || wake_ < 0) fatal("creating epoll/timerfd/eventfd");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &g_timer_cookie;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &ev) != 0) fatal("epoll_ctl(timerfd)");
  ev.data.ptr = &g_wake_cookie;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev) != 0) fatal("epoll_ctl(eventfd)");
}

LinuxClock::~LinuxClock() {
  close(wake_);
  close(timer_);
  close(epoll_);
}

// Time 0 is the clock's creation: the simulated device boots with the process.
Micros LinuxClock::now() {
  return monotonic_us() - boot_;
}

void LinuxClock::arm(Micros deadline) {
  if (deadline == armed_) return;  // the common case: the earliest deadline did not change
  armed_ = deadline;
  itimerspec spec{};
  if (deadline != kForever) {
    Micros at = deadline + boot_;
    spec.it_value.tv_sec = static_cast<time_t>(at / 1000000);
    spec.it_value.tv_nsec = static_cast<long>(at % 1000000) * 1000;
    if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
  }
  timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void LinuxClock::wait_until(Micros deadline) {
  arm(deadline);
  dispatch(-1);
}

void LinuxClock::poll_events() {
  dispatch(0);
}

void LinuxClock::dispatch(int timeout_ms) {
  epoll_event events[32];
  int n = epoll_wait(epoll_, events, 32, timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return;
    fatal("epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    void* p = events[i].data.ptr;
    if (p == &g_timer_cookie) {
      std::uint64_t expirations = 0;
      if (read(timer_, &expirations, sizeof expirations) < 0 && errno != EAGAIN) fatal("read(timerfd)");
      armed_ = kForever;  // a fired one-shot timerfd is disarmed
    } else if (p == &g_wake_cookie) {
      std::uint64_t count = 0;
      if (read(wake_, &count, sizeof count) < 0 && errno != EAGAIN) fatal("read(eventfd)");
    } else {
      auto* w = static_cast<FdWatch*>(p);
      w->on_ready(*w, events[i].events);
    }
  }
}

void LinuxClock::wake() {
  std::uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the loop will wake anyway.
  ssize_t r = write(wake_, &one, sizeof one);
  (void)r;
}

Status LinuxClock::watch(FdWatch& w) {
  epoll_event ev{};
  ev.events = w.events;
  ev.data.ptr = &w;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, w.fd, &ev) != 0) {
    log_message(LogLevel::error, "linux board: watching fd %d: %s", w.fd, std::strerror(errno));
    return Errc::io_error;
  }
  w.registered = true;
  ++watched_;
  return {};
}

Status LinuxClock::rewatch(FdWatch& w, std::uint32_t events) {
  w.events = events;
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = &w;
  if (epoll_ctl(epoll_, EPOLL_CTL_MOD, w.fd, &ev) != 0) {
    log_message(LogLevel::error, "linux board: re-watching fd %d: %s", w.fd, std::strerror(errno));
    return Errc::io_error;
  }
  return {};
}

void LinuxClock::unwatch(FdWatch& w) {
  if (!w.registered) return;
  epoll_ctl(epoll_, EPOLL_CTL_DEL, w.fd, nullptr);
  w.registered = false;
  --watched_;
}

LinuxClock& linux_clock() {
  static LinuxClock clock;
  return clock;
}

}  // namespace linux_board
}  // namespace weft
