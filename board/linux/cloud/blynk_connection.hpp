// BlynkConnection: one device's connection to the local cloud, seen from the server: a reader that parses
// frames (the codec's FrameParser) and acts on them, and a writer that sends what is queued for the device
// (answers, app writes, bridged writes, syncs) — two tasks that end together.
//
// What the cloud does with each frame (docs/blynk-protocol.md):
//   before login   HW_LOGIN / LOGIN token -> RESPONSE 200, then HARDWARE `pm` for the device's physical
//                  widgets; unknown or malformed token -> INVALID_TOKEN (9) and close; a device with a
//                  `redirect` -> REDIRECT and close; anything else -> close. No login in login_timeout:
//                  close.
//   PING           RESPONSE 200
//   INTERNAL       info (`ver\0..\0h-beat\0..\0buff-in\0..`) -> stored, RESPONSE 200; `rtc\0sync` -> INTERNAL
//                  `rtc\0<epoch s>` with the same id; other ops are logged and ignored
//   HARDWARE       vw/dw/aw -> the pin's value is stored (REST get, sync); malformed -> ILLEGAL_COMMAND_BODY;
//                  unknown op -> ILLEGAL_COMMAND
//   HARDWARE_SYNC  empty: every stored value comes back as HARDWARE writes (same id); `vr\0p..`: those pins
//   BRIDGE         `b\0i\0token` binds channel b -> RESPONSE 200 (9 for an unknown token); `b\0vw\0pin\0v..`
//                  -> HARDWARE to the target (stored there too); 6 NOT_ALLOWED for an unbound channel,
//                  7 DEVICE_NOT_IN_NETWORK when the target is offline
//   PROPERTY       stored -> RESPONSE 200; NOTIFY EMAIL TWEET SMS EVENT_LOG EVENT_CLEAR -> recorded, logged,
//                  RESPONSE 200 (13 for a bad body, QUOTA_LIMIT for a NOTIFY within notify_interval)
//   GROUP          accepted silently; RESPONSE from the device: logged when not 200; others ->
//   ILLEGAL_COMMAND
// Widgets with a `poll` period are read as the phone app reads them: HARDWARE `vr` (`dr`, `ar`) every period
// while the device is online; its answers are stored like any write (a third task).
// Every message after login but PING, INTERNAL and RESPONSE counts against the device's quota.
// Deadlines count whole frames, never single reads: login within login_timeout of the connection's start
// (however the bytes trickle in); after login, no whole frame for idle_factor x h-beat -> disconnected.
// Everything sent (answers included) goes through one queue capped at max_queued bytes: beyond, dropped. A
// body over max_body, or id 0 -> closed.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "blynk/codec.hpp"
#include "core/event.hpp"
#include "core/task.hpp"
#include "peer_stream.hpp"
#include "pin_ref.hpp"

namespace weft::cloud {

class Cloud;
struct Device;

class BlynkConnection {
 public:
  BlynkConnection(Cloud& cloud, PeerStream& stream, std::string peer);
  BlynkConnection(const BlynkConnection&) = delete;
  BlynkConnection& operator=(const BlynkConnection&) = delete;

  // Serves until the connection ends; `initial`: bytes already read from the stream.
  [[nodiscard]] Task<> serve(std::string initial);

  // Queues a frame for the device. Over CloudOptions::max_queued waiting bytes the device is dropped.
  void send(blynk::Command command, std::uint16_t id, std::string_view body);
  void send_response(std::uint16_t id, blynk::StatusCode status);
  [[nodiscard]] std::uint16_t next_id() { return ids_.next(); }
  // Drops the connection at once (queued bytes are lost), logging `why`.
  void close(const char* why);
  // Stops reading; the queued frames are sent, then the connection closes.
  void close_after_flush() { closing_ = true; }

  [[nodiscard]] std::size_t buff_in() const { return buff_in_; }
  // The legacy server's rule: a message reaches a device only when header + body fit the buff-in it announced.
  [[nodiscard]] bool fits_buff_in(std::size_t body) const { return blynk::header_size + body <= buff_in_; }
  [[nodiscard]] const std::string& peer() const { return peer_; }

 private:
  Task<> read_loop(std::string initial);
  Task<> write_loop();
  Task<> poll_loop();
  bool consume(std::string_view input);  // false: stop reading
  void on_frame(const blynk::Frame& f);
  void on_login(const blynk::Frame& f);
  void on_info(const blynk::Frame& f);
  void on_internal(const blynk::Frame& f);
  void on_hardware(const blynk::Frame& f);
  void on_sync(const blynk::Frame& f);
  void on_bridge(const blynk::Frame& f);
  void on_property(const blynk::Frame& f);
  void on_notification(const blynk::Frame& f);
  bool within_quota(const blynk::Frame& f);
  void enqueue(blynk::FrameHeader header, std::string_view body);
  void send_pin_modes();
  void send_value(std::uint16_t id, PinRef pin, const std::string& raw);
  [[nodiscard]] const char* who() const { return who_.c_str(); }

  Cloud& cloud_;
  PeerStream& stream_;
  std::string peer_;
  std::string who_;  // for log lines: "device 'Living room'" once logged in, else the peer's address
  std::vector<char> body_buffer_;
  blynk::FrameParser parser_;
  blynk::MessageIdGenerator ids_;
  Device* device_ = nullptr;  // set at login
  std::string tx_;            // queued for the device
  std::string sending_;       // being written
  Event tx_ready_;
  Event changed_;  // logged in, or closing: the poll loop re-plans
  std::size_t buff_in_;
  Micros idle_timeout_;       // login_timeout until login, then idle_factor x h-beat
  Micros last_frame_at_ = 0;  // the connection's start until login, then the last whole frame
  double quota_ = 0;          // messages per second
  double quota_tokens_ = 0;   // token bucket, refilled at quota_ per second up to quota_
  Micros quota_at_ = 0;
  Micros quota_notice_at_ = -1;
  Micros notify_at_ = -1;
  std::map<int, std::string> bridges_;  // channel pin -> target token
  bool closing_ = false;
  bool logged_in_ = false;
};

}  // namespace weft::cloud
