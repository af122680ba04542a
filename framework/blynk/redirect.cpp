#include "redirect.hpp"

#include "body.hpp"

namespace weft::blynk {

Result<Redirect> parse_redirect(std::string_view body) {
  BodyReader fields(body);
  const std::optional<std::string_view> host = fields.next();
  if (!host || host->empty()) return Errc::protocol_error;
  Redirect r{*host, std::nullopt};
  if (const std::optional<std::string_view> port_text = fields.next()) {
    const Result<std::uint16_t> port = text::parse_int<std::uint16_t>(*port_text);
    if (!port || *port == 0) return Errc::protocol_error;
    r.port = *port;
  }
  if (!fields.at_end()) return Errc::protocol_error;
  return r;
}

}  // namespace weft::blynk
