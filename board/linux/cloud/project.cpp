#include "project.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "blynk/protocol.hpp"
#include "blynk/token_text.hpp"
#include "text/number.hpp"

namespace weft::cloud {
namespace {

// Splits one line into words: spaces separate, "double quotes" group (with \" and \\ escapes), # outside
// quotes starts a comment. Sets `error` on an unterminated quote.
std::vector<std::string> split_words(std::string_view line, std::string& error) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      break;
    } else if (c == '"') {
      std::string w;
      ++i;
      bool closed = false;
      while (i < line.size()) {
        char d = line[i++];
        if (d == '"') {
          closed = true;
          break;
        }
        if (d == '\\' && i < line.size()) d = line[i++];
        w += d;
      }
      if (!closed) {
        error = "unterminated \"quoted text\" (close it with \")";
        return {};
      }
      words.push_back(std::move(w));
    } else {
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' && line[j] != '#')
        ++j;
      words.emplace_back(line.substr(i, j - i));
      i = j;
    }
  }
  return words;
}

std::optional<PinRef> pin_of(const std::string& word, std::string& error) {
  std::optional<PinRef> p = PinRef::parse(word);
  if (!p) error = "bad pin '" + word + "': write V0..V255 (virtual), D0..D255 (GPIO number) or A0..A255";
  return p;
}

bool parse_number(const std::string& word, double& out) {
  if (word.empty()) return false;
  char* end = nullptr;
  out = std::strtod(word.c_str(), &end);
  return end == word.c_str() + word.size() && out > 0 && out < 1e9;
}

}  // namespace

bool read_file(const std::string& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    out.append(buf, n);
  const bool ok = std::ferror(f) == 0;
  std::fclose(f);
  return ok;
}

blynk::PinMode default_mode(const Widget& w) {
  if (w.type == "display" || w.type == "gauge" || w.type == "value" || w.type == "chart" ||
      w.type == "labeled_value")
    return blynk::PinMode::input;
  if (w.type == "slider" && w.pin.type != PinType::virtual_pin) return blynk::PinMode::pwm;
  return blynk::PinMode::output;
}

std::optional<Project> Project::parse(std::string_view text, std::string_view file, std::string& error) {
  Project project;
  int line_no = 0;
  auto fail = [&](const std::string& why) {
    error = std::string(file) + ":" + std::to_string(line_no) + ": " + why;
    return std::nullopt;
  };
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    std::string why;
    std::vector<std::string> w = split_words(line, why);
    if (!why.empty()) return fail(why);
    if (w.empty()) continue;
    const std::string& key = w[0];

    if (key == "device") {
      if (w.size() != 2 && w.size() != 4)
        return fail("write `device NAME [token TOKEN]` (quote a name with spaces: device \"Living room\")");
      DeviceSpec d;
      d.name = w[1];
      d.line = line_no;
      if (w.size() == 4) {
        if (w[2] != "token") return fail("expected `token` after the device name, found '" + w[2] + "'");
        if (const blynk::TokenProblem p = blynk::check_token(w[3]); p != blynk::TokenProblem::none)
          return fail(std::string("bad token '") + blynk::token_text(w[3]).c_str() +
                      "': " + blynk::to_string(p) + " (or leave it out: one is generated)");
        d.token = w[3];
        for (const DeviceSpec& other : project.devices) {
          if (other.token == d.token)
            return fail("token already used by device '" + other.name + "' (line " +
                        std::to_string(other.line) + "): every device needs its own");
        }
      }
      project.devices.push_back(std::move(d));
      continue;
    }
    if (project.devices.empty())
      return fail("'" + key + "' outside a device: start with `device NAME [token TOKEN]`");
    DeviceSpec& d = project.devices.back();

    if (key == "widget") {
      if (w.size() < 3)
        return fail(
            "write `widget TYPE PIN [label \"TEXT\"] [mode in|out|pwm|pu|pd] [poll SECONDS] [min N] [max N] "
            "[action push|switch]`");
      Widget widget;
      widget.type = w[1];
      std::optional<PinRef> pin = pin_of(w[2], why);
      if (!pin) return fail(why);
      widget.pin = *pin;
      for (std::size_t i = 3; i < w.size(); i += 2) {
        if (i + 1 >= w.size()) return fail("widget option '" + w[i] + "' needs a value");
        if (w[i] == "label") {
          widget.label = w[i + 1];
        } else if (w[i] == "mode") {
          Result<blynk::PinMode> m = blynk::parse_pin_mode(w[i + 1]);
          if (!m)
            return fail("bad mode '" + w[i + 1] + "': write in, out, pwm, pu (pull-up) or pd (pull-down)");
          if (widget.pin.type == PinType::virtual_pin)
            return fail("a mode is for physical pins (D or A), not " + w[2]);
          widget.mode = *m;
        } else if (w[i] == "poll") {
          if (!parse_number(w[i + 1], widget.poll_s) || widget.poll_s < 0.1)
            return fail("bad poll '" + w[i + 1] + "': write the reading period in seconds (0.1 or more)");
        } else if (w[i] == "min" || w[i] == "max") {
          char* end = nullptr;
          const double v = std::strtod(w[i + 1].c_str(), &end);
          if (w[i + 1].empty() || end != w[i + 1].c_str() + w[i + 1].size() || !(v > -1e15 && v < 1e15))
            return fail("bad " + w[i] + " '" + w[i + 1] + "': write a number (the widget's range)");
          (w[i] == "min" ? widget.min : widget.max) = v;
        } else if (w[i] == "action") {
          if (w[i + 1] != "push" && w[i + 1] != "switch")
            return fail("bad action '" + w[i + 1] + "': write push (1 while held) or switch (toggles)");
          widget.push = w[i + 1] == "push";
        } else {
          return fail("unknown widget option '" + w[i] + "' (options: label, mode, poll, min, max, action)");
        }
      }
      if (widget.min >= widget.max)
        return fail("min " + std::to_string(widget.min) + " is not below max " + std::to_string(widget.max));
      if (widget.pin.type == PinType::digital && !widget.mode) widget.mode = default_mode(widget);
      d.widgets.push_back(std::move(widget));
    } else if (key == "value") {
      if (w.size() < 3) return fail("write `value PIN VALUE [VALUE...]`");
      std::optional<PinRef> pin = pin_of(w[1], why);
      if (!pin) return fail(why);
      d.values[*pin] = std::vector<std::string>(w.begin() + 2, w.end());
    } else if (key == "property") {
      if (w.size() < 4)
        return fail("write `property PIN NAME VALUE [VALUE...]` (e.g. property V1 color \"#D3435C\")");
      std::optional<PinRef> pin = pin_of(w[1], why);
      if (!pin) return fail(why);
      d.properties[*pin][w[2]] = std::vector<std::string>(w.begin() + 3, w.end());
    } else if (key == "quota") {
      double q = 0;
      if (w.size() != 2 || !parse_number(w[1], q))
        return fail("write `quota N` with N messages per second > 0");
      d.quota = q;
    } else if (key == "redirect") {
      if (w.size() != 2) return fail("write `redirect HOST:PORT`");
      const std::size_t colon = w[1].rfind(':');
      Result<std::uint16_t> port =
          colon == std::string::npos
              ? Result<std::uint16_t>(Errc::invalid_argument)
              : text::parse_int<std::uint16_t>(std::string_view(w[1]).substr(colon + 1));
      if (colon == 0 || !port || *port == 0)
        return fail("bad redirect '" + w[1] + "': write HOST:PORT, e.g. 127.0.0.1:9443");
      d.redirect_host = w[1].substr(0, colon);
      d.redirect_port = *port;
    } else {
      return fail("unknown line '" + key + "' (lines: device, widget, value, property, quota, redirect)");
    }
  }
  return project;
}

std::optional<Project> Project::load(const std::string& path, std::string& error) {
  std::string text;
  if (!read_file(path, text)) {
    error = "cannot read project file " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  return parse(text, path, error);
}

}  // namespace weft::cloud
