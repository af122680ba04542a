// The session's dispatcher: frames from the server, parsed and acted on (handlers, answers, login, REDIRECT,
// INTERNAL). process() is the reader's one call per read; everything here runs without waiting.
#include <cstring>

#include "core/log.hpp"
#include "core/loop.hpp"
#include "redirect.hpp"
#include "session.hpp"

namespace weft::blynk {

namespace {
int len(std::string_view s) {
  return static_cast<int>(s.size());
}
}  // namespace

// ============================================ The dispatcher ===============================================

[[gnu::always_inline]] inline std::size_t Session::reply_room(const Frame& f) const {
  // `vr`/`dr`/`ar` (any "?r" op, conservatively): the answer's size is the handler's; wait for an empty
  // buffer.
  const std::string_view b = f.body;
  if (f.command == Command::hardware && b.size() >= 2 && b[1] == 'r' && (b.size() == 2 || b[2] == '\0')) {
    return tx_.capacity();
  }
  return header_size;  // at most a RESPONSE
}

DisconnectReason Session::process(std::string_view& input) {
  if (has_pending_) {
    if (tx_.remaining() < reply_room(pending_)) return DisconnectReason::none;
    has_pending_ = blocked_ = false;
    if (const DisconnectReason r = dispatch(pending_); r != DisconnectReason::none) return r;
  }
  while (want_online_) {
    Result<Frame> f = parser_.next(input);
    if (!f) {
      if (f.error() == Errc::would_block) return DisconnectReason::none;
      const FrameHeader h = parser_.header();
      if (f.error() == Errc::too_large) {
        WEFT_LOG_ERROR(
            "Blynk: the server sent %s id %u with a %u-byte body, more than buff-in %u: reconnecting",
            to_string(h.command), static_cast<unsigned>(h.id), static_cast<unsigned>(h.length),
            static_cast<unsigned>(parser_.buff_in()));
        return DisconnectReason::frame_too_large;
      }
      WEFT_LOG_ERROR("Blynk: the server sent %s with message id 0 (invalid): reconnecting",
                     to_string(h.command));
      return DisconnectReason::protocol_error;
    }
    ++stats_.frames_in;
    if (tx_.remaining() < reply_room(*f)) {
      pending_ = *f;
      has_pending_ = blocked_ = true;
      return DisconnectReason::none;
    }
    if (const DisconnectReason r = dispatch(*f); r != DisconnectReason::none) return r;
  }
  return DisconnectReason::user;
}

DisconnectReason Session::dispatch(const Frame& f) {
  switch (f.command) {
    case Command::hardware:
    case Command::bridge:  // a bridged write from another device: the real server delivers it as BRIDGE
      on_hardware(f);
      return DisconnectReason::none;
    case Command::response:
      return on_response(f);
    case Command::ping:
      answer(f.id, StatusCode::ok);
      return DisconnectReason::none;
    case Command::internal:
      on_internal_frame(f);
      return DisconnectReason::none;
    case Command::redirect:
      return on_redirect(f);
    case Command::debug_print:
      WEFT_LOG_INFO("Blynk server: %.*s", len(f.body), f.body.data());
      return DisconnectReason::none;
    default:
      WEFT_LOG_WARN(
          "Blynk: the server sent %s (command %u), which a device does not take: answered ILLEGAL_COMMAND",
          to_string(f.command), static_cast<unsigned>(f.command));
      answer(f.id, StatusCode::illegal_command);
      return DisconnectReason::none;
  }
}

void Session::answer(std::uint16_t id, StatusCode status) {
  (void)tx_.response(id, status);  // room was checked before dispatch (reply_room)
  wake_writer();
}

DisconnectReason Session::on_response(const Frame& f) {
  const StatusCode status = f.status();
  if (state_ == State::logging_in && f.id == 1) {
    if (status == StatusCode::ok || status == StatusCode::already_registered) {
      logged_in();
      return DisconnectReason::none;
    }
    if (status == StatusCode::invalid_token) return DisconnectReason::invalid_token;
    WEFT_LOG_WARN("Blynk: the server answered the login with %s (%u): retrying", to_string(status),
                  static_cast<unsigned>(status));
    return DisconnectReason::login_rejected;
  }
  if (status != StatusCode::ok) {
    WEFT_LOG_WARN("Blynk: the server answered message %u with %s (%u)", static_cast<unsigned>(f.id),
                  to_string(status), static_cast<unsigned>(status));
  }
  return DisconnectReason::none;
}

DisconnectReason Session::on_redirect(const Frame& f) {
  Result<Redirect> r = parse_redirect(f.body);
  if (!r || r->host.size() >= sizeof redirect_host_) {
    WEFT_LOG_WARN("Blynk: malformed REDIRECT ignored (host empty or over %u characters, or a bad port)",
                  static_cast<unsigned>(sizeof redirect_host_ - 1));
    answer(f.id, StatusCode::illegal_command_body);
    return DisconnectReason::none;
  }
  std::memcpy(redirect_host_, r->host.data(), r->host.size());
  redirect_host_[r->host.size()] = '\0';
  redirect_port_ = r->port.value_or(80);
  WEFT_LOG_INFO("Blynk: redirected to %s:%u", redirect_host_, static_cast<unsigned>(redirect_port_));
  return DisconnectReason::redirected;
}

// Inlined into dispatch(): the hot path of every pin write.
[[gnu::always_inline]] inline void Session::on_hardware(const Frame& f) {
  Result<HardwareMessage> m = parse_hardware(f.body);
  if (!m) {
    WEFT_LOG_WARN("Blynk: malformed HARDWARE message id %u: answered ILLEGAL_COMMAND_BODY",
                  static_cast<unsigned>(f.id));
    answer(f.id, StatusCode::illegal_command_body);
    return;
  }
  const HardwareOp op = m->op;
  const std::uint8_t pin = m->pin;
  switch (op) {
    case HardwareOp::virtual_write:
    case HardwareOp::digital_write:
    case HardwareOp::analog_write: {
      if (PinSlot* s = pins_.find(op, pin)) {
        s->write(pin, Values(m->values));
        return;
      }
      if (op == HardwareOp::virtual_write || physical_ == nullptr) return;
      const Result<int> v = Values(m->values).as_int();
      if (!v) {
        WEFT_LOG_WARN("Blynk: %s on pin %u without a number: ignored", to_string(op),
                      static_cast<unsigned>(pin));
        return;
      }
      (void)(op == HardwareOp::digital_write ? physical_->digital_write(pin, *v)
                                             : physical_->analog_write(pin, *v));
      return;
    }
    case HardwareOp::virtual_read:
    case HardwareOp::digital_read:
    case HardwareOp::analog_read: {
      const HardwareOp answer_op = op == HardwareOp::virtual_read   ? HardwareOp::virtual_write
                                   : op == HardwareOp::digital_read ? HardwareOp::digital_write
                                                                    : HardwareOp::analog_write;
      Reply reply(tx_, f.id, answer_op, pin);
      if (PinSlot* s = pins_.find(op, pin)) {
        s->read(pin, reply);
      } else if (op != HardwareOp::virtual_read && physical_ != nullptr) {
        const Result<int> v =
            op == HardwareOp::digital_read ? physical_->digital_read(pin) : physical_->analog_read(pin);
        if (v) (void)reply.write(*v);
      }
      if (reply.sent()) wake_writer();
      return;
    }
    case HardwareOp::pin_mode: {
      if (physical_ == nullptr) return;
      PinModeReader modes(m->values);
      while (std::optional<PinModeEntry> e = modes.next())
        (void)physical_->pin_mode(e->pin, e->mode);
      return;
    }
    case HardwareOp::unknown:
      WEFT_LOG_WARN("Blynk: unknown HARDWARE op \"%.*s\" (id %u): answered ILLEGAL_COMMAND", len(m->op_name),
                    m->op_name.data(), static_cast<unsigned>(f.id));
      answer(f.id, StatusCode::illegal_command);
      return;
  }
}

void Session::on_internal_frame(const Frame& f) {
  Result<InternalMessage> m = parse_internal(f.body);
  if (!m) return;  // an empty INTERNAL: nothing to act on
  switch (m->op) {
    case InternalOp::app_connected:
      app_connected_ = true;
      on_app_connected_();
      return;
    case InternalOp::app_disconnected:
      app_connected_ = false;
      on_app_disconnected_();
      return;
    case InternalOp::rtc:
      if (Result<std::int64_t> t = rtc_seconds(*m)) {  // the parsed message: no second parse
        rtc_epoch_ = *t;
        rtc_at_ = Loop::current().now();
      }
      break;
    default:
      break;
  }
  on_internal_(m->op_name, Values(m->args));
}

void Session::logged_in() {
  set_state(State::connected);
  ++stats_.connects;
  backoff_.reset();
  last_rx_ = last_ping_ = Loop::current().now();
  if (Status s = tx_.info(ids_.next(), device_info()); !s) {
    WEFT_LOG_ERROR("Blynk: the info message did not fit the send buffer");  // checked by run(): tx was busy
  }
  for (SessionHook* h = hooks_; h != nullptr; h = h->next_)
    h->logged_in();
  const std::string_view host = server_host();
  WEFT_LOG_INFO("Blynk: connected to %.*s:%u", len(host), host.data(), static_cast<unsigned>(server_port()));
  connected_event_.set();
  wake_writer();
  on_connected_();
}

}  // namespace weft::blynk
