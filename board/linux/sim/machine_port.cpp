// The machine port (framework/machine/port.hpp) on the simulated board: every call acts on World::current().
#include <algorithm>
#include <cstring>

#include "machine/port.hpp"
#include "world.hpp"

namespace weft::machine::port {
namespace {
sim::World& world() {
  return sim::World::current();
}
}  // namespace

void pin_configure(int gpio, PinMode mode, Pull pull, int initial) {
  world().pads().configure(gpio, mode, pull, initial);
}
int pin_read(int gpio) {
  return world().pads().read(gpio);
}
void pin_write(int gpio, int level) {
  world().pads().write(gpio, level);
}
void pin_irq_enable(int gpio, Edge edge) {
  world().pads().irq_enable(gpio, edge);
}
void pin_irq_disable(int gpio) {
  world().pads().irq_disable(gpio);
}

void pwm_set_freq(int hz) {
  world().pads().pwm_set_freq(hz);
}
int pwm_freq() {
  return world().pads().pwm_freq();
}
void pwm_set_duty(int gpio, int duty) {
  world().pads().pwm_set_duty(gpio, duty);
}
int pwm_duty(int gpio) {
  return world().pads().pwm_duty(gpio);
}
void pwm_stop(int gpio) {
  world().pads().pwm_stop(gpio);
}

int adc_read() {
  return world().pads().adc();
}

ResetCause reset_cause() {
  return world().reset_cause();
}
void power_down(PowerDown kind, Micros duration) {
  world().power_down(kind, duration);
}

void rtc_memory_read(std::size_t offset, std::uint8_t* out, std::size_t n) {
  auto& rtc = world().rtc();
  if (offset >= rtc.size()) return;
  std::memcpy(out, rtc.data() + offset, std::min(n, rtc.size() - offset));
}

void rtc_memory_write(std::size_t offset, const std::uint8_t* data, std::size_t n) {
  auto& rtc = world().rtc();
  if (offset >= rtc.size()) return;
  std::memcpy(rtc.data() + offset, data, std::min(n, rtc.size() - offset));
}

void watchdog_start(Micros timeout) {
  world().watchdog_start(timeout);
}
void watchdog_feed() {
  world().watchdog_feed();
}

}  // namespace weft::machine::port
