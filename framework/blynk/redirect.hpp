// REDIRECT bodies (command 41, server -> device): `host\0port`. The device closes the connection, connects to
// host:port and logs in again.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace weft::blynk {

struct Redirect {
  std::string_view host;              // a view into the body
  std::optional<std::uint16_t> port;  // absent: the official client then uses port 80
};

// Errc::protocol_error for: an empty host, a port that is not a decimal number in 1..65535, extra fields.
// O(body size).
[[nodiscard]] Result<Redirect> parse_redirect(std::string_view body);

}  // namespace weft::blynk
