// Store: what the local cloud knows — its devices (from the project file, the command line, or registered on
// the fly), the last value of every pin they or the REST API wrote, widget properties, and the notifications
// and events devices sent. Pure data: the servers (blynk_server.hpp, http_server.hpp) read and change it.
//
// Values are kept as on the wire: the fields of a write joined by NUL ("1", or "12\0" "34" for a multi-value
// write), so a sync sends exactly what was written. Optional persistence: save() / load() a state file (one
// line per device, pin value and property; tab-separated, escaped), so a restarted cloud syncs the values a
// device wrote before.
//
// Not thread-safe: one loop owns it. Lookups by token are O(1); listing is O(devices).
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "blynk/body.hpp"
#include "core/result.hpp"
#include "project.hpp"

namespace weft::cloud {

class BlynkConnection;

struct Device {
  DeviceSpec spec;                                                  // name, token, widgets, quota, redirect
  std::map<PinRef, std::string> values;                             // last value, fields NUL-joined
  std::map<PinRef, std::map<std::string, std::string>> properties;  // last properties, fields NUL-joined

  // While the device is online:
  BlynkConnection* connection = nullptr;
  std::string address;  // the device's address ("127.0.0.1:40312")
  std::vector<std::pair<std::string, std::string>>
      info;                          // its INTERNAL info message (ver, h-beat, buff-in...)
  std::int64_t online_since_ms = 0;  // wall clock

  struct Counters {
    std::uint64_t messages_in = 0;    // frames from the device after login
    std::uint64_t messages_out = 0;   // frames sent to it (app writes, bridges, syncs, pm)
    std::uint64_t quota_dropped = 0;  // dropped over the per-device quota
    std::uint64_t not_forwarded = 0;  // writes too large for its buff-in, or while it was offline
    std::uint32_t logins = 0;
  } stats;

  [[nodiscard]] bool online() const { return connection != nullptr; }
  [[nodiscard]] const std::string& token() const { return spec.token; }
  [[nodiscard]] const std::string& name() const { return spec.name; }
};

// A notification or event a device sent (NOTIFY, EMAIL, TWEET, SMS, EVENT_LOG, EVENT_CLEAR).
struct CloudEvent {
  std::uint64_t seq = 0;     // 1, 2, ... in arrival order
  std::int64_t unix_ms = 0;  // wall clock
  std::string device;        // the device's name
  std::string token;
  std::string kind;    // notify, email, tweet, sms, log_event, event_clear
  std::string text;    // the body, fields joined by " | "
  std::string status;  // "ok", or why it was refused ("quota: one notification per 5 s")
};

// One entry of the change feed the dashboard follows (dashboard.hpp): a pin value or property written, a
// device coming online or going offline, an event recorded.
struct Change {
  enum class Kind { value, property, online, offline, event };
  std::uint64_t seq = 0;     // 1, 2, ... in order
  std::int64_t unix_ms = 0;  // wall clock, as given by the caller (0 when unknown)
  Kind kind = Kind::value;
  const Device* device = nullptr;  // devices are never removed: the pointer stays valid
  PinRef pin{};                    // value, property
  std::string name{};              // property: its name
  std::string raw{};               // value, property: fields NUL-joined
  std::uint64_t event_seq = 0;     // event: CloudEvent::seq
};

class Store {
 public:
  static constexpr std::size_t kMaxEvents = 1000;   // the oldest are dropped beyond this
  static constexpr std::size_t kMaxChanges = 4096;  // the change feed's length (the oldest are dropped)

  // Adds a device; an empty token is generated. nullptr if the token is already taken.
  Device* add(DeviceSpec spec);
  // Adds every device of a project (tokens must be new: false and `error` set otherwise).
  bool add_project(const Project& project, std::string& error);
  [[nodiscard]] Device* find(std::string_view token);
  [[nodiscard]] const std::vector<std::unique_ptr<Device>>& devices() const { return devices_; }

  // Both mark the store dirty only when something changed (a rewrite of the same value costs no save).
  void set_value(Device& d, PinRef pin, std::string_view raw);
  // Widget properties are bounded, so the state file and a device's JSON stay small whatever a client sends:
  // a name of at most kMaxPropertyName characters, kMaxPropertiesPerDevice names per device. Over either:
  // false and `why` says which (nothing stored); replacing a known name always works.
  static constexpr std::size_t kMaxPropertyName = 32;
  static constexpr std::size_t kMaxPropertiesPerDevice = 256;
  bool set_property(Device& d, PinRef pin, std::string_view name, std::string_view raw, std::string& why);
  void record(CloudEvent e);
  [[nodiscard]] const std::deque<CloudEvent>& events() const { return events_; }
  // The device's connection came or went (Cloud::attach / detach).
  void note_online(const Device& d, bool online);

  // The change feed: the latest kMaxChanges changes, oldest first; `on_change` runs after each one (the
  // cloud wakes the dashboard's streams with it).
  [[nodiscard]] const std::deque<Change>& changes() const { return changes_; }
  [[nodiscard]] std::uint64_t last_change() const { return next_change_ - 1; }
  void set_change_hook(std::function<void()> on_change) { on_change_ = std::move(on_change); }
  // The wall clock the feed stamps changes with (the cloud sets it; tests may leave it at 0).
  void set_clock(std::function<std::int64_t()> unix_ms) { unix_ms_ = std::move(unix_ms); }

  // True when values changed since the last save().
  [[nodiscard]] bool dirty() const { return dirty_; }
  // Writes the state file atomically (temporary file + rename). False with `error` on failure.
  bool save(const std::string& path, std::string& error);
  // Reads a state file written by save(): devices it lists that are not known yet are added, values and
  // properties replace the project's. A missing file is fine (true). False with "file:line: reason"
  // otherwise.
  bool load(const std::string& path, std::string& error);
  // The same from the file's text; `name` prefixes the error ("name:line: reason"). Fuzzed
  // (tests/fuzz/state_file_fuzz.cpp).
  bool load_text(std::string_view text, const std::string& name, std::string& error);

  // 32 random characters of A-Z a-z 0-9, as the Blynk console makes them.
  [[nodiscard]] static std::string generate_token();

 private:
  std::vector<std::unique_ptr<Device>> devices_;
  std::unordered_map<std::string, Device*> by_token_;
  std::deque<CloudEvent> events_;
  std::uint64_t next_seq_ = 1;
  std::deque<Change> changes_;
  std::uint64_t next_change_ = 1;
  std::function<void()> on_change_;
  std::function<std::int64_t()> unix_ms_;
  bool dirty_ = false;

  void push(Change c);
};

// "a\0b" -> {"a", "b"}; "" -> {}. And back.
[[nodiscard]] std::vector<std::string> split_fields(std::string_view raw);
[[nodiscard]] std::string join_fields(const std::vector<std::string>& fields);

// A Blynk message body written by blynk::BodyWriter: `fields`, then `stored` (a stored value, its fields
// NUL-separated already) when given: blynk_body({"vw", 5}, "a\0b") is "vw\05\0a\0b". Errc::invalid_argument
// for a field the protocol cannot carry (text with a NUL, NaN). O(size of the body).
[[nodiscard]] Result<std::string> blynk_body(const std::vector<blynk::Value>& fields,
                                             std::optional<std::string_view> stored = std::nullopt);

}  // namespace weft::cloud
