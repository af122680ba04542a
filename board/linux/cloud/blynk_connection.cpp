#include "blynk_connection.hpp"

#include <algorithm>
#include <cmath>

#include "blynk/token_text.hpp"
#include "cloud.hpp"
#include "core/gather.hpp"
#include "core/log.hpp"
#include "core/wait_for.hpp"
#include "text/number.hpp"

namespace weft::cloud {

using blynk::Command;
using blynk::Frame;
using blynk::HardwareOp;
using blynk::StatusCode;

namespace {

int len(std::string_view s) {
  return static_cast<int>(std::min<std::size_t>(s.size(), 200));
}

// Bodies shown in logs: NULs as '|', cut at 200 characters.
std::string printable(std::string_view body) {
  std::string out(body.substr(0, 200));
  for (char& c : out) {
    if (c == '\0')
      c = '|';
    else if (static_cast<unsigned char>(c) < 0x20)
      c = '?';
  }
  return out;
}

}  // namespace

BlynkConnection::BlynkConnection(Cloud& cloud, PeerStream& stream, std::string peer)
    : cloud_(cloud),
      stream_(stream),
      peer_(std::move(peer)),
      who_(peer_),
      body_buffer_(std::min<std::size_t>(cloud.options().max_body, blynk::max_body_size)),
      parser_(std::span<char>(body_buffer_)),
      buff_in_(cloud.options().default_buff_in),
      idle_timeout_(cloud.options().login_timeout) {}

Task<> BlynkConnection::serve(std::string initial) {
  co_await gather(read_loop(std::move(initial)), write_loop(), poll_loop());
  if (device_ != nullptr) cloud_.detach(*device_, *this);
}

Task<> BlynkConnection::read_loop(std::string initial) {
  char buf[4096];
  last_frame_at_ = Loop::current().now();
  bool more = consume(initial);
  while (more && !closing_) {
    // A deadline per frame, not per read: a peer that drips a byte at a time is not kept alive by it.
    const Micros left = std::max<Micros>(0, last_frame_at_ + idle_timeout_ - Loop::current().now());
    Result<IoResult> read = co_await stream_.read_some(buf, left);
    const IoResult r = net::flatten(read);
    if (!r) {
      if (r.error == Errc::timed_out && logged_in_) {
        WEFT_LOG_WARN("cloud: %s sent no whole message for %.1f s (%.1f x its h-beat): disconnected", who(),
                      static_cast<double>(idle_timeout_) / 1e6, cloud_.options().idle_factor);
      } else if (r.error == Errc::timed_out) {
        WEFT_LOG_WARN("cloud: %s did not log in within %.1f s: disconnected", who(),
                      static_cast<double>(idle_timeout_) / 1e6);
      } else if (r.error == Errc::closed && !stream_.is_open()) {
        // closed by us (close(), stop()): already logged
      } else if (logged_in_) {
        WEFT_LOG_INFO("cloud: %s disconnected (%s)", who(),
                      r.error == Errc::closed ? "closed by the device" : to_string(r.error));
      }
      break;
    }
    more = consume(std::string_view(buf, r.count));
  }
  closing_ = true;
  tx_ready_.set();
  changed_.set();
}

Task<> BlynkConnection::poll_loop() {
  std::vector<Micros> due;  // per widget of the device, when it is read next
  while (!closing_ && stream_.is_open()) {
    Micros wait = kForever;
    if (logged_in_) {
      const std::vector<Widget>& widgets = device_->spec.widgets;
      const Micros now = Loop::current().now();
      due.resize(widgets.size(), now);
      for (std::size_t i = 0; i < widgets.size(); ++i) {
        if (widgets[i].poll_s <= 0) continue;
        if (due[i] <= now) {
          const PinRef pin = widgets[i].pin;
          const char* op = pin.type == PinType::virtual_pin ? "vr"
                           : pin.type == PinType::digital   ? "dr"
                                                            : "ar";
          Result<std::string> body = blynk_body({op, pin.number});
          ++device_->stats.messages_out;
          send(Command::hardware, next_id(), *body);  // an op and a number: always a valid body
          due[i] = now + static_cast<Micros>(widgets[i].poll_s * 1e6);
        }
        wait = std::min(wait, due[i] - now);
      }
    }
    changed_.clear();
    if (wait == kForever) {
      co_await changed_.wait();
    } else {
      co_await wait_for(changed_.wait(), wait);
    }
  }
}

Task<> BlynkConnection::write_loop() {
  for (;;) {
    if (tx_.empty()) {
      if (closing_ || !stream_.is_open()) break;
      tx_ready_.clear();
      co_await tx_ready_.wait();
      continue;
    }
    sending_.swap(tx_);
    tx_.clear();
    Result<IoResult> written = co_await stream_.write_all(sending_, cloud_.options().write_timeout);
    const IoResult w = net::flatten(written);
    sending_.clear();
    if (!w) {
      if (stream_.is_open())
        WEFT_LOG_WARN("cloud: %s: sending failed (%s): disconnected", who(), to_string(w.error));
      break;
    }
  }
  closing_ = true;
  stream_.close();  // ends a read in progress too
  changed_.set();
}

void BlynkConnection::send(Command command, std::uint16_t id, std::string_view body) {
  enqueue({command, id, static_cast<std::uint16_t>(body.size())}, body);
}

void BlynkConnection::send_response(std::uint16_t id, StatusCode status) {
  enqueue({Command::response, id, static_cast<std::uint16_t>(status)}, {});
}

// The one way bytes are queued for the device, so the max_queued cap holds for answers (PING, logins, info)
// as much as for writes.
void BlynkConnection::enqueue(blynk::FrameHeader header, std::string_view body) {
  if (!stream_.is_open()) return;
  if (tx_.size() + sending_.size() + blynk::header_size + body.size() > cloud_.options().max_queued) {
    close("it does not read what the cloud sends (over the max-queued limit)");
    return;
  }
  char bytes[blynk::header_size];
  blynk::encode_header(bytes, header);
  tx_.append(bytes, sizeof bytes);
  tx_.append(body);
  tx_ready_.set();
}

void BlynkConnection::close(const char* why) {
  if (!stream_.is_open()) return;
  WEFT_LOG_WARN("cloud: %s: %s: disconnected", who(), why);
  closing_ = true;
  stream_.close();
  tx_ready_.set();
  changed_.set();
}

bool BlynkConnection::consume(std::string_view input) {
  while (!closing_) {
    Result<Frame> f = parser_.next(input);
    if (!f) {
      if (f.error() == Errc::would_block) return true;
      const blynk::FrameHeader h = parser_.header();
      if (f.error() == Errc::too_large) {
        WEFT_LOG_WARN(
            "cloud: %s sent %s id %u with a %u-byte body, over the cloud's limit of %zu bytes: closed", who(),
            blynk::to_string(h.command), static_cast<unsigned>(h.id), static_cast<unsigned>(h.length),
            parser_.buff_in());
      } else {
        WEFT_LOG_WARN("cloud: %s sent %s with message id 0 (invalid): closed", who(),
                      blynk::to_string(h.command));
      }
      return false;
    }
    if (logged_in_) last_frame_at_ = Loop::current().now();  // before login, the deadline stays put
    on_frame(*f);
  }
  return false;
}

void BlynkConnection::on_frame(const Frame& f) {
  if (!logged_in_) {
    if (f.command == Command::hw_login || f.command == Command::login) {
      on_login(f);
    } else {
      WEFT_LOG_WARN("cloud: %s sent %s before logging in: closed (log in first with HW_LOGIN and the token)",
                    who(), blynk::to_string(f.command));
      closing_ = true;
    }
    return;
  }
  if (device_ != nullptr) ++device_->stats.messages_in;
  switch (f.command) {
    case Command::ping:
      send_response(f.id, StatusCode::ok);
      return;
    case Command::internal:
      on_internal(f);
      return;
    case Command::response:
      if (f.status() != StatusCode::ok)
        WEFT_LOG_WARN("cloud: %s answered message %u with %s (%u)", who(), static_cast<unsigned>(f.id),
                      blynk::to_string(f.status()), static_cast<unsigned>(f.status()));
      return;
    case Command::hw_login:
    case Command::login:
      send_response(f.id, StatusCode::already_registered);
      return;
    default:
      break;
  }
  if (!within_quota(f)) return;
  switch (f.command) {
    case Command::hardware:
      on_hardware(f);
      return;
    case Command::hardware_sync:
      on_sync(f);
      return;
    case Command::bridge:
      on_bridge(f);
      return;
    case Command::property:
      on_property(f);
      return;
    case Command::notify:
    case Command::email:
    case Command::tweet:
    case Command::sms:
    case Command::event_log:
    case Command::event_clear:
      on_notification(f);
      return;
    case Command::group:
      return;
    default:
      WEFT_LOG_WARN("cloud: %s sent %s (command %u), which the cloud does not take: ILLEGAL_COMMAND", who(),
                    blynk::to_string(f.command), static_cast<unsigned>(f.command));
      send_response(f.id, StatusCode::illegal_command);
  }
}

void BlynkConnection::on_login(const Frame& f) {
  blynk::BodyReader r(f.body);
  const std::string_view token = r.next().value_or(std::string_view{});
  const char* how = f.command == Command::hw_login ? "HW_LOGIN" : "LOGIN";
  if (!cloud_.login_allowed(peer_)) {
    closing_ = true;  // no answer: an answer would tell a guesser whether the token was right
    return;
  }
  if (const blynk::TokenProblem p = blynk::check_token(token); p != blynk::TokenProblem::none) {
    WEFT_LOG_WARN("cloud: %s: %s with a malformed token (%s): INVALID_TOKEN", who(), how,
                  blynk::to_string(p));
    cloud_.login_failed(peer_);
    send_response(f.id, StatusCode::invalid_token);
    closing_ = true;
    return;
  }
  Device* d = cloud_.store().find(token);
  if (d == nullptr && cloud_.options().auto_register) {
    d = cloud_.store().add(
        DeviceSpec{.name = "device-" + std::string(token.substr(0, 6)), .token = std::string(token)});
    WEFT_LOG_INFO("cloud: registered a new device '%s' for token %s (--auto-register)", d->name().c_str(),
                  blynk::token_text(token).c_str());
  }
  if (d == nullptr) {
    WEFT_LOG_WARN(
        "cloud: %s: %s with unknown token %s: INVALID_TOKEN (add it to the project file or with --token)",
        who(), how, blynk::token_text(token).c_str());
    cloud_.login_failed(peer_);
    send_response(f.id, StatusCode::invalid_token);
    closing_ = true;
    return;
  }
  if (!d->spec.redirect_host.empty()) {
    Result<std::string> body = blynk_body({d->spec.redirect_host, d->spec.redirect_port});
    WEFT_LOG_INFO("cloud: device '%s' redirected to %s:%u", d->name().c_str(), d->spec.redirect_host.c_str(),
                  static_cast<unsigned>(d->spec.redirect_port));
    if (body)
      send(Command::redirect, f.id, *body);
    else
      send_response(f.id, StatusCode::server_exception);  // a host with a NUL: the project file is broken
    closing_ = true;
    return;
  }
  logged_in_ = true;
  device_ = d;
  who_ = "device '" + d->name() + "'";
  quota_ = d->spec.quota.value_or(cloud_.options().quota_per_second);
  quota_tokens_ = quota_;
  quota_at_ = Loop::current().now();
  idle_timeout_ = static_cast<Micros>(
      std::ceil(cloud_.options().idle_factor * cloud_.options().default_heartbeat_s * 1e6));
  cloud_.attach(*d, *this);
  send_response(f.id, StatusCode::ok);
  WEFT_LOG_INFO("cloud: device '%s' online from %s (%s)", d->name().c_str(), peer_.c_str(), how);
  send_pin_modes();
  changed_.set();
}

void BlynkConnection::send_pin_modes() {
  std::vector<blynk::Value> fields{"pm"};
  for (const Widget& w : device_->spec.widgets) {
    if (w.pin.type == PinType::virtual_pin || !w.mode) continue;
    fields.emplace_back(w.pin.number);
    fields.emplace_back(blynk::to_string(*w.mode));
  }
  if (fields.size() == 1) return;
  Result<std::string> body = blynk_body(fields);
  ++device_->stats.messages_out;
  send(Command::hardware, next_id(), *body);  // numbers and mode names: always a valid body
}

void BlynkConnection::on_internal(const Frame& f) {
  Result<blynk::InternalMessage> m = blynk::parse_internal(f.body);
  if (!m) return;
  if (m->op == blynk::InternalOp::rtc) {
    Result<std::string> body = blynk_body({"rtc", cloud_.unix_ms() / 1000});
    send(Command::internal, f.id, *body);  // a number: always a valid body
    return;
  }
  if (m->op != blynk::InternalOp::unknown) {
    WEFT_LOG_DEBUG("cloud: %s: INTERNAL %s ignored", who(), printable(f.body).c_str());
    return;
  }
  on_info(f);
}

void BlynkConnection::on_info(const Frame& f) {
  blynk::BodyReader r(f.body);
  device_->info.clear();
  while (std::optional<std::string_view> key = r.next()) {
    const std::string_view value = r.next().value_or(std::string_view{});
    device_->info.emplace_back(std::string(*key), std::string(value));
    if (*key == "h-beat") {
      if (Result<unsigned> hb = text::parse_int<unsigned>(value); hb && *hb > 0 && *hb <= 3600)
        idle_timeout_ = static_cast<Micros>(std::ceil(cloud_.options().idle_factor * *hb * 1e6));
    } else if (*key == "buff-in") {
      if (Result<unsigned> b = text::parse_int<unsigned>(value); b && *b > 0) buff_in_ = *b;
    }
  }
  send_response(f.id, StatusCode::ok);
}

void BlynkConnection::on_hardware(const Frame& f) {
  Result<blynk::HardwareMessage> m = blynk::parse_hardware(f.body);
  if (!m) {
    WEFT_LOG_WARN("cloud: %s: malformed HARDWARE '%s': ILLEGAL_COMMAND_BODY", who(),
                  printable(f.body).c_str());
    send_response(f.id, StatusCode::illegal_command_body);
    return;
  }
  if (std::optional<PinRef> pin = PinRef::of_write(m->op, m->pin)) {
    if (m->values.rest().empty()) {  // "vw 5" or "vw 5 \"\"": the legacy server answers ILLEGAL_COMMAND
      WEFT_LOG_WARN("cloud: %s: HARDWARE '%s' writes no value: ILLEGAL_COMMAND", who(),
                    printable(f.body).c_str());
      send_response(f.id, StatusCode::illegal_command);
      return;
    }
    cloud_.store().set_value(*device_, *pin, m->values.rest());
    WEFT_LOG_DEBUG("cloud: %s wrote %s = %s", who(), pin->name().c_str(),
                   printable(m->values.rest()).c_str());
    return;
  }
  if (m->op == HardwareOp::unknown) {
    WEFT_LOG_WARN("cloud: %s: unknown HARDWARE op '%.*s': ILLEGAL_COMMAND", who(), len(m->op_name),
                  m->op_name.data());
    send_response(f.id, StatusCode::illegal_command);
  }
  // vr/dr/ar/pm from a device: nothing to do (the cloud has no pins of its own)
}

void BlynkConnection::send_value(std::uint16_t id, PinRef pin, const std::string& raw) {
  Result<std::string> made = blynk_body({blynk::to_string(pin.write_op()), pin.number}, raw);
  const std::string& body = *made;  // a stored value after an op and a number: always a valid body
  if (!fits_buff_in(body.size())) {
    ++device_->stats.not_forwarded;
    WEFT_LOG_WARN("cloud: sync of %s to %s skipped: %zu bytes, over its buff-in of %zu", pin.name().c_str(),
                  who(), body.size(), buff_in_);
    return;
  }
  ++device_->stats.messages_out;
  send(Command::hardware, id, body);
}

void BlynkConnection::on_sync(const Frame& f) {
  if (f.body.empty()) {
    for (const auto& [pin, raw] : device_->values)
      send_value(f.id, pin, raw);
    return;
  }
  blynk::BodyReader r(f.body);
  std::optional<std::string_view> op = r.next();
  if (!op || (*op != "vr" && *op != "dr" && *op != "ar")) {
    WEFT_LOG_WARN("cloud: %s: malformed HARDWARE_SYNC '%s': ILLEGAL_COMMAND_BODY", who(),
                  printable(f.body).c_str());
    send_response(f.id, StatusCode::illegal_command_body);
    return;
  }
  const PinType type = (*op)[0] == 'v'   ? PinType::virtual_pin
                       : (*op)[0] == 'd' ? PinType::digital
                                         : PinType::analog;
  while (std::optional<std::string_view> p = r.next()) {
    Result<std::uint8_t> n = blynk::parse_pin(*p);
    if (!n) {
      send_response(f.id, StatusCode::illegal_command_body);
      return;
    }
    const PinRef pin{type, *n};
    if (auto it = device_->values.find(pin); it != device_->values.end()) send_value(f.id, pin, it->second);
  }
}

void BlynkConnection::on_bridge(const Frame& f) {
  blynk::BodyReader r(f.body);
  Result<int> channel = r.next_int<int>();
  std::optional<std::string_view> op = r.next();
  if (!channel || *channel < 0 || *channel > 255 || !op) {
    WEFT_LOG_WARN("cloud: %s: malformed BRIDGE '%s': ILLEGAL_COMMAND_BODY", who(), printable(f.body).c_str());
    send_response(f.id, StatusCode::illegal_command_body);
    return;
  }
  if (*op == "i") {
    const std::string_view token = r.next().value_or(std::string_view{});
    if (cloud_.store().find(token) == nullptr) {
      WEFT_LOG_WARN("cloud: %s: bridge V%d to unknown token %s: INVALID_TOKEN", who(), *channel,
                    blynk::token_text(token).c_str());
      send_response(f.id, StatusCode::invalid_token);
      return;
    }
    bridges_[*channel] = std::string(token);
    send_response(f.id, StatusCode::ok);
    return;
  }
  const HardwareOp hop = blynk::to_hardware_op(*op);
  Result<std::uint8_t> pin = blynk::parse_pin(r.next().value_or(std::string_view{}));
  if (!blynk::is_write(hop) || !pin) {
    WEFT_LOG_WARN("cloud: %s: malformed BRIDGE '%s': ILLEGAL_COMMAND_BODY", who(), printable(f.body).c_str());
    send_response(f.id, StatusCode::illegal_command_body);
    return;
  }
  auto bound = bridges_.find(*channel);
  if (bound == bridges_.end()) {
    WEFT_LOG_WARN(
        "cloud: %s: bridge V%d used before its token was set (BRIDGE `%d\\0i\\0token`): NOT_ALLOWED", who(),
        *channel, *channel);
    send_response(f.id, StatusCode::not_allowed);
    return;
  }
  Device* target = cloud_.store().find(bound->second);
  if (target == nullptr) return;
  cloud_.store().set_value(*target, *PinRef::of_write(hop, *pin), r.rest());
  if (!target->online()) {
    ++target->stats.not_forwarded;
    send_response(f.id, StatusCode::device_not_in_network);
    return;
  }
  (void)cloud_.deliver(*target, hop, *pin, r.rest(), Command::bridge, f.id);
}

void BlynkConnection::on_property(const Frame& f) {
  blynk::BodyReader r(f.body);
  Result<std::uint8_t> pin = blynk::parse_pin(r.next().value_or(std::string_view{}));
  std::optional<std::string_view> name = r.next();
  if (!pin || !name || name->empty() || r.at_end()) {
    WEFT_LOG_WARN("cloud: %s: malformed PROPERTY '%s' (expected pin\\0name\\0value): ILLEGAL_COMMAND_BODY",
                  who(), printable(f.body).c_str());
    send_response(f.id, StatusCode::illegal_command_body);
    return;
  }
  std::string why;
  if (!cloud_.store().set_property(*device_, PinRef{PinType::virtual_pin, *pin}, *name, r.rest(), why)) {
    WEFT_LOG_WARN("cloud: %s: PROPERTY refused: %s: ILLEGAL_COMMAND_BODY", who(), why.c_str());
    send_response(f.id, StatusCode::illegal_command_body);
    return;
  }
  send_response(f.id, StatusCode::ok);
}

void BlynkConnection::on_notification(const Frame& f) {
  CloudEvent e;
  e.unix_ms = cloud_.unix_ms();
  e.device = device_->name();
  e.token = device_->token();
  std::vector<std::string> fields = split_fields(f.body);
  for (std::size_t i = 0; i < fields.size(); ++i)
    e.text += (i > 0 ? " | " : "") + fields[i];
  StatusCode answer = StatusCode::ok;
  switch (f.command) {
    case Command::notify:
      e.kind = "notify";
      break;
    case Command::email:
      e.kind = "email";
      break;
    case Command::tweet:
      e.kind = "tweet";
      break;
    case Command::sms:
      e.kind = "sms";
      break;
    case Command::event_log:
      e.kind = "log_event";
      break;
    default:
      e.kind = "event_clear";
      break;
  }
  const std::size_t chars = blynk::utf8_length(f.body);
  const bool bad = fields.empty() || fields[0].empty() ||
                   (f.command == Command::notify && chars > blynk::max_notify_chars) ||
                   (f.command == Command::tweet && chars > blynk::max_tweet_chars) ||
                   (f.command == Command::email && fields.size() != 2 && fields.size() != 3);
  const Micros now = Loop::current().now();
  const Micros interval = cloud_.options().notify_interval;
  if (bad) {
    answer = StatusCode::notification_invalid_body;
    e.status = "refused: empty, too long or malformed (NTF_INVALID_BODY)";
  } else if (f.command == Command::notify && interval > 0 && notify_at_ >= 0 && now - notify_at_ < interval) {
    answer = StatusCode::quota_limit;
    e.status = "refused: one notification per " + std::to_string(interval / 1000000) + " s (QUOTA_LIMIT)";
  } else {
    e.status = "ok";
    if (f.command == Command::notify) notify_at_ = now;
  }
  if (answer == StatusCode::ok) {
    WEFT_LOG_INFO("cloud: %s from %s: %s", e.kind.c_str(), who(), printable(e.text).c_str());
  } else {
    WEFT_LOG_WARN("cloud: %s from %s %s: %s", e.kind.c_str(), who(), e.status.c_str(),
                  printable(e.text).c_str());
  }
  cloud_.store().record(std::move(e));
  send_response(f.id, answer);
}

bool BlynkConnection::within_quota(const Frame& f) {
  const Micros now = Loop::current().now();
  quota_tokens_ = std::min(quota_, quota_tokens_ + quota_ * static_cast<double>(now - quota_at_) / 1e6);
  quota_at_ = now;
  if (quota_tokens_ >= 1.0) {
    quota_tokens_ -= 1.0;
    return true;
  }
  ++device_->stats.quota_dropped;
  if (quota_notice_at_ < 0 || now - quota_notice_at_ >= cloud_.options().quota_notice_interval) {
    quota_notice_at_ = now;
    WEFT_LOG_WARN("cloud: %s is over its quota of %g messages/s: dropping %s and what follows (QUOTA_LIMIT)",
                  who(), quota_, blynk::to_string(f.command));
    send_response(f.id, StatusCode::quota_limit);
  }
  return false;
}

}  // namespace weft::cloud
