// Session: a Blynk device connection as one task among others, plus the device API around it. Use it through
// Client<Limits> (client.hpp), which owns the buffers; everything here is what a Client offers.
//
//   weft::blynk::Blynk blynk({.token = kToken, .template_id = "TMPL4abc123"});
//   blynk.on_write(1, [](int, Values v) { led.value(v.as_int().value_or(0)); });
//   loop.spawn(blynk.run(), "blynk");          // connects, logs in, keeps the link alive, reconnects
//   ... blynk.virtual_write(5, temperature);    // from any task or timer: never waits
//
// Life of run() (the session task), with the State it shows:
//
//   idle --connect()--> connecting --TCP up--> logging_in --200/4--> connected
//     ^                   |                      |  |  REDIRECT: to the new address at once
//     |                   v                      v  v  9 INVALID_TOKEN --> auth_failed (till connect())
//     +--disconnect()-- waiting (backoff: retry_min .. retry_max, jittered) <-- any failure / lost link
//
// run() starts connecting at once (like the official Blynk.begin); disconnect() parks it in `idle`.
// While connected, run() itself is the reader and a child task it spawns is the writer; the first to end
// ends the connection (the writer closes the transport, which ends the read; the reader cancels the writer):
// Files: session.cpp (this task), dispatcher.cpp (process()), handlers.cpp (on_write...), device_api.cpp.
//   reader  reads, reassembles frames (FrameParser), dispatches them: handlers, answers to vr/dr/ar/PING,
//           ILLEGAL_COMMAND to unknown commands, login answer, REDIRECT, acon/adis, rtc
//   writer  sends the login, then the info message; drains the outbox at the rate limit; pings after
//           `heartbeat` of silence; declares the link dead after heartbeat + 3 x response_timeout with
//           nothing received, or when the login is not answered in login_timeout, or a write stalls
//           write_timeout
// Memory: the two tasks' frames live in the frame arena while connected; a pending read or write is an
// awaiter inside them (over TCP no frame of its own; a TLS read or write adds one: transport.hpp).
// Who wakes whom: API calls (virtual_write, ...) only queue into the Outbox and set the writer's wake event;
// the reader appends answers to the send buffer (waiting for room when a `vr` answer might not fit).
//
// Nothing blocks: every API call returns at once with a Status. Errors are returned AND logged with what to
// fix (a pin out of range, a value too long for the send buffer, a full outbox): never a silent drop.
// Cancelling run() closes the connection and ends both children; the Session can run() again later.
//
// Flood protection: the Outbox is bounded and coalesces per pin (only the latest value waits); the writer
// sends at most send_burst back to back and one per send_interval on average. Values written while offline
// wait in the outbox and go out after the next login (the latest value of each pin).
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "backoff.hpp"
#include "config.hpp"
#include "core/callback.hpp"
#include "core/event.hpp"
#include "core/task.hpp"
#include "frame_parser.hpp"
#include "frame_writer.hpp"
#include "handler.hpp"
#include "internal_message.hpp"
#include "message.hpp"
#include "message_id.hpp"
#include "outbox.hpp"
#include "physical_pins.hpp"
#include "pin_table.hpp"
#include "rate_limiter.hpp"
#include "transport.hpp"
#include "values.hpp"

namespace weft::blynk {

class Session;

// A listener on the session's life (Bridge is one): told after every login, and when the session is destroyed
// first. Register with Session::add_hook(); remove with remove_hook() before the hook goes away.
class SessionHook {
 public:
  virtual void logged_in() = 0;      // right after the info message; may queue messages (they go first)
  virtual void session_ended() = 0;  // the session is being destroyed: forget it
 protected:
  SessionHook() = default;
  virtual ~SessionHook() = default;
  SessionHook(const SessionHook&) = delete;
  SessionHook& operator=(const SessionHook&) = delete;

 private:
  friend class Session;  // the list node
  SessionHook* next_ = nullptr;
};

// The memory a Session works in (Client<Limits> owns it).
struct SessionBuffers {
  std::span<char> rx;       // one socket read
  std::span<char> body;     // reassembly of split bodies: its size is the buff-in announced to the server
  std::span<char> tx;       // frames being sent: its size is the largest frame the device sends
  std::span<char> outbox;   // queued messages (Outbox)
  std::span<PinSlot> pins;  // pin handlers
};

// INTERNAL messages the session does not consume itself: rtc / utc answers, ota, meta, unknown ones.
using InternalHandler = Handler<void(std::string_view op, Values args)>;

class Session {
 public:
  Session(const Config& config, Transport& transport, const SessionBuffers& buffers);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // ======================================= The task ========================================================
  // The session: spawn it (loop.spawn(blynk.run(), "blynk")). Returns only when cancelled (Errc::cancelled),
  // on a bad Config (Errc::invalid_argument, logged, nothing sent), or when already running (Errc::busy).
  [[nodiscard]] Task<Status> run();

  // ======================================= Control =========================================================
  // Go online: leaves idle / auth_failed, or cuts a backoff wait short. No-op while connecting or connected.
  void connect();
  // Go offline and stay so until connect(): closes the connection (on_disconnected gets `user`).
  void disconnect();
  [[nodiscard]] bool connected() const { return state_ == State::connected; }
  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] DisconnectReason last_disconnect() const { return last_disconnect_; }
  [[nodiscard]] bool app_connected() const { return app_connected_; }
  // Changes the token (takes effect at the next login; call connect() after an auth failure).
  // Errc::invalid_argument (logged) if it is not 32 characters of A-Z a-z 0-9 - _.
  Status set_token(std::string_view token);
  // Changes the server (next connection). Errc::invalid_argument for an empty host or port 0.
  Status set_server(std::string_view host, std::uint16_t port);
  [[nodiscard]] const Config& config() const { return config_; }
  // For tasks: `co_await blynk.wait_connected();` returns at once when connected (Status: ok / cancelled).
  [[nodiscard]] Event::Awaiter wait_connected() { return connected_event_.wait(); }

  // ======================================= Events ==========================================================
  void on_connected(Callback h) { on_connected_ = h; }  // logged in (after the info message)
  void on_disconnected(Handler<void(DisconnectReason)> h) { on_disconnected_ = h; }  // a login-ed link ended
  void on_app_connected(Callback h) { on_app_connected_ = h; }        // acon: a phone app opened the project
  void on_app_disconnected(Callback h) { on_app_disconnected_ = h; }  // adis
  void on_internal(InternalHandler h) { on_internal_ = h; }           // rtc, utc, ota, meta... (see above)
  // Every change of state() while run() runs (not the final one when run() ends), and the server's refusal of
  // the token: the session then stays in auth_failed, sending nothing, until set_token() and connect(). Both
  // run in the session task; they may call the session's control functions.
  void on_state_changed(Handler<void(State)> h) { on_state_changed_ = h; }
  void on_auth_failed(Callback h) { on_auth_failed_ = h; }

  // ======================================= App -> device ===================================================
  // Virtual pins 0..255. A handler replaces the pin's earlier one. Errors (logged): invalid_argument (pin out
  // of range), no_memory (the handler table is full: raise Limits::handlers).
  Status on_write(int pin, WriteHandler h);
  Status on_read(int pin, ReadHandler h);
  Status on_write_any(WriteHandler h);  // every virtual pin without a handler of its own ('write V*')
  Status on_read_any(ReadHandler h);    // 'read V*'
  // pblynk's add_virtual_pin(pin, read=, write=, initial_state): the callbacks get your state by reference;
  // the session keeps a pointer to it (no copy): `state` must outlive the session. Either callback may be
  // null.
  template <typename UserState>
  Status add_virtual_pin(int pin, UserState& state, void (*read)(int pin, UserState& state, Reply& reply),
                         void (*write)(int pin, Values values, UserState& state) = nullptr);
  // pblynk's add_digital_hw_pin(pin, read=, write=): the app's `dr` / `dw` on a physical pin (0..255) go to
  // these instead of GpioAuto. read answers with reply.write(level).
  Status add_digital_hw_pin(int pin, ReadHandler read, WriteHandler write);
  // Serves `pm`/`dw`/`dr`/`aw`/`ar` for pins without handlers (GpioAuto does this; nullptr: ignore them).
  void set_physical_pins(PhysicalPins* pins) { physical_ = pins; }

  // ======================================= Device -> server ================================================
  // Every call queues one message and returns at once, so they read as statements (blynk.virtual_write(5, t);):
  // ok, or (logged, counted in stats().refused, nothing queued)
  //   invalid_argument  a pin out of range, NaN/infinity, a NUL inside a text, an empty required text
  //   too_large         the message would exceed the send buffer (Limits::tx_buffer bytes per frame)
  //   busy              the outbox is full (offline for long, or writing faster than the rate limit)
  // Values: ints, floats, strings, bools, Values (several = a multi-value write, e.g. for a map or a chart).
  template <field_value V, field_value... Vs>
  Status virtual_write(int pin, const V& first, const Vs&... rest) {
    const Value list[] = {Value(first), Value(rest)...};
    return virtual_write(pin, std::span<const Value>(list));
  }
  Status virtual_write(int pin, std::span<const Value> values);
  // Asks the server to send the current values again (they arrive as app writes: your on_write handlers).
  Status sync_all();
  Status sync_virtual(std::span<const int> pins);
  Status sync_virtual(std::initializer_list<int> pins) {
    return sync_virtual(std::span<const int>(pins.begin(), pins.size()));
  }
  // Widget properties: set_property(5, "color", "#D3435C"), set_property(5, "labels", "a", "b").
  template <field_value V, field_value... Vs>
  Status set_property(int pin, std::string_view name, const V& first, const Vs&... rest) {
    const Value list[] = {Value(first), Value(rest)...};
    return set_property(pin, name, std::span<const Value>(list));
  }
  Status set_property(int pin, std::string_view name, std::span<const Value> values);
  Status notify(std::string_view text);  // push notification, 1..255 characters
  Status tweet(std::string_view text);   // 1..140 characters
  Status sms(std::string_view text);
  Status email(std::string_view to, std::string_view subject, std::string_view body);
  Status email(std::string_view subject, std::string_view body);  // to the account's address
  // Blynk IoT events (the console's "Events"): log_event("overheat"), log_event("overheat", "81 C").
  Status log_event(std::string_view code);
  Status log_event(std::string_view code, std::string_view description);
  Status event_clear(std::string_view code);
  Status event_clear_all(std::string_view code);
  // Blynk IoT groups: writes between begin_group and end_group share one timestamp on the server. Writes in
  // a group are never coalesced with writes outside it.
  Status begin_group();
  Status begin_group(std::int64_t timestamp_ms);
  Status end_group();
  // Asks the server for the time (INTERNAL `rtc sync`); rtc_now() gives it once the answer came.
  Status sync_rtc();
  // Seconds since 1970 (UTC) by the server's clock, advanced by the loop clock since the answer.
  // Errc::would_block until the first answer to sync_rtc() arrived.
  [[nodiscard]] Result<std::int64_t> rtc_now() const;
  // Asks for time-zone data: request_utc("time" | "tz" | "tz_name" | "iso" | "tz_rule"); the answer comes to
  // on_internal as ("utc", [what, value...]).
  Status request_utc(std::string_view what);
  // Any INTERNAL message (blynklib's internal(*args)), e.g. internal("meta", "set", "field", "value").
  template <field_value V, field_value... Vs>
  Status internal(const V& first, const Vs&... rest) {
    const Value list[] = {Value(first), Value(rest)...};
    return internal(std::span<const Value>(list));
  }
  Status internal(std::span<const Value> fields);
  // Widgets (lcd.hpp, terminal.hpp, bridge.hpp use these; pblynk has the LCD ones as methods too).
  Status lcd_print(int pin, int x, int y, std::string_view text);  // x 0..15, y 0..1 (advanced mode)
  Status lcd_clear(int pin);
  Status terminal_write(int pin, std::string_view text);  // one terminal output, never coalesced
  Status bridge_write(int bridge_pin, HardwareOp op, int pin, std::span<const Value> values);
  // Binds bridge_pin to the device with this token (Place::front: ahead of what is queued, after a login).
  Status bridge_token(int bridge_pin, std::string_view token, Outbox::Place place = Outbox::Place::back);
  // Hooks on the session's life (see SessionHook). O(1) add, O(hooks) remove.
  void add_hook(SessionHook& h);
  void remove_hook(SessionHook& h);

  // ======================================= Observability ===================================================
  struct Stats {
    std::uint32_t frames_in = 0;
    std::uint32_t frames_out = 0;  // queued messages sent (login, info, pings, answers not counted)
    std::uint32_t connects = 0;    // logins that succeeded
    std::uint32_t attempts = 0;    // connection attempts
    std::uint32_t pings = 0;
    std::uint32_t refused = 0;  // API calls refused (invalid, too large, outbox full)
  };
  [[nodiscard]] const Stats& stats() const { return stats_; }
  [[nodiscard]] const Outbox& outbox() const { return outbox_; }
  [[nodiscard]] std::size_t buff_in() const { return parser_.buff_in(); }
  [[nodiscard]] std::size_t max_frame() const { return tx_.capacity(); }
  // The delay the next reconnection would wait (nominal, before jitter): for logs and tests.
  [[nodiscard]] Micros next_retry_nominal() const { return backoff_.nominal(); }

  // ======================================= The dispatcher ==================================================
  // Parses and dispatches the frames in `input` (consuming it), as the reader does with every read. Stops
  // early with a reason to disconnect, or when a frame waits for room in the send buffer (reply_pending()).
  // Public for benchmarks and tests; the session's reader is its only caller otherwise.
  DisconnectReason process(std::string_view& input);
  [[nodiscard]] bool reply_pending() const { return blocked_; }

 private:
  // Changes state() and reports it; end_connection() assigns state_ alone (run() decides what follows).
  void set_state(State s) {
    state_ = s;
    if (s == reported_) return;
    reported_ = s;
    on_state_changed_(s);
    if (s == State::auth_failed) on_auth_failed_();
  }
  Task<DisconnectReason> write_loop();
  Task<Status> pause(Micros delay);  // until connect()/disconnect(), or `delay`
  void begin_connection();
  DisconnectReason end_connection(DisconnectReason reason);
  DisconnectReason end_writer(DisconnectReason reason);
  [[nodiscard]] std::string_view server_host() const;
  [[nodiscard]] std::uint16_t server_port() const;
  [[nodiscard]] DeviceInfo device_info() const;
  [[nodiscard]] std::size_t reply_room(const Frame& f) const;
  DisconnectReason dispatch(const Frame& f);
  DisconnectReason on_response(const Frame& f);
  DisconnectReason on_redirect(const Frame& f);
  void on_hardware(const Frame& f);
  void on_internal_frame(const Frame& f);
  void logged_in();
  void answer(std::uint16_t id, StatusCode status);
  // The writer's duties at `now`: deadlines, ping, outbox. Returns a reason to disconnect, or none.
  DisconnectReason tick(Micros now);
  [[nodiscard]] Micros next_wake(Micros now) const;
  void wake_writer() { wake_.set(); }
  // Queues one message (see Outbox::put), logs a refusal with `what`.
  Status queue(const char* what, const Message& m, Outbox::Place place = Outbox::Place::back);
  Status refuse(const char* what, Status s);
  Status check_pin(const char* what, int pin) const;

  Config config_;
  Transport& transport_;
  std::span<char> rx_;
  std::span<char> tx_storage_;
  FrameParser parser_;
  FrameWriter tx_;
  Outbox outbox_;
  PinTable pins_;
  MessageIdGenerator ids_;
  RateLimiter rate_;
  Backoff backoff_;
  PhysicalPins* physical_ = nullptr;
  SessionHook* hooks_ = nullptr;

  Event wake_;             // the writer has something to do (a message queued, an answer, a state change)
  Event tx_space_;         // the writer freed room in tx (a reader waiting to answer)
  Event control_;          // connect() / disconnect(): wakes run() from idle or backoff
  Event connected_event_;  // set while connected

  Callback on_connected_;
  Callback on_app_connected_;
  Callback on_app_disconnected_;
  Handler<void(DisconnectReason)> on_disconnected_;
  Handler<void(State)> on_state_changed_;
  Callback on_auth_failed_;
  InternalHandler on_internal_;

  Micros login_deadline_ = 0;
  Micros last_rx_ = 0;
  Micros last_tx_ = 0;
  Micros last_ping_ = 0;
  Micros rtc_at_ = 0;
  std::int64_t rtc_epoch_ = -1;
  Frame pending_{};  // a frame parsed but not dispatched yet (waiting for room to answer)
  Stats stats_;
  char redirect_host_[64] = {};
  std::uint16_t redirect_port_ = 0;
  State state_ = State::idle;
  State reported_ = State::idle;  // the last state on_state_changed heard of
  DisconnectReason last_disconnect_ = DisconnectReason::none;
  DisconnectReason writer_reason_ = DisconnectReason::none;  // why the writer ended the connection
  bool want_online_ = true;
  bool running_ = false;
  bool has_pending_ = false;
  bool blocked_ = false;
  bool app_connected_ = false;
  bool in_group_ = false;
  bool outbox_full_logged_ = false;
};

template <typename UserState>
Status Session::add_virtual_pin(int pin, UserState& state, void (*read)(int, UserState&, Reply&),
                                void (*write)(int, Values, UserState&)) {
  if (Status s = check_pin("add_virtual_pin", pin); !s) return s;
  UserState* st = &state;
  if (read != nullptr) {
    if (Status s = on_read(pin, [read, st](int p, Reply& r) { read(p, *st, r); }); !s) return s;
  }
  if (write != nullptr) {
    if (Status s = on_write(pin, [write, st](int p, Values v) { write(p, v, *st); }); !s) return s;
  }
  return {};
}

}  // namespace weft::blynk
