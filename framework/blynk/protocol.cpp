#include "protocol.hpp"

namespace weft::blynk {
namespace {

// The one list of the codes this client knows, with their protocol names; nullptr for any other code.
const char* name_of(Command c) {
  switch (c) {
    case Command::response:
      return "RESPONSE";
    case Command::login:
      return "LOGIN";
    case Command::ping:
      return "PING";
    case Command::tweet:
      return "TWEET";
    case Command::email:
      return "EMAIL";
    case Command::notify:
      return "NOTIFY";
    case Command::bridge:
      return "BRIDGE";
    case Command::hardware_sync:
      return "HARDWARE_SYNC";
    case Command::internal:
      return "INTERNAL";
    case Command::sms:
      return "SMS";
    case Command::property:
      return "PROPERTY";
    case Command::hardware:
      return "HARDWARE";
    case Command::group:
      return "GROUP";
    case Command::hw_login:
      return "HW_LOGIN";
    case Command::redirect:
      return "REDIRECT";
    case Command::debug_print:
      return "DEBUG_PRINT";
    case Command::event_log:
      return "EVENT_LOG";
    case Command::event_clear:
      return "EVENT_CLEAR";
  }
  return nullptr;
}

const char* name_of(StatusCode s) {
  switch (s) {
    case StatusCode::ok:
      return "OK";
    case StatusCode::quota_limit:
      return "QUOTA_LIMIT";
    case StatusCode::illegal_command:
      return "ILLEGAL_COMMAND";
    case StatusCode::not_registered:
      return "NOT_REGISTERED";
    case StatusCode::already_registered:
      return "ALREADY_REGISTERED";
    case StatusCode::not_authenticated:
      return "NOT_AUTHENTICATED";
    case StatusCode::not_allowed:
      return "NOT_ALLOWED";
    case StatusCode::device_not_in_network:
      return "DEVICE_NOT_IN_NETWORK";
    case StatusCode::no_active_dashboard:
      return "NO_ACTIVE_DASHBOARD";
    case StatusCode::invalid_token:
      return "INVALID_TOKEN";
    case StatusCode::illegal_command_body:
      return "ILLEGAL_COMMAND_BODY";
    case StatusCode::notification_invalid_body:
      return "NTF_INVALID_BODY";
    case StatusCode::notification_not_authorized:
      return "NTF_NOT_AUTHORIZED";
    case StatusCode::notification_exception:
      return "NTF_EXCEPTION";
    case StatusCode::timeout:
      return "TIMEOUT";
    case StatusCode::no_data:
      return "NO_DATA";
    case StatusCode::device_went_offline:
      return "DEVICE_WENT_OFFLINE";
    case StatusCode::server_exception:
      return "SERVER_EXCEPTION";
    case StatusCode::not_supported_version:
      return "NOT_SUPPORTED_VERSION";
    case StatusCode::energy_limit:
      return "ENERGY_LIMIT";
    case StatusCode::operation_accept:
      return "OPERATION_ACCEPT";
    case StatusCode::operation_decline:
      return "OPERATION_DECLINE";
  }
  return nullptr;
}

}  // namespace

bool is_known(Command c) {
  return name_of(c) != nullptr;
}

const char* to_string(Command c) {
  const char* name = name_of(c);
  return name != nullptr ? name : "UNKNOWN";
}

bool is_known(StatusCode s) {
  return name_of(s) != nullptr;
}

const char* to_string(StatusCode s) {
  const char* name = name_of(s);
  return name != nullptr ? name : "UNKNOWN_STATUS";
}

TokenProblem check_token(std::string_view token) {
  if (token.size() < token_size) return TokenProblem::too_short;
  if (token.size() > token_size) return TokenProblem::too_long;
  for (char c : token) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return TokenProblem::bad_character;
  }
  return TokenProblem::none;
}

const char* to_string(TokenProblem p) {
  switch (p) {
    case TokenProblem::none:
      return "token ok";
    case TokenProblem::too_short:
      return "auth token must be exactly 32 characters: this one is shorter (truncated?)";
    case TokenProblem::too_long:
      return "auth token must be exactly 32 characters: this one is longer (quotes or whitespace copied "
             "along?)";
    case TokenProblem::bad_character:
      return "auth token may only contain A-Z a-z 0-9 - _ (whitespace or quotes copied along?)";
  }
  return "token problem";
}

Status validate_token(std::string_view token) {
  if (check_token(token) != TokenProblem::none) return Errc::invalid_argument;
  return {};
}

}  // namespace weft::blynk
