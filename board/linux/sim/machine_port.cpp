// The machine port (framework/machine/port.hpp) on the simulated board: every call acts on World::current().
#include <algorithm>
#include <cstring>

#include "machine/port.hpp"
#include "world.hpp"

namespace weft::machine {
namespace {
sim::World& world() {
  return sim::World::current();
}

class SimMachinePort final : public MachinePort {
 public:
  void pin_configure(int gpio, PinMode mode, Pull pull, int initial) override {
    world().pads().configure(gpio, mode, pull, initial);
  }
  int pin_read(int gpio) override { return world().pads().read(gpio); }
  void pin_write(int gpio, int level) override { world().pads().write(gpio, level); }
  void pin_irq_enable(int gpio, Edge edge) override { world().pads().irq_enable(gpio, edge); }
  void pin_irq_disable(int gpio) override { world().pads().irq_disable(gpio); }

  void pwm_set_freq(int hz) override { world().pads().pwm_set_freq(hz); }
  int pwm_freq() override { return world().pads().pwm_freq(); }
  void pwm_set_duty(int gpio, int duty) override { world().pads().pwm_set_duty(gpio, duty); }
  int pwm_duty(int gpio) override { return world().pads().pwm_duty(gpio); }
  void pwm_stop(int gpio) override { world().pads().pwm_stop(gpio); }

  int adc_read() override { return world().pads().adc(); }

  ResetCause reset_cause() override { return world().reset_cause(); }
  void power_down(PowerDown kind, Micros duration) override { world().power_down(kind, duration); }

  void rtc_memory_read(std::size_t offset, std::uint8_t* out, std::size_t n) override {
    auto& rtc = world().rtc();
    if (offset >= rtc.size()) return;
    std::memcpy(out, rtc.data() + offset, std::min(n, rtc.size() - offset));
  }

  void rtc_memory_write(std::size_t offset, const std::uint8_t* data, std::size_t n) override {
    auto& rtc = world().rtc();
    if (offset >= rtc.size()) return;
    std::memcpy(rtc.data() + offset, data, std::min(n, rtc.size() - offset));
  }

  void watchdog_start(Micros timeout) override { world().watchdog_start(timeout); }
  void watchdog_feed() override { world().watchdog_feed(); }
};

}  // namespace

MachinePort& default_machine_port() {
  static SimMachinePort port;
  return port;
}

}  // namespace weft::machine
