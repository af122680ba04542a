#include "config.hpp"

#include "core/log.hpp"

namespace weft::blynk {

namespace {

bool check_duration(const char* name, Micros value, Micros min, Micros max) {
  if (value >= min && value <= max) return true;
  WEFT_LOG_ERROR("Blynk: %s %lld ms is outside %lld..%lld ms", name, static_cast<long long>(value / 1000),
                 static_cast<long long>(min / 1000), static_cast<long long>(max / 1000));
  return false;
}

}  // namespace

Status check_config(const Config& c) {
  bool ok = true;
  if (TokenProblem p = check_token(c.token); p != TokenProblem::none) {
    WEFT_LOG_ERROR("Blynk: %s: got %u characters; copy the device's auth token from the Blynk app or console",
                   to_string(p), static_cast<unsigned>(c.token.size()));
    ok = false;
  }
  if (c.host.empty() || c.host.size() > 253) {
    WEFT_LOG_ERROR("Blynk: server host must be 1..253 characters (e.g. \"blynk.cloud\" or \"192.168.1.10\")");
    ok = false;
  }
  if (c.port == 0) {
    WEFT_LOG_ERROR("Blynk: server port 0 is not a port (blynk.cloud: 80; local servers: 8080)");
    ok = false;
  }
  // The heartbeat travels in whole seconds; servers accept 10..3600. Tests may go lower, never below 1 s.
  ok &= check_duration("heartbeat", c.heartbeat, sec(1), sec(3600));
  ok &= check_duration("response_timeout", c.response_timeout, ms(10), sec(60));
  ok &= check_duration("connect_timeout", c.connect_timeout, ms(10), sec(300));
  ok &= check_duration("login_timeout", c.login_timeout, ms(10), sec(300));
  ok &= check_duration("write_timeout", c.write_timeout, ms(10), sec(300));
  ok &= check_duration("retry_min", c.retry_min, ms(10), sec(3600));
  ok &= check_duration("retry_max", c.retry_max, c.retry_min, sec(24 * 3600));
  ok &= check_duration("send_interval", c.send_interval, 0, sec(60));
  if (c.send_burst == 0) {
    WEFT_LOG_ERROR("Blynk: send_burst must be at least 1");
    ok = false;
  }
  return ok ? Status{} : Status{Errc::invalid_argument};
}

const char* to_string(State s) {
  switch (s) {
    case State::idle:
      return "idle";
    case State::connecting:
      return "connecting";
    case State::logging_in:
      return "logging in";
    case State::connected:
      return "connected";
    case State::waiting:
      return "waiting to reconnect";
    case State::auth_failed:
      return "auth failed";
    case State::bad_config:
      return "bad config";
  }
  return "?";
}

const char* to_string(DisconnectReason r) {
  switch (r) {
    case DisconnectReason::none:
      return "none";
    case DisconnectReason::user:
      return "disconnect() called";
    case DisconnectReason::resolve_failed:
      return "server name did not resolve";
    case DisconnectReason::connect_failed:
      return "could not connect";
    case DisconnectReason::login_timeout:
      return "no answer to the login";
    case DisconnectReason::login_rejected:
      return "login rejected";
    case DisconnectReason::invalid_token:
      return "invalid auth token";
    case DisconnectReason::redirected:
      return "redirected";
    case DisconnectReason::closed_by_server:
      return "closed by the server";
    case DisconnectReason::network_error:
      return "network error";
    case DisconnectReason::heartbeat_timeout:
      return "heartbeat timeout (link dead)";
    case DisconnectReason::write_timeout:
      return "write stalled";
    case DisconnectReason::protocol_error:
      return "malformed frame from the server";
    case DisconnectReason::frame_too_large:
      return "frame larger than buff-in";
  }
  return "?";
}

}  // namespace weft::blynk
