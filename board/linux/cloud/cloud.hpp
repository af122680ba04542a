// Cloud: the local Blynk server — the Blynk hardware protocol for devices and a REST API for people and tests
// (curl plays the phone app), on weft's own loop and sockets. The default cloud of the simulation; it serves
// real devices too (README.md in this directory, the program is weft-cloud).
//
//   weft::cloud::Store store;                     // devices, pin values, events
//   store.add({.name = "demo", .token = token});
//   weft::cloud::Cloud cloud(store, {.port = 0});  // port 0: a free one
//   if (!cloud.start()) ...;                       // listens at once: blynk_endpoint() / http_endpoint()
//   loop.spawn(cloud.run(), "cloud");              // serves until stop()
//
// Tasks: run() spawns one accept task per listener and one task per connection (a reader and a writer for
// a device; request after request for HTTP). stop() closes the listeners and every connection; run() returns
// once all of them have ended (and the state file is saved). Everything happens on the loop that runs run():
// Store and Cloud are single-threaded.
//
// Ports: by default one port serves both protocols, as the legacy Blynk server's 8080 did: a connection whose
// first byte is an upper-case letter is HTTP ("GET ..."), anything else is the Blynk protocol (a login frame
// starts with byte 29 or 2). Give http_port to serve HTTP on a port of its own.
//
// TLS: with tls_port and tls_identity, a third listener serves both protocols over TLS (the legacy server's
// 9443, Blynk IoT's 443): the handshake (server side of TlsStream, within login_timeout) comes first, then the
// same sniffing, the same handlers and the same rules (Host check, admin key) as in plain text.
//
// Server rules, as the real service applies them (blynk_connection.hpp has the details):
//   unknown or malformed token -> RESPONSE INVALID_TOKEN (9) and the connection is closed
//   nothing received for idle_factor x the device's h-beat -> disconnected
//   more than the device's quota of messages per second -> dropped, RESPONSE QUOTA_LIMIT (at most once per
//     quota_notice_interval)
//   a write to a device larger than the buff-in it announced -> not forwarded (logged; REST answers 400)
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "blynk/hardware.hpp"
#include "blynk/protocol.hpp"
#include "core/event.hpp"
#include "core/task.hpp"
#include "core/time.hpp"
#include "http_request.hpp"
#include "io/endpoint.hpp"
#include "io/socket_port.hpp"
#include "io/tcp_listener.hpp"
#include "login_throttle.hpp"
#include "net/tls/tls_identity.hpp"
#include "peer_stream.hpp"
#include "store.hpp"

namespace weft::cloud {

struct CloudOptions {
  IpAddress address = IpAddress::loopback_v4();    // 0.0.0.0 to serve devices on the network
  std::uint16_t port = 8080;                       // the Blynk protocol (and HTTP, unless http_port is set)
  std::optional<std::uint16_t> http_port{};        // HTTP on its own port (0: a free one)
  std::optional<std::uint16_t> tls_port{};         // the Blynk protocol and HTTPS over TLS (0: a free one)
  const net::TlsIdentity* tls_identity = nullptr;  // shown on tls_port; must outlive the cloud
  bool http = true;                                // false: no REST API at all
  int backlog = 1024;
  // Open connections (Blynk and HTTP) at most: beyond, a new one is closed at once, with a log line every 10
  // s. Keeps a flood of idle connections from taking the memory and descriptors of the devices already
  // online.
  std::size_t max_connections = 1024;

  // Rules.
  double quota_per_second = 100;           // messages per device per second (the project may set its own)
  Micros quota_notice_interval = sec(60);  // QUOTA_LIMIT is sent at most this often per device
  double idle_factor = 2.3;                // disconnect after this many heartbeats of silence
  unsigned default_heartbeat_s = 45;       // until the device announces its h-beat
  Micros login_timeout = sec(10);          // a connection must log in within this
  Micros notify_interval = sec(5);         // NOTIFY more often than this: QUOTA_LIMIT (0: no limit)
  std::size_t max_body = 4096;             // the largest body accepted from a device (larger: disconnected)
  std::size_t default_buff_in = 256;       // what a device accepts until it announces buff-in
  std::size_t max_queued = 1 << 20;        // bytes waiting for a device that does not read: beyond, dropped
  Micros write_timeout = sec(10);          // a send that makes no progress this long drops the connection
  bool auto_register = false;              // unknown well-formed tokens become new devices instead of 9
  double failed_login_burst = 10;          // failed logins an address may make at once ...
  double failed_logins_per_second = 2;     // ... then this many a second; over: logins refused unchecked

  // HTTP.
  HttpLimits http_limits{};
  Micros http_idle_timeout = sec(30);  // an idle keep-alive connection is closed
  Micros http_request_timeout =
      sec(10);  // a request must arrive whole within this (from its first byte): 408
  // Security (http_access.hpp): the key that lists every device and event (empty: start() makes a random
  // one), and the names besides localhost and IP literals that a request's Host may carry.
  std::string admin_key{};
  std::vector<std::string> host_names{};

  // The dashboard (dashboard.hpp; its API needs the admin key): its files (index.html, dashboard.js,
  // dashboard.css); "" = no dashboard.
  std::string dashboard_dir{};
  // Loopback control channels of simulated boards the dashboard may drive: device token -> "HOST:PORT"
  // (more are attached at run time with POST /api/attach/{token}).
  std::map<std::string, std::string> boards{};

  // Persistence: "" = none.
  std::string state_file{};
  Micros save_interval = sec(1);
};

class BlynkConnection;

class Cloud {
 public:
  Cloud(Store& store, CloudOptions options, SocketPort& sockets = default_socket_port());
  ~Cloud();
  Cloud(const Cloud&) = delete;
  Cloud& operator=(const Cloud&) = delete;

  // Opens the listeners (no waiting). Errors: io_error (address in use, no permission: logged),
  // invalid_argument (tls_port without a ready tls_identity: logged).
  Status start();
  // Serves until stop(); returns after every connection ended and the state was saved.
  [[nodiscard]] Task<> run();
  // Closes the listeners and every connection (loop context). run() then winds down.
  void stop();

  [[nodiscard]] Endpoint blynk_endpoint() const { return blynk_at_; }
  // The REST API's address (the same as blynk_endpoint() when one port serves both).
  [[nodiscard]] Endpoint http_endpoint() const { return http_at_; }
  // The TLS listener's address (port 0 when there is none).
  [[nodiscard]] Endpoint tls_endpoint() const { return tls_at_; }
  [[nodiscard]] Store& store() { return store_; }
  [[nodiscard]] const CloudOptions& options() const { return options_; }
  [[nodiscard]] CloudOptions& options() { return options_; }
  // True once stop() was called: long-lived responses (the dashboard's stream) end.
  [[nodiscard]] bool stopping() const { return stopped_; }
  // Set and cleared at each change of the store (Store::changes()) and at stop(): wait() for the next one.
  [[nodiscard]] Event& changed() { return changed_; }

  // ---- What the phone app (the REST API) does ----
  // Stores the value of `pin` and sends it to the device when it is online (vw/dw/aw). Errors, with `why`:
  // too_large (over the device's buff-in: stored, not sent).
  Status app_write(Device& d, PinRef pin, std::string_view raw_fields, std::string& why);
  // Sends REDIRECT host:port to the device and closes its connection once sent. closed if it is offline,
  // invalid_argument for a host with a NUL (nothing sent).
  Status redirect(Device& d, std::string_view host, std::uint16_t port);
  // Drops the device's connection (it will reconnect). closed if it is offline.
  Status disconnect(Device& d);

  // ---- For connections ----
  // Delivers HARDWARE `op\0pin\0fields` to the device (not stored). closed when offline, too_large over its
  // buff-in; both logged and counted in its stats.
  // As HARDWARE with a fresh id; a bridged write as BRIDGE with the sender's id (`command`, `id`), as the
  // legacy server does.
  Status deliver(Device& d, blynk::HardwareOp op, std::uint8_t pin, std::string_view raw_fields,
                 blynk::Command command = blynk::Command::hardware, std::uint16_t id = 0);
  void attach(Device& d, BlynkConnection& c);  // a login: an earlier connection of the device is dropped
  void detach(Device& d, BlynkConnection& c);
  [[nodiscard]] std::int64_t unix_ms() const;
  // Failed logins per peer address (login_throttle.hpp). login_allowed() logs refusals (once per 10 s).
  [[nodiscard]] bool login_allowed(std::string_view peer);
  void login_failed(std::string_view peer);

 private:
  // How a listener's connections are served.
  struct Serving {
    bool sniff;      // the first byte tells HTTP from the Blynk protocol
    bool http_only;  // without sniffing: HTTP (else Blynk)
    bool tls;        // a TLS handshake first
  };
  Status listen(TcpListener& listener, std::uint16_t port, Endpoint& at);
  Task<> accept_loop(TcpListener& listener, Serving how);
  Task<> serve(TcpStream tcp, Serving how);
  Task<> saver();
  bool spawn_counted(Task<> task, const char* name);
  void task_ended();
  void save();
  void pulse_changed();

  Store& store_;
  CloudOptions options_;
  SocketPort& sockets_;
  TcpListener blynk_listener_;
  TcpListener http_listener_;
  TcpListener tls_listener_;
  Endpoint blynk_at_;
  Endpoint http_at_;
  Endpoint tls_at_;
  std::unordered_set<PeerStream*> streams_;           // every open connection, closed at stop()
  std::unordered_set<BlynkConnection*> connections_;  // the Blynk ones among them
  std::size_t tasks_ = 0;                             // accept loops, connections, saver
  Event stopping_;
  Event idle_;     // set when tasks_ drops to 0 after stop()
  Event changed_;  // pulsed per change of the store
  bool stopped_ = false;
  LoginThrottle login_throttle_;
  std::uint64_t logins_refused_ = 0;
  Micros login_notice_at_ = -1;
  std::size_t open_ = 0;       // connections accepted and not yet ended
  std::uint64_t refused_ = 0;  // connections refused over max_connections
  Micros refused_notice_at_ = -1;
};

}  // namespace weft::cloud
