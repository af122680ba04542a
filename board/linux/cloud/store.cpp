#include "store.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include "blynk/body.hpp"
#include "blynk/protocol.hpp"
#include "blynk/token_text.hpp"

namespace weft::cloud {
namespace {

// State file fields: tab-separated, with \\ \t \n \r escaped.
void put_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

std::vector<std::string> split_line(std::string_view line) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\t') {
      out.emplace_back();
    } else if (c == '\\' && i + 1 < line.size()) {
      const char e = line[++i];
      out.back() += e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
    } else {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> split_fields(std::string_view raw) {
  std::vector<std::string> out;
  blynk::BodyReader r(raw);
  while (std::optional<std::string_view> f = r.next())
    out.emplace_back(*f);
  return out;
}

std::string join_fields(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += '\0';
    out += fields[i];
  }
  return out;
}

Result<std::string> blynk_body(const std::vector<blynk::Value>& fields,
                               std::optional<std::string_view> stored) {
  std::size_t size = stored ? stored->size() : 0;
  for (const blynk::Value& f : fields)
    size += f.size() + 1;
  std::string body(size, '\0');
  blynk::BodyWriter w(body);
  for (const blynk::Value& f : fields)
    (void)w.add(f);
  if (stored) (void)w.add_fields(*stored);
  if (w.error() != Errc::ok) return w.error();
  body.resize(w.size());
  return body;
}

std::string Store::generate_token() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static std::mt19937_64 rng{std::random_device{}()};
  std::string t(32, 'x');
  for (char& c : t)
    c = kAlphabet[rng() % (sizeof kAlphabet - 1)];
  return t;
}

Device* Store::add(DeviceSpec spec) {
  if (spec.token.empty()) {
    do {
      spec.token = generate_token();
    } while (by_token_.count(spec.token) != 0);
  }
  if (by_token_.count(spec.token) != 0) return nullptr;
  auto d = std::make_unique<Device>();
  d->spec = std::move(spec);
  for (const auto& [pin, fields] : d->spec.values)
    d->values[pin] = join_fields(fields);
  for (const auto& [pin, props] : d->spec.properties) {
    for (const auto& [name, fields] : props)
      d->properties[pin][name] = join_fields(fields);
  }
  Device* raw = d.get();
  by_token_.emplace(raw->spec.token, raw);
  devices_.push_back(std::move(d));
  return raw;
}

bool Store::add_project(const Project& project, std::string& error) {
  for (const DeviceSpec& spec : project.devices) {
    if (add(spec) == nullptr) {
      error = "device '" + spec.name + "': its token " + blynk::token_text(spec.token).c_str() +
              " is already registered";
      return false;
    }
  }
  return true;
}

Device* Store::find(std::string_view token) {
  auto it = by_token_.find(std::string(token));
  return it == by_token_.end() ? nullptr : it->second;
}

void Store::set_value(Device& d, PinRef pin, std::string_view raw) {
  auto [it, fresh] = d.values.try_emplace(pin);
  if (fresh || it->second != raw) {  // the state file is written only when something changed
    it->second.assign(raw.data(), raw.size());
    dirty_ = true;
  }
  // Every write is a change for the dashboard: a terminal shows the same line twice.
  push(Change{.kind = Change::Kind::value, .device = &d, .pin = pin, .raw = std::string(raw)});
}

bool Store::set_property(Device& d, PinRef pin, std::string_view name, std::string_view raw,
                         std::string& why) {
  if (name.size() > kMaxPropertyName) {
    why = "a property name is at most " + std::to_string(kMaxPropertyName) + " characters";
    return false;
  }
  std::map<std::string, std::string>& of_pin = d.properties[pin];
  auto it = of_pin.find(std::string(name));
  if (it == of_pin.end()) {
    std::size_t count = 0;
    for (const auto& [p, props] : d.properties)
      count += props.size();
    if (count >= kMaxPropertiesPerDevice) {
      if (of_pin.empty()) d.properties.erase(pin);
      why = "device '" + d.name() + "' has " + std::to_string(count) +
            " properties, the most it may have: set known ones (label, color, ...), not new names";
      return false;
    }
    it = of_pin.emplace(std::string(name), std::string()).first;
  } else if (it->second == raw) {
    return true;
  }
  it->second.assign(raw.data(), raw.size());
  dirty_ = true;
  push(Change{.kind = Change::Kind::property,
              .device = &d,
              .pin = pin,
              .name = std::string(name),
              .raw = std::string(raw)});
  return true;
}

void Store::record(CloudEvent e) {
  e.seq = next_seq_++;
  const std::uint64_t seq = e.seq;
  const Device* d = find(e.token);
  events_.push_back(std::move(e));
  while (events_.size() > kMaxEvents)
    events_.pop_front();
  push(Change{.kind = Change::Kind::event, .device = d, .event_seq = seq});
}

void Store::note_online(const Device& d, bool online) {
  push(Change{.kind = online ? Change::Kind::online : Change::Kind::offline, .device = &d});
}

void Store::push(Change c) {
  c.seq = next_change_++;
  if (unix_ms_) c.unix_ms = unix_ms_();
  changes_.push_back(std::move(c));
  while (changes_.size() > kMaxChanges)
    changes_.pop_front();
  if (on_change_) on_change_();
}

bool Store::save(const std::string& path, std::string& error) {
  std::string out = "# weft-cloud state: device, value and property lines (tab-separated)\n";
  auto fields = [&out](std::string_view raw) {
    for (const std::string& f : split_fields(raw)) {
      out += '\t';
      put_escaped(out, f);
    }
  };
  for (const auto& d : devices_) {
    out += "d\t";
    put_escaped(out, d->token());
    out += '\t';
    put_escaped(out, d->name());
    out += '\n';
    for (const auto& [pin, raw] : d->values) {
      out += "v\t" + d->token() + '\t' + pin.name();
      fields(raw);
      out += '\n';
    }
    for (const auto& [pin, props] : d->properties) {
      for (const auto& [name, raw] : props) {
        out += "p\t" + d->token() + '\t' + pin.name() + '\t';
        put_escaped(out, name);
        fields(raw);
        out += '\n';
      }
    }
  }
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr || std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fclose(f) != 0 ||
      std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "cannot write state file " + path + ": " + std::strerror(errno);
    return false;
  }
  dirty_ = false;
  return true;
}

bool Store::load(const std::string& path, std::string& error) {
  std::string text;
  if (!read_file(path, text)) {
    if (errno == ENOENT) return true;
    error = "cannot read state file " + path + ": " + std::strerror(errno);
    return false;
  }
  return load_text(text, path, error);
}

bool Store::load_text(std::string_view text, const std::string& path, std::string& error) {
  int line_no = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> w = split_line(line);
    auto fail = [&](const char* why) {
      error = path + ":" + std::to_string(line_no) + ": " + why + " (delete the file to start afresh)";
      return false;
    };
    if (w[0] == "d") {
      if (w.size() != 3 || blynk::check_token(w[1]) != blynk::TokenProblem::none)
        return fail("bad device line");
      if (find(w[1]) == nullptr) add(DeviceSpec{.name = w[2], .token = w[1]});
      continue;
    }
    if ((w[0] != "v" || w.size() < 3) && (w[0] != "p" || w.size() < 4))
      return fail("expected a `d`, `v` or `p` line");
    Device* d = find(w[1]);
    std::optional<PinRef> pin = PinRef::parse(w[2]);
    if (d == nullptr || !pin) return fail("unknown device token or bad pin");
    const std::size_t first = w[0] == "v" ? 3 : 4;
    const std::string raw =
        join_fields(std::vector<std::string>(w.begin() + static_cast<long>(first), w.end()));
    if (w[0] == "v") {
      set_value(*d, *pin, raw);
    } else {
      std::string why;
      if (!set_property(*d, *pin, w[3], raw, why)) return fail(why.c_str());
    }
  }
  dirty_ = false;
  return true;
}

}  // namespace weft::cloud
