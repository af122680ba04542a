#include "scenario.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/log.hpp"
#include "machine/pwm.hpp"
#include "names.hpp"
#include "world.hpp"

namespace weft::sim {
namespace {

struct Token {
  std::string text;
  bool quoted = false;
};

// Splits a line into words and "quoted strings" (\" and \\ escape), dropping a # comment.
bool tokenize(std::string_view line, std::vector<Token>& out, std::string& error) {
  std::size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      break;
    } else if (c == '"') {
      Token t{"", true};
      for (++i;; ++i) {
        if (i >= line.size()) {
          error = "unterminated \"string\"";
          return false;
        }
        if (line[i] == '"') break;
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        t.text += line[i];
      }
      ++i;
      out.push_back(std::move(t));
    } else {
      std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '#')
        ++i;
      out.push_back(Token{std::string(line.substr(start, i - start)), false});
    }
  }
  return true;
}

std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

bool parse_int(const std::string& s, long long& out) {
  if (s.empty() || s.size() > 18) return false;
  std::size_t i = s[0] == '-' || s[0] == '+' ? 1 : 0;
  if (i == s.size()) return false;
  long long v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = s[0] == '-' ? -v : v;
  return true;
}

// "2s", "1.5s", "1500ms", "250us", "2min" -> microseconds.
bool parse_duration(const std::string& s, Micros& out) {
  std::size_t i = 0;
  long long mantissa = 0;
  int decimals = 0;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (mantissa > 100000000000000LL) return false;
      mantissa = mantissa * 10 + (c - '0');
      digits = true;
      if (dot) ++decimals;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  std::string unit = s.substr(i);
  long long scale = unit == "us"    ? 1
                    : unit == "ms"  ? 1000
                    : unit == "s"   ? 1000000
                    : unit == "min" ? 60000000
                                    : 0;
  if (!digits || scale == 0 || decimals > 6) return false;
  long long divisor = 1;
  for (int d = 0; d < decimals; ++d)
    divisor *= 10;
  if (mantissa > kMaxDuration / scale) return false;
  out = mantissa * scale / divisor;
  return true;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string& error) : t_(std::move(tokens)), error_(error) {}

  [[nodiscard]] bool done() const { return i_ >= t_.size(); }
  bool peek(const char* word) const { return i_ < t_.size() && !t_[i_].quoted && lower(t_[i_].text) == word; }
  bool accept(const char* word) {
    if (!peek(word)) return false;
    ++i_;
    return true;
  }
  bool fail(std::string reason) {
    if (error_.empty()) error_ = std::move(reason);
    return false;
  }
  bool word(std::string& out, const char* what) {
    if (done()) return fail(std::string("missing ") + what);
    out = t_[i_++].text;
    return true;
  }
  bool keyword(std::string& out, const char* what) {
    if (!word(out, what)) return false;
    out = lower(out);
    return true;
  }
  bool number(long long& out, const char* what, long long lo, long long hi) {
    std::string w;
    if (!word(w, what)) return false;
    if (!parse_int(w, out)) return fail("'" + w + "' is not a whole number (" + what + ")");
    if (out < lo || out > hi) {
      return fail(std::string(what) + " " + w + " out of range; use " + std::to_string(lo) + ".." +
                  std::to_string(hi));
    }
    return true;
  }
  bool duration(Micros& out, const char* what) {
    std::string w;
    if (!word(w, what)) return false;
    if (!parse_duration(w, out)) {
      return fail("bad " + std::string(what) + " '" + w +
                  "': write a number and a unit: 2s, 1.5s, 1500ms, 250us, 1min");
    }
    return true;
  }
  bool pin(int& gpio) {
    std::string w;
    if (!word(w, "pin (GPIOn or D0..D8)")) return false;
    Result<int> g = machine::parse_gpio(w);
    if (!g) {
      return fail(
          "bad pin '" + w +
          "': write GPIOn with n in 0..5 or 12..16, or a NodeMCU label D0..D8 (GPIO6..11 are the flash)");
    }
    gpio = *g;
    return true;
  }
  bool ssid(std::string& out) {
    if (done()) return fail("missing SSID (a \"quoted\" name)");
    out = t_[i_++].text;
    if (out.empty() || out.size() > 32) return fail("an SSID has 1..32 bytes");
    return true;
  }
  bool end() {
    if (done()) return true;
    return fail("unexpected '" + t_[i_].text + "' at the end of the line");
  }

 private:
  std::vector<Token> t_;
  std::size_t i_ = 0;
  std::string& error_;
};

bool parse_ap(Parser& p, AccessPoint& ap) {
  if (!p.ssid(ap.ssid)) return false;
  while (!p.done()) {
    long long n = 0;
    std::string w;
    if (p.accept("password")) {
      if (!p.word(ap.password, "password")) return false;
      if (!ap.password.empty() && (ap.password.size() < 8 || ap.password.size() > 64)) {
        return p.fail("a WPA password has 8..64 characters (\"\" for an open network)");
      }
    } else if (p.accept("rssi")) {
      if (!p.number(n, "rssi (dBm)", -100, 0)) return false;
      ap.rssi = static_cast<int>(n);
    } else if (p.accept("channel")) {
      if (!p.number(n, "channel", 1, 14)) return false;
      ap.channel = static_cast<int>(n);
    } else if (p.accept("delay")) {
      if (!p.duration(ap.connect_delay, "delay")) return false;
    } else if (p.accept("ip")) {
      if (!p.word(w, "ip address")) return false;
      Result<IpAddress> a = IpAddress::parse(w);
      if (!a || !a->is_v4()) return p.fail("bad ip '" + w + "': write a dotted quad like 192.168.0.45");
      ap.address = *a;
    } else if (p.accept("auth")) {
      if (!p.keyword(w, "auth mode")) return false;
      if (!value_named(w, kAuthNames, ap.auth))
        return p.fail("unknown auth '" + w + "': use open, wep, wpa, wpa2 or wpa/wpa2");
    } else if (p.accept("bssid")) {
      if (!p.word(w, "bssid")) return false;
      unsigned b[6];
      char extra = 0;
      if (std::sscanf(w.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
                      &extra) != 6) {
        return p.fail("bad bssid '" + w + "': write six hex bytes like a0:40:a0:91:7d:ac");
      }
      for (int k = 0; k < 6; ++k)
        ap.bssid[static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(b[k]);
    } else if (p.accept("down")) {
      ap.up = false;
    } else if (p.accept("fail")) {
      ap.fail = true;
    } else {
      p.word(w, "option");
      return p.fail("unknown access point option '" + w +
                    "': use password, rssi, channel, delay, ip, auth, bssid, down, fail");
    }
  }
  if (ap.password.empty()) ap.auth = net::AuthMode::open;
  return true;
}

bool parse_expect(Parser& p, Step& s) {
  std::string w;
  if (p.accept("pwm")) {
    if (!p.pin(s.gpio)) return false;
    if (p.accept("off")) {
      s.op = Step::Op::expect_pwm_off;
      return p.end();
    }
    long long n = 0;
    if (p.accept("freq")) {
      s.op = Step::Op::expect_freq;
      if (!p.number(n, "frequency (Hz)", 1, 1000)) return false;
      s.low = s.high = static_cast<int>(n);
      return p.end();
    }
    if (!p.accept("duty")) return p.fail("after `expect pwm PIN` write duty N, duty A..B, freq N or off");
    s.op = Step::Op::expect_duty;
    if (!p.word(w, "duty")) return false;
    std::size_t dots = w.find("..");
    long long lo = 0, hi = 0;
    bool ok = dots == std::string::npos
                  ? parse_int(w, lo) && parse_int(w, hi)
                  : parse_int(w.substr(0, dots), lo) && parse_int(w.substr(dots + 2), hi);
    if (!ok || lo < 0 || hi > 1023 || lo > hi)
      return p.fail("bad duty '" + w + "': write N or A..B within 0..1023");
    s.low = static_cast<int>(lo);
    s.high = static_cast<int>(hi);
    return p.end();
  }
  if (p.accept("wifi")) {
    s.op = Step::Op::expect_wifi;
    if (!p.keyword(w, "wifi status")) return false;
    if (!value_named(w, kWifiStatusNames, s.wifi)) {
      return p.fail(
          "unknown wifi status '" + w +
          "': use idle, connecting, wrong_password, no_ap_found, connect_fail, got_ip (or connected)");
    }
    return p.end();
  }
  if (p.accept("awake")) {
    s.op = Step::Op::expect_awake;
    return p.end();
  }
  if (p.accept("asleep")) {
    s.op = Step::Op::expect_asleep;
    return p.end();
  }
  if (p.accept("boots")) {
    s.op = Step::Op::expect_boots;
    long long n = 0;
    if (!p.number(n, "boot count", 0, 1000000000)) return false;
    s.low = s.high = static_cast<int>(n);
    return p.end();
  }
  if (p.accept("reset_cause")) {
    s.op = Step::Op::expect_reset_cause;
    if (!p.keyword(w, "reset cause")) return false;
    if (!value_named(w, kResetCauseNames, s.cause))
      return p.fail("unknown reset cause '" + w + "': use power_on, hard, watchdog, deep_sleep or soft");
    return p.end();
  }
  s.op = Step::Op::expect_level;
  if (!p.pin(s.gpio)) return false;
  if (!p.keyword(w, "level (high or low)")) return false;
  if (w != "high" && w != "low") return p.fail("expect a pin to be high or low, not '" + w + "'");
  s.low = s.high = w == "high" ? 1 : 0;
  return p.end();
}

bool parse_action(Parser& p, Step& s) {
  std::string w;
  if (p.accept("press")) {
    s.op = Step::Op::press;
    return p.pin(s.gpio) && p.end();
  }
  if (p.accept("release")) {
    s.op = Step::Op::release;
    return p.pin(s.gpio) && p.end();
  }
  if (p.accept("set")) {
    s.op = Step::Op::set;
    if (!p.pin(s.gpio) || !p.keyword(w, "level (high, low or float)")) return false;
    if (!value_named(w, kDriveNames, s.drive)) return p.fail("set a pin high, low or float, not '" + w + "'");
    return p.end();
  }
  if (p.accept("adc")) {
    s.op = Step::Op::adc;
    long long n = 0;
    if (!p.number(n, "ADC value", 0, 1023)) return false;
    s.low = s.high = static_cast<int>(n);
    return p.end();
  }
  if (p.accept("wifi")) {
    if (p.accept("ap")) {
      s.op = Step::Op::wifi_ap;
      return parse_ap(p, s.ap);
    }
    if (p.accept("drop")) {
      s.op = Step::Op::wifi_drop;
      if (!p.ssid(s.ssid)) return false;
      if (p.accept("for") && !p.duration(s.duration, "drop-out length")) return false;
      return p.end();
    }
    if (p.accept("up")) {
      s.op = Step::Op::wifi_up;
      return p.ssid(s.ssid) && p.end();
    }
    p.word(w, "wifi action");
    return p.fail("unknown wifi action '" + w + "': use wifi ap, wifi drop or wifi up");
  }
  if (p.accept("reset")) {
    s.op = Step::Op::reset;
    return p.end();
  }
  if (p.accept("expect")) return parse_expect(p, s);
  if (p.accept("end")) {
    s.op = Step::Op::end;
    return p.end();
  }
  p.word(w, "action");
  return p.fail("unknown action '" + w + "': use press, release, set, adc, wifi, reset, expect or end");
}

}  // namespace

std::string format_time(Micros t) {
  if (t == kForever) return "never";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%lld.%03lld s", static_cast<long long>(t / 1000000),
                static_cast<long long>((t % 1000000) / 1000));
  return buf;
}

Result<Scenario> Scenario::parse(std::string_view text, std::string name, std::string& error) {
  Scenario sc;
  sc.name_ = std::move(name);
  std::vector<std::string> aps;
  Micros last = 0;
  bool timed = false, ended = false;
  int line_no = 0;
  std::vector<Step> later;  // the `wifi up` ending a `drop ... for`
  auto reject = [&](const std::string& reason) {
    error = sc.name_ + ":" + std::to_string(line_no) + ": " + reason;
    return Result<Scenario>(Errc::invalid_argument);
  };
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    std::string why;
    std::vector<Token> tokens;
    if (!tokenize(raw, tokens, why)) return reject(why);
    if (tokens.empty()) continue;
    if (ended) return reject("nothing may follow `end`");
    Step s;
    s.line = line_no;
    std::size_t hash = raw.find('#');
    std::string_view body = raw.substr(0, hash);
    while (!body.empty() && (body.back() == ' ' || body.back() == '\t' || body.back() == '\r'))
      body.remove_suffix(1);
    while (!body.empty() && (body.front() == ' ' || body.front() == '\t'))
      body.remove_prefix(1);
    s.text = std::string(body);
    Parser p(std::move(tokens), why);
    if (p.accept("at")) {
      if (!p.duration(s.at, "time")) return reject(why);
      timed = true;
    }
    if (s.at < last) {
      return reject(s.at == 0 ? "a line without `at` happens at 0 s: put setup lines before the timed ones"
                              : "at " + format_time(s.at) + " comes before the previous line's " +
                                    format_time(last) + ": keep lines in time order");
    }
    last = s.at;
    if (!parse_action(p, s)) return reject(why);
    // Names the scenario refers to must exist: a typo must not pass silently.
    if (s.op == Step::Op::wifi_ap) {
      if (std::find(aps.begin(), aps.end(), s.ap.ssid) != aps.end())
        return reject("access point \"" + s.ap.ssid + "\" is defined twice");
      aps.push_back(s.ap.ssid);
    }
    if ((s.op == Step::Op::wifi_drop || s.op == Step::Op::wifi_up) &&
        std::find(aps.begin(), aps.end(), s.ssid) == aps.end()) {
      return reject("no access point \"" + s.ssid + "\": define it first with `wifi ap \"" + s.ssid +
                    "\" ...`");
    }
    if (s.op == Step::Op::wifi_drop && s.duration > 0) {
      Step up = s;
      up.op = Step::Op::wifi_up;
      up.at = s.at + s.duration;
      up.text = "wifi up \"" + s.ssid + "\" (the drop-out of line " + std::to_string(line_no) + " ends)";
      later.push_back(std::move(up));
    }
    if (s.op == Step::Op::end) ended = true;
    sc.steps_.push_back(std::move(s));
  }
  // Merge the generated lines in time order; `end` stays last (what would come after it never happens).
  Step end;
  if (ended) {
    end = std::move(sc.steps_.back());
    sc.steps_.pop_back();
  }
  for (Step& up : later) {
    if (!ended || up.at <= end.at) sc.steps_.push_back(std::move(up));
  }
  std::stable_sort(sc.steps_.begin(), sc.steps_.end(),
                   [](const Step& a, const Step& b) { return a.at < b.at; });
  if (!ended && timed) {
    end.at = sc.steps_.back().at;
    end.line = line_no;
    end.text = "end (after the last line)";
  }
  if (ended || timed) sc.steps_.push_back(std::move(end));
  return sc;
}

Result<Scenario> Scenario::load(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot read the scenario file";
    return Errc::io_error;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path, error);
}

bool Scenario::apply(const Step& s, World& w, std::string& observed) {
  Pads& pads = w.pads();
  Pads::View v = s.gpio >= 0 ? pads.view(s.gpio) : Pads::View{};
  char buf[200];
  switch (s.op) {
    case Step::Op::press:
      pads.drive(s.gpio, Drive::low);
      return true;
    case Step::Op::release:
      pads.drive(s.gpio, Drive::none);
      return true;
    case Step::Op::set:
      pads.drive(s.gpio, s.drive);
      return true;
    case Step::Op::adc:
      pads.set_adc(s.low);
      return true;
    case Step::Op::wifi_ap: {
      std::string why;
      if (!w.radio().add(s.ap, &why)) log_message(LogLevel::warning, "sim: line %d: %s", s.line, why.c_str());
      return true;
    }
    case Step::Op::wifi_drop:
      (void)w.radio().set_up(s.ssid, false);
      return true;
    case Step::Op::wifi_up:
      (void)w.radio().set_up(s.ssid, true);
      return true;
    case Step::Op::reset:
      w.press_reset();
      return true;
    case Step::Op::end:
      return true;
    case Step::Op::expect_level:
      if (v.duty > 0 && v.duty < machine::Pwm::kMaxDuty) {
        std::snprintf(buf, sizeof buf,
                      "GPIO%d is a PWM output at duty %d (no steady level): use `expect pwm GPIO%d duty N`",
                      s.gpio, v.duty, s.gpio);
        observed = buf;
        return false;
      }
      if (v.level == s.low) return true;
      std::snprintf(buf, sizeof buf, "GPIO%d is %s", s.gpio, v.level != 0 ? "high" : "low");
      observed = buf;
      return false;
    case Step::Op::expect_duty:
      if (v.duty >= s.low && v.duty <= s.high) return true;
      if (v.duty < 0)
        std::snprintf(buf, sizeof buf, "PWM is off on GPIO%d", s.gpio);
      else
        std::snprintf(buf, sizeof buf, "duty %d", v.duty);
      observed = buf;
      return false;
    case Step::Op::expect_pwm_off:
      if (v.duty < 0) return true;
      std::snprintf(buf, sizeof buf, "PWM runs on GPIO%d at duty %d", s.gpio, v.duty);
      observed = buf;
      return false;
    case Step::Op::expect_freq:
      if (v.duty >= 0 && pads.pwm_freq() == s.low) return true;
      if (v.duty < 0)
        std::snprintf(buf, sizeof buf, "PWM is off on GPIO%d", s.gpio);
      else
        std::snprintf(buf, sizeof buf, "frequency %d Hz", pads.pwm_freq());
      observed = buf;
      return false;
    case Step::Op::expect_wifi:
      if (w.radio().status() == s.wifi) return true;
      observed = std::string("wifi status is ") + net::to_string(w.radio().status());
      return false;
    case Step::Op::expect_awake:
      if (w.running()) return true;
      observed = w.asleep() ? "the device is in deep sleep (wakes at " + format_time(w.wake_time()) + ")"
                            : std::string("the device is between boots");
      return false;
    case Step::Op::expect_asleep:
      if (w.asleep()) return true;
      observed = "the device is awake";
      return false;
    case Step::Op::expect_boots:
      if (static_cast<int>(w.boots()) == s.low) return true;
      observed = std::to_string(w.boots()) + " boot(s)";
      return false;
    case Step::Op::expect_reset_cause:
      if (w.running() && w.reset_cause() == s.cause) return true;
      observed = w.running() ? std::string("reset cause ") + machine::to_string(w.reset_cause())
                             : std::string("the device is not running");
      return false;
  }
  return true;
}

}  // namespace weft::sim
