// Project: the devices a local cloud knows, read from a small text file (the format is in README.md):
//
//   # comments run to the end of the line
//   device "Living room" token 0123456789abcdefABCDEF0123456789
//     widget button V1 label "LED"      # a widget on a virtual pin
//     widget button D2 mode out         # a physical pin: `pm 2 out` is sent to the device after login
//     widget display V2 poll 2          # the cloud reads it (vr) every 2 s, as the app's reading rate
//     widget gauge V6 min 0 max 1023    # the range of a slider, gauge or chart (default 0..255)
//     widget button V9 action push      # 1 while held, 0 on release (default: switch, each press toggles)
//     value V1 1                        # the pin's stored value at start (several words: a multi-value)
//     property V1 color "#D3435C"
//     quota 100                         # messages per second (default: the cloud's --quota)
//     redirect 127.0.0.1:9443           # answer this device's logins with REDIRECT (for tests)
//   device Garage                       # no token: one is generated at start (and printed)
//
// Parsing never stops at the first surprise silently: a bad line is an error naming the file, the line and
// what to write instead ("demo.project:3: unknown widget option 'lable' (options: label, mode, poll, min,
// max, action)").
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blynk/hardware.hpp"
#include "pin_ref.hpp"

namespace weft::cloud {

struct Widget {
  std::string type{};  // button, slider, display, lcd, terminal, bridge, ... (free text, shown in listings)
  PinRef pin{};
  std::string label{};
  std::optional<blynk::PinMode> mode{};  // physical pins: the `pm` the cloud sends after login
  double poll_s = 0;  // > 0: the cloud reads the pin (vr/dr/ar) this often, as the app would
  double min = 0;     // the range of a slider, gauge or chart
  double max = 255;
  bool push = false;  // a button: push (1 while held, 0 on release) instead of switch (each press toggles)
};

struct DeviceSpec {
  std::string name{};
  std::string token{};  // empty in a project file: generated at start
  std::vector<Widget> widgets{};
  std::map<PinRef, std::vector<std::string>> values{};
  std::map<PinRef, std::map<std::string, std::vector<std::string>>> properties{};
  std::optional<double> quota{};  // messages per second
  std::string redirect_host{};    // non-empty: logins are answered with REDIRECT redirect_host:redirect_port
  std::uint16_t redirect_port = 0;
  int line = 0;  // where it was declared (0: not from a file)
};

struct Project {
  std::vector<DeviceSpec> devices;

  // Parses `text`; `file` names it in errors. On error returns nullopt and sets `error` to
  // "file:line: what is wrong".
  [[nodiscard]] static std::optional<Project> parse(std::string_view text, std::string_view file,
                                                    std::string& error);
  // Reads and parses a file ("cannot read FILE: reason" when it cannot be read).
  [[nodiscard]] static std::optional<Project> load(const std::string& path, std::string& error);
};

// The `pm` mode a widget implies on a digital pin when the file gives none: displays read (`in`), sliders
// drive PWM, everything else is an output. (Analog pins get a mode only when the file gives one.)
[[nodiscard]] blynk::PinMode default_mode(const Widget& w);

// Appends the whole file to `out`; false (errno set) when it cannot be read.
[[nodiscard]] bool read_file(const std::string& path, std::string& out);

}  // namespace weft::cloud
