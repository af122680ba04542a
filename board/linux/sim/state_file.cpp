#include "state_file.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace weft::sim {
namespace {
constexpr const char* kMagic = "weft-sim-state";

std::string hex(const void* data, std::size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  const auto* p = static_cast<const std::uint8_t*>(data);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out.empty() ? "-" : out;
}

bool unhex(const std::string& text, std::string& out) {
  out.clear();
  if (text == "-") return true;
  if (text.size() % 2 != 0) return false;
  auto digit = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = digit(text[i]), lo = digit(text[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
  }
  return true;
}

std::string time_text(Micros t) {
  return t == kForever ? "never" : std::to_string(t);
}
bool parse_time(const std::string& s, Micros& out) {
  if (s == "never") {
    out = kForever;
    return true;
  }
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return end != s.c_str() && *end == '\0';
}
}  // namespace

bool save_state(const World::Snapshot& s, const std::string& path, std::string& why) {
  std::ostringstream o;
  o << kMagic << " 1\n";
  o << "clock " << (s.clock == ClockMode::virtual_time ? "virtual" : "real") << "\n";
  o << "now_us " << s.now << "\nepoch_us " << s.epoch << "\n";
  o << "asleep " << (s.asleep ? 1 : 0) << "\nwake_at_us " << time_text(s.wake_at) << "\n";
  o << "next_cause " << static_cast<int>(s.next_cause) << "\nboots " << s.boots << "\ncursor " << s.cursor
    << "\n";
  o << "held " << s.expectations_held << "\nactions " << s.actions_done << "\n";
  o << "adc " << s.adc << "\n";
  for (std::size_t g = 0; g < s.drives.size(); ++g) {
    if (s.drives[g] != Drive::none) o << "drive " << g << " " << static_cast<int>(s.drives[g]) << "\n";
  }
  for (const AccessPoint& ap : s.aps) {
    auto ip = ap.address.bytes();
    o << "ap " << hex(ap.ssid.data(), ap.ssid.size()) << " " << hex(ap.password.data(), ap.password.size())
      << " " << hex(ap.bssid.data(), ap.bssid.size()) << " " << ap.channel << " " << ap.rssi << " "
      << static_cast<int>(ap.auth) << " " << ap.connect_delay << " " << hex(ip.data(), 4) << " "
      << (ap.up ? 1 : 0) << " " << (ap.fail ? 1 : 0) << "\n";
  }
  o << "ap_essid " << hex(s.ap_essid.data(), s.ap_essid.size()) << "\n";
  o << "ap_password " << hex(s.ap_password.data(), s.ap_password.size()) << "\n";
  o << "rtc " << hex(s.rtc.data(), s.rtc.size()) << "\n";
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << o.str();
    if (!f.flush()) {
      why = "cannot write the state file " + tmp;
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    why = "cannot rename " + tmp + " to " + path;
    return false;
  }
  return true;
}

bool load_state(const std::string& path, World::Snapshot& out, bool& exists, std::string& why) {
  exists = false;
  std::ifstream f(path, std::ios::binary);
  if (!f) return true;  // no file yet: power-on
  std::string line;
  int n = 0;
  auto bad = [&](const std::string& reason) {
    why = path + ":" + std::to_string(n) + ": " + reason + " (delete the file to power on afresh)";
    return false;
  };
  World::Snapshot s;
  while (std::getline(f, line)) {
    ++n;
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key.empty()) continue;
    if (n == 1) {
      int version = 0;
      if (key != kMagic || !(in >> version) || version != 1)
        return bad("not a weft-sim state file (version 1)");
      exists = true;
      continue;
    }
    std::string a, b, c;
    bool ok = true;
    if (key == "clock") {
      in >> a;
      s.clock = a == "virtual" ? ClockMode::virtual_time : ClockMode::real;
    } else if (key == "now_us") {
      ok = static_cast<bool>(in >> s.now);
    } else if (key == "epoch_us") {
      ok = static_cast<bool>(in >> s.epoch);
    } else if (key == "asleep") {
      int v = 0;
      ok = static_cast<bool>(in >> v);
      s.asleep = v != 0;
    } else if (key == "wake_at_us") {
      ok = (in >> a) && parse_time(a, s.wake_at);
    } else if (key == "next_cause") {
      int v = 0;
      ok = static_cast<bool>(in >> v);
      s.next_cause = static_cast<machine::ResetCause>(v);
    } else if (key == "boots") {
      ok = static_cast<bool>(in >> s.boots);
    } else if (key == "cursor") {
      ok = static_cast<bool>(in >> s.cursor);
    } else if (key == "held") {
      ok = static_cast<bool>(in >> s.expectations_held);
    } else if (key == "actions") {
      ok = static_cast<bool>(in >> s.actions_done);
    } else if (key == "adc") {
      ok = static_cast<bool>(in >> s.adc);
    } else if (key == "drive") {
      int g = 0, d = 0;
      ok = (in >> g >> d) && g >= 0 && g < machine::kGpioCount && d >= 0 && d <= 2;
      if (ok) s.drives[static_cast<std::size_t>(g)] = static_cast<Drive>(d);
    } else if (key == "ap") {
      AccessPoint ap;
      std::string ssid, password, bssid, ip;
      int auth = 0, up = 0, fail = 0;
      ok = (in >> ssid >> password >> bssid >> ap.channel >> ap.rssi >> auth >> ap.connect_delay >> ip >>
            up >> fail) &&
           unhex(ssid, ap.ssid) && unhex(password, ap.password) && unhex(bssid, a) && a.size() == 6 &&
           unhex(ip, b) && b.size() == 4;
      if (ok) {
        for (std::size_t i = 0; i < 6; ++i)
          ap.bssid[i] = static_cast<std::uint8_t>(a[i]);
        ap.address = IpAddress::v4(static_cast<std::uint8_t>(b[0]), static_cast<std::uint8_t>(b[1]),
                                   static_cast<std::uint8_t>(b[2]), static_cast<std::uint8_t>(b[3]));
        ap.auth = static_cast<net::AuthMode>(auth);
        ap.up = up != 0;
        ap.fail = fail != 0;
        s.aps.push_back(std::move(ap));
      }
    } else if (key == "ap_essid") {
      ok = (in >> a) && unhex(a, s.ap_essid);
    } else if (key == "ap_password") {
      ok = (in >> a) && unhex(a, s.ap_password);
    } else if (key == "rtc") {
      ok = (in >> a) && unhex(a, b) && b.size() == s.rtc.size();
      if (ok) {
        for (std::size_t i = 0; i < b.size(); ++i)
          s.rtc[i] = static_cast<std::uint8_t>(b[i]);
      }
    } else {
      return bad("unknown key '" + key + "'");
    }
    if (!ok) return bad("bad value for '" + key + "'");
  }
  if (exists) out = std::move(s);
  return true;
}

}  // namespace weft::sim
