#include "pin_irq.hpp"

#include "core/iram.hpp"
#include "core/log.hpp"
#include "gpio.hpp"
#include "port.hpp"

namespace weft::machine {
namespace {
// Read from interrupt context: one atomic pointer per GPIO, written only with the interrupt disabled.
std::atomic<PinIrq*> g_watchers[kGpioCount];
}  // namespace

Status PinIrq::enable(const Pin& pin, Edge edge) {
  int gpio = pin.gpio();
  if (gpio == 16) {
    log_message(LogLevel::error,
                "PinIrq: GPIO16 (D0) has no interrupts on the ESP8266; use GPIO0..5 or 12..15");
    return Errc::invalid_argument;
  }
  PinIrq* other = g_watchers[gpio].load(std::memory_order_acquire);
  if (other != nullptr && other != this) {
    log_message(LogLevel::error, "PinIrq: GPIO%d already has a PinIrq; one per pin (disable the other first)",
                gpio);
    return Errc::busy;
  }
  disable();
  gpio_ = gpio;
  g_watchers[gpio].store(this, std::memory_order_release);
  default_machine_port().pin_irq_enable(gpio, edge);
  return {};
}

void PinIrq::disable() {
  if (gpio_ < 0) return;
  default_machine_port().pin_irq_disable(gpio_);  // first, so no handler runs with a stale pointer
  g_watchers[gpio_].store(nullptr, std::memory_order_release);
  gpio_ = -1;
  flag_.clear();
  count_.store(0, std::memory_order_relaxed);
}

PinIrq::Awaiter PinIrq::wait() {
  Errc early = Errc::ok;
  if (gpio_ < 0) {
    log_message(LogLevel::error, "PinIrq::wait: not enabled (call enable(pin, edge) first)");
    early = Errc::invalid_argument;
  }
  return Awaiter{flag_.wait(), early};
}

// In IRAM: interrupt handlers call it, and on the chip flash code cannot run while the SDK writes the flash.
WEFT_IRAM void PinIrq::raise(int gpio) {
  if (gpio < 0 || gpio >= kGpioCount) return;
  PinIrq* w = g_watchers[gpio].load(std::memory_order_acquire);
  if (w == nullptr) return;
  w->count_.fetch_add(1, std::memory_order_relaxed);
  w->flag_.set();
}

}  // namespace weft::machine
