// The machine port on the ESP8266 (framework/machine/port.hpp): GPIO through the registers, edge interrupts
// through the SDK's GPIO interrupt, PWM in software on the FRC1 hardware timer, the ADC, reset cause, deep
// sleep and RTC memory through the SDK, and the app watchdog on an os_timer.
//
// PWM: every channel shares one period (1..1000 Hz). At the start of a period the timer interrupt raises the
// pins whose duty is above 0, then lowers them one group at a time, at their duty's share of the period
// (edges closer than kMinStepUs are merged). The loop builds the next schedule beside the running one and
// the interrupt switches at a period boundary, so a duty change never glitches a period. Duty 0 holds the
// pin low and 1023 holds it high, with no interrupts for them.
#include <cstring>

#include "core/iram.hpp"
#include "core/loop.hpp"
#include "esp8266/fatal.hpp"
#include "esp8266/registers.hpp"
#include "esp8266/sdk.hpp"
#include "machine/port.hpp"

extern "C" {
void gpio16_output_conf();
void gpio16_output_set(std::uint8_t value);
void gpio16_input_conf();
std::uint8_t gpio16_input_get();
void hw_timer_init(int source, std::uint8_t autoload);  // source 0: FRC1
void hw_timer_set_func(void (*fn)());
void hw_timer_arm(std::uint32_t us);
}

namespace weft::esp8266 {
namespace {

using machine::Edge;
using machine::MachinePort;
using machine::PinMode;
using machine::PowerDown;
using machine::Pull;
using machine::ResetCause;

constexpr int kGpio16 = 16;
constexpr int kPwmMaxDuty = 1023;
constexpr std::uint32_t kMinStepUs = 10;  // hw_timer_arm's shortest one-shot delay
constexpr int kMaxPwmChannels = 8;
constexpr std::uint8_t kRtcUserBlock = 64;  // the RTC memory's user area starts at block 64 (256 bytes in)

// One period's plan: raise `raise` at 0, then lower `lower[i]` after `delay[i]` microseconds.
struct PwmSchedule {
  std::uint32_t raise = 0;
  int steps = 0;
  std::uint32_t delay[kMaxPwmChannels + 1] = {};
  std::uint32_t lower[kMaxPwmChannels + 1] = {};  // the last step lowers nothing: the rest of the period
};

struct PwmState {
  int freq = 1000;
  int duty[17];  // per GPIO, -1 when PWM is not running on it
  PwmSchedule plan[2];
  volatile int active = 0;    // the plan the interrupt runs
  volatile int pending = -1;  // a plan the loop has written, taken at the next period
  int step = 0;               // the interrupt's position in the active plan
  bool timer_running = false;
} g_pwm;

WEFT_IRAM void gpio_isr(void*) {
  const std::uint32_t status = reg::gpio(reg::kGpioStatus);
  reg::gpio(reg::kGpioStatusClear) = status;
  for (int g = 0; g < 16; ++g)
    if ((status & (1u << g)) != 0) machine::PinIrq::raise(g);
}

WEFT_IRAM void pwm_isr() {
  PwmState& p = g_pwm;
  if (p.step == 0 && p.pending >= 0) {  // a period boundary: take the new plan
    p.active = p.pending;
    p.pending = -1;
  }
  const PwmSchedule& s = p.plan[p.active];
  if (p.step == 0) reg::gpio(reg::kGpioOutSet) = s.raise;
  if (s.steps == 0) {
    p.timer_running = false;
    return;
  }
  reg::gpio(reg::kGpioOutClear) = p.step == 0 ? 0 : s.lower[p.step - 1];
  hw_timer_arm(s.delay[p.step]);
  p.step = p.step + 1 == s.steps ? 0 : p.step + 1;
}

void os_watchdog_bite(void* arg) {
  fatal("watchdog: not fed for %u ms (machine::Watchdog)",
        static_cast<unsigned>(*static_cast<std::uint32_t*>(arg)));
}

class Esp8266MachinePort final : public MachinePort {
 public:
  Esp8266MachinePort() {
    for (int& d : g_pwm.duty)
      d = -1;
  }

  void pin_configure(int gpio, PinMode mode, Pull pull, int initial) override {
    if (gpio == kGpio16) {
      if (mode == PinMode::in) {
        gpio16_input_conf();
      } else {
        gpio16_output_set(static_cast<std::uint8_t>(initial));
        gpio16_output_conf();
      }
      return;
    }
    const std::uint32_t bit = 1u << gpio;
    volatile std::uint32_t& mux = reg::iomux(reg::kIomuxOffset[gpio]);
    std::uint32_t m = (mux & ~(reg::kIomuxFunctionMask | reg::kIomuxPullUp)) |
                      reg::iomux_function_bits(reg::kGpioFunction[gpio]);
    if (pull == Pull::up) m |= reg::kIomuxPullUp;
    mux = m;
    volatile std::uint32_t& pin = reg::gpio(reg::kGpioPin0 + 4u * static_cast<unsigned>(gpio));
    pin = mode == PinMode::open_drain ? (pin | reg::kPinOpenDrain) : (pin & ~reg::kPinOpenDrain);
    if (mode == PinMode::in) {
      reg::gpio(reg::kGpioEnableClear) = bit;
    } else {
      reg::gpio(initial != 0 ? reg::kGpioOutSet : reg::kGpioOutClear) = bit;
      reg::gpio(reg::kGpioEnableSet) = bit;
    }
  }

  int pin_read(int gpio) override {
    if (gpio == kGpio16) return gpio16_input_get() & 1;
    return static_cast<int>((reg::gpio(reg::kGpioIn) >> gpio) & 1u);
  }

  void pin_write(int gpio, int level) override {
    if (gpio == kGpio16) {
      gpio16_output_set(static_cast<std::uint8_t>(level));
      return;
    }
    reg::gpio(level != 0 ? reg::kGpioOutSet : reg::kGpioOutClear) = 1u << gpio;
  }

  // GPIO16 has no edge interrupt: framework/machine refuses it before calling here.
  void pin_irq_enable(int gpio, Edge edge) override {
    if (!isr_attached_) {
      ETS_GPIO_INTR_ATTACH(reinterpret_cast<ets_isr_t>(&gpio_isr), nullptr);
      ETS_GPIO_INTR_ENABLE();
      isr_attached_ = true;
    }
    set_int_type(gpio,
                 static_cast<std::uint32_t>(edge));  // rising 1, falling 2, both 3: the register's codes
  }

  void pin_irq_disable(int gpio) override {
    if (gpio != kGpio16) set_int_type(gpio, 0);
  }

  void pwm_set_freq(int hz) override {
    g_pwm.freq = hz;
    publish_pwm();
  }
  int pwm_freq() override { return g_pwm.freq; }

  void pwm_set_duty(int gpio, int duty) override {
    if (g_pwm.duty[gpio] < 0) {
      int running = 0;
      for (int d : g_pwm.duty)
        running += d >= 0 ? 1 : 0;
      if (running == kMaxPwmChannels)
        fatal("PWM: more than %d channels at once; stop one first", kMaxPwmChannels);
      pin_configure(gpio, PinMode::out, Pull::none, 0);
    }
    g_pwm.duty[gpio] = duty;
    publish_pwm();
  }
  int pwm_duty(int gpio) override { return g_pwm.duty[gpio]; }

  void pwm_stop(int gpio) override {
    if (g_pwm.duty[gpio] < 0) return;
    g_pwm.duty[gpio] = -1;
    publish_pwm();
    pin_write(gpio, 0);
  }

  int adc_read() override {
    const int v = system_adc_read();
    return v > kPwmMaxDuty ? kPwmMaxDuty : v;
  }

  ResetCause reset_cause() override {
    const rst_info* info = system_get_rst_info();
    switch (info != nullptr ? info->reason : std::uint32_t{REASON_DEFAULT_RST}) {
      case REASON_WDT_RST:
      case REASON_SOFT_WDT_RST:
      case REASON_EXCEPTION_RST:
        return ResetCause::watchdog;
      case REASON_SOFT_RESTART:
        return ResetCause::soft;
      case REASON_DEEP_SLEEP_AWAKE:
        return ResetCause::deep_sleep;
      case REASON_EXT_SYS_RST:
        return ResetCause::hard;
      default:
        return ResetCause::power_on;
    }
  }

  void power_down(PowerDown kind, Micros duration) override {
    if (kind == PowerDown::reset) {
      system_restart();
      return;
    }
    // 0: until the RST pin (GPIO16 wired to RST wakes a timed sleep).
    system_deep_sleep(duration == kForever ? 0 : static_cast<std::uint64_t>(duration));
  }

  // The SDK reads and writes RTC memory in whole 4-byte blocks: partial words are read, merged, written.
  void rtc_memory_read(std::size_t offset, std::uint8_t* out, std::size_t n) override {
    for (std::size_t i = 0; i < n;) {
      const std::size_t at = offset + i;
      std::uint32_t word = 0;
      system_rtc_mem_read(static_cast<std::uint8_t>(kRtcUserBlock + at / 4), &word, 4);
      const std::size_t k = at % 4, take = 4 - k < n - i ? 4 - k : n - i;
      std::memcpy(out + i, reinterpret_cast<const std::uint8_t*>(&word) + k, take);
      i += take;
    }
  }
  void rtc_memory_write(std::size_t offset, const std::uint8_t* data, std::size_t n) override {
    for (std::size_t i = 0; i < n;) {
      const std::size_t at = offset + i;
      const auto block = static_cast<std::uint8_t>(kRtcUserBlock + at / 4);
      std::uint32_t word = 0;
      system_rtc_mem_read(block, &word, 4);
      const std::size_t k = at % 4, take = 4 - k < n - i ? 4 - k : n - i;
      std::memcpy(reinterpret_cast<std::uint8_t*>(&word) + k, data + i, take);
      system_rtc_mem_write(block, &word, 4);
      i += take;
    }
  }

  // The SDK feeds its own hardware and software watchdogs whenever the loop hands control back; this is
  // the app's watchdog (machine::Watchdog): not fed within `timeout`, the firmware restarts with one line.
  void watchdog_start(Micros timeout) override {
    watchdog_ms_ = static_cast<std::uint32_t>(timeout / 1000);
    os_timer_disarm(&watchdog_);
    os_timer_setfn(&watchdog_, &os_watchdog_bite, &watchdog_ms_);
    watchdog_feed();
  }
  void watchdog_feed() override {
    if (watchdog_ms_ != 0) os_timer_arm(&watchdog_, watchdog_ms_, false);
  }

 private:
  static void set_int_type(int gpio, std::uint32_t type) {
    volatile std::uint32_t& pin = reg::gpio(reg::kGpioPin0 + 4u * static_cast<unsigned>(gpio));
    pin = (pin & ~reg::kPinIntTypeMask) | (type << reg::kPinIntTypeShift);
    reg::gpio(reg::kGpioStatusClear) = 1u << gpio;
  }

  // Builds the schedule for the current duties into the plan the interrupt is not running, then hands it over.
  static void publish_pwm() {
    PwmState& p = g_pwm;
    ets_intr_lock();  // the interrupt must not take a half-written plan: withdraw the pending one first
    p.pending = -1;
    const int next = 1 - p.active;
    ets_intr_unlock();
    PwmSchedule& s = p.plan[next];
    s = PwmSchedule{};
    const std::uint32_t period = 1'000'000u / static_cast<std::uint32_t>(p.freq);
    std::uint32_t at[17];
    std::uint32_t always_high = 0, always_low = 0;
    for (int g = 0; g < 16; ++g) {
      const int d = p.duty[g];
      if (d < 0) continue;
      if (d == 0) {
        always_low |= 1u << g;
      } else if (d >= kPwmMaxDuty) {
        always_high |= 1u << g;
      } else {
        s.raise |= 1u << g;
        at[g] = static_cast<std::uint32_t>((static_cast<std::uint64_t>(period) * static_cast<unsigned>(d)) /
                                           1024u);
      }
    }
    std::uint32_t done = 0, now = 0;
    while (done != s.raise) {
      std::uint32_t first = UINT32_MAX;
      for (int g = 0; g < 16; ++g)
        if ((s.raise & ~done & (1u << g)) != 0 && at[g] < first) first = at[g];
      std::uint32_t group = 0;
      for (int g = 0; g < 16; ++g)
        if ((s.raise & ~done & (1u << g)) != 0 && at[g] < first + kMinStepUs) group |= 1u << g;
      std::uint32_t delay = first > now ? first - now : 0;
      if (delay < kMinStepUs) delay = kMinStepUs;
      s.delay[s.steps] = delay;
      s.lower[s.steps] = group;
      ++s.steps;
      now += delay;
      done |= group;
    }
    if (s.steps > 0) {  // the rest of the period, then the next raise
      s.delay[s.steps] = period > now + kMinStepUs ? period - now : kMinStepUs;
      s.lower[s.steps] = 0;
      ++s.steps;
    }
    if (always_high != 0) reg::gpio(reg::kGpioOutSet) = always_high;
    if (always_low != 0) reg::gpio(reg::kGpioOutClear) = always_low;
    p.pending = next;
    if (s.steps > 0 && !p.timer_running) {
      if (!p_timer_initialised_) {
        hw_timer_init(0, 0);
        hw_timer_set_func(&pwm_isr);
        p_timer_initialised_ = true;
      }
      p.timer_running = true;
      p.step = 0;
      hw_timer_arm(kMinStepUs);
    }
  }

  static inline bool p_timer_initialised_ = false;
  bool isr_attached_ = false;
  os_timer_t watchdog_{};
  std::uint32_t watchdog_ms_ = 0;
};

}  // namespace
}  // namespace weft::esp8266

namespace weft::machine {
MachinePort& default_machine_port() {
  static esp8266::Esp8266MachinePort port;
  return port;
}
}  // namespace weft::machine
