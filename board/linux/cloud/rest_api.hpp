// The local cloud's REST API: the legacy Blynk server's HTTP API (so curl and tests can play the phone app),
// plus listings of devices and recorded notifications. Pins are V0..V255, D0..D255, A0..A255 (pin_ref.hpp).
//
//   GET /{token}/isHardwareConnected        true | false
//   GET /{token}/isAppConnected             false (no phone app here)
//   GET /{token}/get/{pin}                  ["value"] (multi-value: ["a","b"]); 400 when the pin has none
//   GET /{token}/update/{pin}?value=v       stores v and sends it to the device (`vw`, `dw`, `aw`) if online;
//                                           value=a&value=b is a multi-value write; other parameters set
//                                           widget properties (?color=%23D3435C, ?label=Hi), as on the legacy
//                                           server
//   GET /{token}/project                    the device: widgets, pin values, properties, info, counters
//   GET /{token}/redirect?to=host:port      (weft) sends REDIRECT to the connected device
//   GET /{token}/disconnect                 (weft) drops the device's connection (it reconnects)
//   GET /devices                            every device, as /{token}/project (admin key)
//   GET /events[?since=N][&token=T]         notifications and events devices sent (seq > N) (admin key, or
//                                           the token of the device whose events they are)
//   GET /                                   this list, as text
// Errors are 400 with a one-line text (an unknown token is "Invalid token.", as on the legacy server), 404
// for an unknown path, 405 for methods other than GET and HEAD, 401 for a listing without the admin key
// (`Authorization: Bearer KEY`, http_access.hpp); the server answers 421 to a Host it does not know.
#pragma once
#include <string>
#include <string_view>

#include "http_request.hpp"
#include "http_server.hpp"
#include "net/http/json_writer.hpp"

namespace weft::cloud {

class Cloud;
struct Device;
struct CloudEvent;

[[nodiscard]] HttpResponse handle_rest(Cloud& cloud, const HttpRequest& request);

// Writes the JSON of a device as GET /{token}/project answers it; of an event as GET /events lists it; the
// fields of a value as a JSON array of strings ("a\0b" -> ["a","b"]).
void write_device(net::JsonWriter& json, const Device& d);
void write_event(net::JsonWriter& json, const CloudEvent& e);
void write_fields(net::JsonWriter& json, std::string_view raw);
[[nodiscard]] std::string device_json(const Device& d);

}  // namespace weft::cloud
