// Pads: the simulated ESP8266's GPIO pads, PWM channels and ADC, as the outside world sees them.
//
// A pad's level is decided, in this order, by: PWM (duty 0 reads low, 1023 high; in between it toggles and
// has no steady level); a push-pull output; an open-drain output driving low; what the outside drives
// (Drive::low / Drive::high, e.g. a button to GND); the pull resistor; otherwise 0 (a floating pin reads 0
// here, deterministically; on hardware it is undefined). Every level change of a pad raises its interrupt
// when one is enabled for that edge, and is reported to the World's observers.
//
// Device side (the machine port): configure/read/write/irq/pwm/adc, arguments already validated.
// Outside side (scenarios, the control channel, tests): drive/set_adc and the observations.
#pragma once
#include <cstdint>

#include "machine/gpio.hpp"
#include "machine/pin.hpp"
#include "machine/pin_irq.hpp"

namespace weft::sim {

class World;

enum class Drive : std::uint8_t { none, low, high };  // what the outside applies to a pad
[[nodiscard]] const char* to_string(Drive d);         // "float", "low", "high"

class Pads {
 public:
  // What a pad looks like from outside.
  struct View {
    bool configured = false;  // false: reset state (input, no pull)
    machine::PinMode mode = machine::PinMode::in;
    machine::Pull pull = machine::Pull::none;
    int out = 0;  // the output latch
    Drive drive = Drive::none;
    int duty = -1;  // PWM duty, -1 when PWM is off
    bool irq = false;
    int level = 0;  // the pad level (see above; a PWM pin in mid-duty reports 0)
  };

  explicit Pads(World& world) : world_(world) {}

  // --- device side ---
  void configure(int gpio, machine::PinMode mode, machine::Pull pull, int initial);
  [[nodiscard]] int read(int gpio) const { return valid(gpio) ? pads_[gpio].level : 0; }
  void write(int gpio, int level);
  void irq_enable(int gpio, machine::Edge edge);
  void irq_disable(int gpio);
  void pwm_set_freq(int hz);
  [[nodiscard]] int pwm_freq() const { return pwm_freq_; }
  void pwm_set_duty(int gpio, int duty);
  [[nodiscard]] int pwm_duty(int gpio) const { return valid(gpio) ? pads_[gpio].duty : -1; }
  void pwm_stop(int gpio);
  [[nodiscard]] int adc() const { return adc_; }

  // --- outside ---
  void drive(int gpio, Drive d);
  [[nodiscard]] Drive drive_of(int gpio) const { return valid(gpio) ? pads_[gpio].drive : Drive::none; }
  void set_adc(int value);  // 0..1023 (clamped)

  [[nodiscard]] View view(int gpio) const;
  [[nodiscard]] int level(int gpio) const { return read(gpio); }

  // The chip powers down or resets: every pad back to its reset state (input, no pull, no interrupt, no PWM).
  // What the outside drives and the ADC input stay.
  void power_off();

 private:
  struct Pad {
    bool configured = false;
    machine::PinMode mode = machine::PinMode::in;
    machine::Pull pull = machine::Pull::none;
    int out = 0;
    Drive drive = Drive::none;
    int duty = -1;
    bool irq = false;
    machine::Edge edge = machine::Edge::both;
    int level = 0;
  };
  static bool valid(int gpio) { return gpio >= 0 && gpio < machine::kGpioCount; }
  [[nodiscard]] int compute_level(const Pad& p) const;
  void update(int gpio);  // recomputes the level; interrupt + observers on a change
  void report_pwm(int gpio);

  World& world_;
  Pad pads_[machine::kGpioCount];
  int pwm_freq_ = 1000;
  int adc_ = 0;
};

}  // namespace weft::sim
