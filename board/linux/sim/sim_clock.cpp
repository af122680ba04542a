#include "sim_clock.hpp"

#include <algorithm>

#include "control_channel.hpp"
#include "core/loop.hpp"
#include "linux/linux_clock.hpp"

namespace weft::sim {

SimClock::SimClock(World& world) : world_(world) {
  world_.boot();
}

void SimClock::wake() {
  woken_.store(true, std::memory_order_release);
  linux_board::linux_clock().wake();  // interrupts a blocking wait
}

bool SimClock::has_pending_io() const {
  linux_board::LinuxClock& lin = linux_board::linux_clock();
  if (world_.clock() == ClockMode::real) return lin.has_pending_io();
  ControlChannel* c = world_.control();
  return world_.next_event_time() != kForever || lin.has_pending_io() ||
         (c != nullptr && (c->has_clients() || world_.horizon() != kForever));
}

void SimClock::wait_until(Micros deadline) {
  Micros target = deadline == kForever ? kForever : deadline_after(world_.boot_time(), deadline);
  target = std::min(target, world_.next_event_time());
  ControlChannel* c = world_.control();
  if (world_.clock() == ClockMode::real) {
    linux_board::LinuxClock& lin = linux_board::linux_clock();
    if (c != nullptr && !c->watch().registered) (void)lin.watch(c->watch());
    lin.wait_until(world_.to_linux_time(target));
  } else {
    wait_virtual(target);
  }
  if (Loop* loop = Loop::current_or_null()) loop->refresh_now();  // log lines of the events show their time
  world_.run_due();
  if (c != nullptr && world_.control() == c) c->after_wait();
}

void SimClock::poll_events() {
  linux_board::linux_clock().poll_events();
  world_.run_due();
}

void SimClock::wait_virtual(Micros target) {
  ControlChannel* c = world_.control();
  bool woken = woken_.exchange(false, std::memory_order_acq_rel);
  bool served = c != nullptr && c->poll();
  if (woken || served) return;  // let the loop see what happened before time moves
  Micros horizon = world_.horizon();
  if (horizon != kForever && world_.now() >= horizon) {
    block_real(kForever, false);  // time is held: wait for the control client
    return;
  }
  target = std::min(target, horizon);
  if (linux_board::linux_clock().has_pending_io() || target == kForever) {
    block_real(target, true);
    return;
  }
  world_.advance_to(target);
}

// Waits in the LinuxClock's epoll (sockets, the control channel, wake()) for at most the real-time
// equivalent of `target`; with `advance`, virtual time moves by the real time that passed.
void SimClock::block_real(Micros target, bool advance) {
  linux_board::LinuxClock& lin = linux_board::linux_clock();
  ControlChannel* c = world_.control();
  bool temporary = c != nullptr && !c->watch().registered && lin.watch(c->watch()).ok();
  Micros start = lin.now();
  Micros until = !advance || target == kForever ? kForever : start + (target - world_.now());
  lin.wait_until(until);
  if (temporary) lin.unwatch(c->watch());
  if (advance) world_.advance_to(std::min(target, world_.now() + (lin.now() - start)));
}

Status SimClock::watch(linux_board::FdWatch& w) {
  return linux_board::linux_clock().watch(w);
}
Status SimClock::rewatch(linux_board::FdWatch& w, std::uint32_t events) {
  return linux_board::linux_clock().rewatch(w, events);
}
void SimClock::unwatch(linux_board::FdWatch& w) {
  linux_board::linux_clock().unwatch(w);
}

}  // namespace weft::sim
