// Wlan: the ESP8266's two Wi-Fi interfaces, MicroPython-shaped (network.WLAN, seed 003), with awaitables
// instead of `while not isconnected(): sleep(1)`.
//
//   weft::net::Wlan sta(weft::net::Interface::station);          // after the Loop exists
//   sta.active(true);
//   weft::Status s = co_await sta.connect("HomeAP", "secret", weft::sec(15));
//   if (!s) log("%s (%s)", to_string(s.error()), to_string(sta.status()));   // e.g. wrong password
//
//   sta.auto_reconnect({});                                        // retry with backoff when the link drops
//   co_await sta.wait_connected();                                 // elsewhere: until the link is up
//
// Connection lifecycle (status(), the values of MicroPython's STAT_*):
//   idle --begin_connect--> connecting --> got_ip | wrong_password | no_ap_found | connect_fail
//   got_ip --AP lost--> idle (and, with auto_reconnect, connecting again after the backoff delay)
//   any --disconnect()--> idle (auto-reconnect stops)
// The board reports each change (Wlan::station_changed, in loop context); every Wlan handle of the interface
// updates its events. Use one handle per interface (two handles with auto_reconnect both retry).
//
// A Wlan must be created after the Loop and destroyed before it (it owns a Timer and Events on it).
// Cost: nothing per loop pass; status() and friends are port calls; no allocation.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/event.hpp"
#include "core/timer.hpp"
#include "core/wait_for.hpp"
#include "io/endpoint.hpp"

namespace weft::net {

enum class Interface : std::uint8_t { station = 0, access_point = 1 };  // STA_IF, AP_IF

enum class WlanStatus : std::uint8_t {
  idle = 0,            // not connected, not trying
  connecting = 1,      // an attempt is in progress
  wrong_password = 2,  // the AP rejected the password
  no_ap_found = 3,     // no AP with that SSID answered
  connect_fail = 4,    // any other failure
  got_ip = 5,          // connected, with an address
};
[[nodiscard]] const char* to_string(WlanStatus s);

enum class AuthMode : std::uint8_t { open = 0, wep = 1, wpa_psk = 2, wpa2_psk = 3, wpa_wpa2_psk = 4 };
[[nodiscard]] const char* to_string(AuthMode a);

using Mac = std::array<std::uint8_t, 6>;

// One network seen by scan() (MicroPython's tuple: ssid, bssid, channel, RSSI, authmode, hidden).
struct ScanResult {
  char ssid[33] = {};
  Mac bssid{};
  int channel = 0;
  int rssi = 0;  // dBm
  AuthMode auth = AuthMode::open;
  bool hidden = false;
};

// ip, netmask, gateway, DNS server (MicroPython's ifconfig() tuple). All 0.0.0.0 when not connected.
struct IfConfig {
  IpAddress ip, netmask, gateway, dns;
};

// Auto-reconnect delays: first, then times `factor` per failed attempt, capped at `max`; reset on got_ip.
struct Backoff {
  Micros first = Micros{1000} * 1000;
  Micros max = Micros{60} * 1000 * 1000;
  unsigned factor = 2;
};

class Wlan {
 public:
  static constexpr std::size_t kMaxSsid = 32;
  static constexpr std::size_t kMinPassword = 8;   // WPA passphrase; "" is an open network
  static constexpr std::size_t kMaxPassword = 64;  // 63 characters, or 64 hex digits of a raw key

  explicit Wlan(Interface iface, Loop& loop = Loop::current());
  ~Wlan();
  Wlan(const Wlan&) = delete;
  Wlan& operator=(const Wlan&) = delete;

  [[nodiscard]] Interface interface() const { return iface_; }
  [[nodiscard]] bool active() const;
  // Turns the interface on or off (station off: disconnects, auto-reconnect stops).
  void active(bool on);

  // --- Station ---
  // Starts connecting and returns at once, like MicroPython's connect(). Errc::invalid_argument (logged):
  // not the station, station not active, SSID not 1..32 bytes, password not "" or 8..64 characters.
  Status begin_connect(std::string_view ssid, std::string_view password);

  class [[nodiscard]] ConnectAwaiter {
   public:
    ConnectAwaiter(Wlan& w, Errc early, Micros timeout)
        : w_(&w), early_(early), wait_(w.attempt_done_.wait(), timeout) {}
    [[nodiscard]] bool await_ready() { return early_ != Errc::ok || wait_.await_ready(); }
    bool await_suspend(std::coroutine_handle<> h) { return wait_.await_suspend(h); }
    Status await_resume();

   private:
    Wlan* w_;
    Errc early_;
    WaitFor<Event::Awaiter> wait_;
  };
  // begin_connect, then waits for that attempt's outcome. Status: ok (got_ip); Errc::refused (wrong
  // password); Errc::unreachable (no AP found); Errc::io_error (connect fail); Errc::closed (disconnect()
  // meanwhile); Errc::timed_out; Errc::cancelled; begin_connect's errors. status() has the details. The
  // attempt starts when connect() is called, and a timeout or cancel does not stop it (the chip keeps trying,
  // as MicroPython's does): call disconnect() to give up.
  ConnectAwaiter connect(std::string_view ssid, std::string_view password,
                         Micros timeout = Micros{30} * 1000 * 1000);

  // Waits until the station has an IP address (at once if it has). Status: ok, Errc::timed_out,
  // Errc::cancelled. Cancel-safe.
  [[nodiscard]] WaitFor<Event::Awaiter> wait_connected(Micros timeout = kForever);

  [[nodiscard]] bool isconnected() const { return status() == WlanStatus::got_ip; }
  [[nodiscard]] WlanStatus status() const;
  // Signal strength of the current AP in dBm (0 when not connected).
  [[nodiscard]] int rssi() const;
  void disconnect();

  // From now on a lost link or a failed attempt (after begin_connect/connect) is retried after the backoff
  // delay until got_ip or disconnect().
  void auto_reconnect(Backoff policy);
  void auto_reconnect_off();
  // Attempts started by auto-reconnect so far.
  [[nodiscard]] std::uint32_t reconnect_attempts() const { return reconnects_; }

  class [[nodiscard]] ScanAwaiter {
   public:
    ScanAwaiter(Wlan& w, Errc early, Micros timeout)
        : w_(&w), early_(early), wait_(w.scan_done_.wait(), timeout) {}
    [[nodiscard]] bool await_ready() { return early_ != Errc::ok || wait_.await_ready(); }
    bool await_suspend(std::coroutine_handle<> h) { return wait_.await_suspend(h); }
    Result<std::size_t> await_resume();

   private:
    Wlan* w_;
    Errc early_;
    WaitFor<Event::Awaiter> wait_;
  };
  // Scans for networks (a couple of seconds on the chip) into `out`; gives how many were written (more are
  // dropped when `out` is short). Errors: Errc::invalid_argument (not the station, or not active),
  // Errc::busy (a scan is already running), Errc::timed_out (after 10 s), Errc::cancelled. `out` must stay
  // valid until the await ends.
  ScanAwaiter scan(std::span<ScanResult> out);

  // --- Both interfaces ---
  [[nodiscard]] IfConfig ifconfig() const;
  [[nodiscard]] Mac mac() const;
  // Access point: its network name. Station: the SSID it connects to ("" if none).
  [[nodiscard]] const char* essid() const;
  // Access point only: sets its network name and password ("" = open). Errc::invalid_argument (logged) on
  // the station or for a bad name/password.
  Status config(std::string_view essid, std::string_view password);

  // --- Board side (loop context) ---
  // The station's status changed: every station handle re-reads it.
  static void station_changed();
  // A scan finished: the handle that asked copies the results.
  static void scan_done(std::span<const ScanResult> results);

 private:
  void on_status(WlanStatus s);
  void start_attempt();
  void start_attempt_after_backoff();
  void finish_attempt(WlanStatus s);
  void schedule_retry();
  [[nodiscard]] bool check_station(const char* what) const;

  Interface iface_;
  Wlan* next_ = nullptr;  // registry of live handles
  Event connected_;
  Event attempt_done_;
  Event scan_done_;
  Timer retry_;
  std::span<ScanResult> scan_out_;
  std::size_t scan_count_ = 0;
  bool scanning_ = false;
  bool attempt_open_ = false;
  bool want_connected_ = false;
  bool auto_reconnect_ = false;
  WlanStatus outcome_ = WlanStatus::idle;
  Backoff backoff_;
  Micros next_delay_ = 0;
  std::uint32_t reconnects_ = 0;
  char ssid_[kMaxSsid + 1] = {};
  char password_[kMaxPassword + 1] = {};
};

}  // namespace weft::net
