#include "internal_message.hpp"

namespace weft::blynk {

const char* to_string(InternalOp op) {
  switch (op) {
    case InternalOp::rtc:
      return "rtc";
    case InternalOp::utc:
      return "utc";
    case InternalOp::app_connected:
      return "acon";
    case InternalOp::app_disconnected:
      return "adis";
    case InternalOp::ota:
      return "ota";
    case InternalOp::meta:
      return "meta";
    case InternalOp::unknown:
      return "";
  }
  return "";
}

Result<InternalMessage> parse_internal(std::string_view body) {
  BodyReader fields(body);
  const std::optional<std::string_view> op = fields.next();
  if (!op) return Errc::protocol_error;
  return InternalMessage{to_internal_op(*op), *op, fields};
}

Result<std::int64_t> parse_rtc(std::string_view body) {
  Result<InternalMessage> m = parse_internal(body);
  if (!m) return m.error();
  return rtc_seconds(*m);
}

Result<std::int64_t> rtc_seconds(const InternalMessage& m) {
  if (m.op != InternalOp::rtc) return Errc::protocol_error;
  BodyReader args = m.args;
  Result<std::int64_t> seconds = args.next_int<std::int64_t>();
  if (!seconds || *seconds < 0) return Errc::protocol_error;
  return seconds;
}

}  // namespace weft::blynk
