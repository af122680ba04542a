// INTERNAL bodies (command 17): the side channel between device and server.
//
// Server -> device: `acon` / `adis` (an app connected / disconnected), `rtc\0<epoch seconds>` (answer to an
// rtc sync, same id), `utc\0...` (answers to utc requests), `ota\0<url>` (firmware update offered),
// `meta\0...`. Device -> server: the info message (key/value pairs, see FrameWriter::info), `rtc\0sync`,
// `utc\0time|tz|iso...`, `meta\0set\0field\0value`.
//
// parse_internal() matches the op and hands out the remaining fields without copying. An unknown op parses
// fine (op == unknown): the session may ignore it. An empty body is Errc::protocol_error.
#pragma once
#include <cstdint>
#include <string_view>

#include "body.hpp"
#include "core/result.hpp"

namespace weft::blynk {

enum class InternalOp : std::uint8_t {
  rtc,               // "rtc"
  utc,               // "utc"
  app_connected,     // "acon"
  app_disconnected,  // "adis"
  ota,               // "ota"
  meta,              // "meta"
  unknown,           // anything else
};

[[nodiscard]] constexpr InternalOp to_internal_op(std::string_view s) {
  if (s == "rtc") return InternalOp::rtc;
  if (s == "utc") return InternalOp::utc;
  if (s == "acon") return InternalOp::app_connected;
  if (s == "adis") return InternalOp::app_disconnected;
  if (s == "ota") return InternalOp::ota;
  if (s == "meta") return InternalOp::meta;
  return InternalOp::unknown;
}
// The wire text ("rtc", "acon", ...), "" for unknown.
[[nodiscard]] const char* to_string(InternalOp op);

struct InternalMessage {
  InternalOp op = InternalOp::unknown;
  std::string_view op_name;  // as received
  BodyReader args;           // the fields after the op
};

// Errc::protocol_error for an empty body. O(length of the first field).
[[nodiscard]] Result<InternalMessage> parse_internal(std::string_view body);

// The epoch seconds of a server's `rtc\0<seconds>` answer. Errc::protocol_error if the body is anything else
// (another op, a missing, negative or non-numeric value).
[[nodiscard]] Result<std::int64_t> parse_rtc(std::string_view body);
// The same from an already parsed message (a copy: `m` keeps its args).
[[nodiscard]] Result<std::int64_t> rtc_seconds(const InternalMessage& m);

}  // namespace weft::blynk
