#include "pads.hpp"

#include "machine/pwm.hpp"
#include "world.hpp"

namespace weft::sim {

const char* to_string(Drive d) {
  switch (d) {
    case Drive::none:
      return "float";
    case Drive::low:
      return "low";
    case Drive::high:
      return "high";
  }
  return "?";
}

int Pads::compute_level(const Pad& p) const {
  if (p.duty >= 0) return p.duty >= machine::Pwm::kMaxDuty ? 1 : 0;
  if (p.configured && p.mode == machine::PinMode::out) return p.out;
  if (p.configured && p.mode == machine::PinMode::open_drain && p.out == 0) return 0;
  if (p.drive != Drive::none) return p.drive == Drive::high ? 1 : 0;
  if (p.pull == machine::Pull::up) return 1;
  return 0;  // pull-down, or floating
}

void Pads::update(int gpio) {
  Pad& p = pads_[gpio];
  int before = p.level;
  p.level = compute_level(p);
  if (p.level == before) return;
  if (p.irq && p.duty < 0) {
    bool rising = p.level == 1;
    auto mask = static_cast<unsigned>(p.edge);
    if ((rising && (mask & 1u) != 0) || (!rising && (mask & 2u) != 0)) machine::PinIrq::raise(gpio);
  }
  Change c;
  c.kind = Change::Kind::pin;
  c.gpio = gpio;
  c.level = p.level;
  world_.notify(c);
}

void Pads::report_pwm(int gpio) {
  Change c;
  c.kind = Change::Kind::pwm;
  c.gpio = gpio;
  c.duty = pads_[gpio].duty;
  c.freq = pwm_freq_;
  world_.notify(c);
}

void Pads::configure(int gpio, machine::PinMode mode, machine::Pull pull, int initial) {
  if (!valid(gpio)) return;
  Pad& p = pads_[gpio];
  bool had_pwm = p.duty >= 0;
  p.configured = true;
  p.mode = mode;
  p.pull = pull;
  p.out = initial;
  p.duty = -1;  // the pad goes back to the GPIO function
  if (had_pwm) report_pwm(gpio);
  update(gpio);
}

void Pads::write(int gpio, int level) {
  if (!valid(gpio)) return;
  pads_[gpio].out = level != 0 ? 1 : 0;
  update(gpio);
}

void Pads::irq_enable(int gpio, machine::Edge edge) {
  if (!valid(gpio)) return;
  pads_[gpio].irq = true;
  pads_[gpio].edge = edge;
}

void Pads::irq_disable(int gpio) {
  if (valid(gpio)) pads_[gpio].irq = false;
}

void Pads::pwm_set_freq(int hz) {
  if (hz == pwm_freq_) return;
  pwm_freq_ = hz;
  for (int g = 0; g < machine::kGpioCount; ++g) {
    if (pads_[g].duty >= 0) report_pwm(g);
  }
}

void Pads::pwm_set_duty(int gpio, int duty) {
  if (!valid(gpio)) return;
  Pad& p = pads_[gpio];
  if (p.duty == duty) return;
  p.duty = duty;
  report_pwm(gpio);
  update(gpio);
}

void Pads::pwm_stop(int gpio) {
  if (!valid(gpio) || pads_[gpio].duty < 0) return;
  Pad& p = pads_[gpio];
  p.duty = -1;
  p.configured = false;  // the pad floats as an input
  p.mode = machine::PinMode::in;
  p.pull = machine::Pull::none;
  report_pwm(gpio);
  update(gpio);
}

void Pads::drive(int gpio, Drive d) {
  if (!valid(gpio)) return;
  pads_[gpio].drive = d;
  update(gpio);
}

void Pads::set_adc(int value) {
  adc_ = value < 0 ? 0 : value > 1023 ? 1023 : value;
}

Pads::View Pads::view(int gpio) const {
  View v;
  if (!valid(gpio)) return v;
  const Pad& p = pads_[gpio];
  v.configured = p.configured;
  v.mode = p.mode;
  v.pull = p.pull;
  v.out = p.out;
  v.drive = p.drive;
  v.duty = p.duty;
  v.irq = p.irq;
  v.level = p.level;
  return v;
}

void Pads::power_off() {
  for (int g = 0; g < machine::kGpioCount; ++g) {
    Pad& p = pads_[g];
    bool had_pwm = p.duty >= 0;
    Drive keep = p.drive;
    int level = p.level;
    p = Pad{};
    p.drive = keep;
    p.level = level;
    if (had_pwm) report_pwm(g);
    update(g);
  }
}

}  // namespace weft::sim
