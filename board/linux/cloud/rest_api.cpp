#include "rest_api.hpp"

#include <cstdio>
#include <vector>

#include "blynk/number.hpp"
#include "blynk_connection.hpp"
#include "cloud.hpp"
#include "core/log.hpp"
#include "http_access.hpp"
#include "json_text.hpp"

namespace weft::cloud {
namespace {

constexpr const char* kText = "text/plain; charset=utf-8";

HttpResponse text(int status, std::string body) {
  return HttpResponse{status, kText, std::move(body) + "\n"};
}
HttpResponse json(std::string body) {
  return HttpResponse{200, "application/json", std::move(body)};
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    if (slash != 0) out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

std::string device_json(const Device& d) {
  std::string o;
  JsonObject j(o);
  j.text("name", d.name());
  j.text("token", d.token());
  j.raw("online", d.online() ? "true" : "false");
  if (d.online()) {
    j.text("address", d.address);
    j.raw("online_since_ms", std::to_string(d.online_since_ms));
    j.raw("buff_in", std::to_string(d.connection->buff_in()));
  }
  JsonObject info(j.key("info"));
  for (const auto& [key, value] : d.info)
    info.text(key, value);
  info.end();
  j.key("widgets") += '[';
  for (std::size_t i = 0; i < d.spec.widgets.size(); ++i) {
    const Widget& w = d.spec.widgets[i];
    if (i > 0) o += ',';
    JsonObject widget(o);
    widget.text("type", w.type);
    widget.text("pin", w.pin.name());
    if (!w.label.empty()) widget.text("label", w.label);
    if (w.mode) widget.text("mode", blynk::to_string(*w.mode));
    char number[32];
    if (w.poll_s > 0) {
      std::snprintf(number, sizeof number, "%g", w.poll_s);
      widget.raw("poll_s", number);
    }
    std::snprintf(number, sizeof number, "%.15g", w.min);
    widget.raw("min", number);
    std::snprintf(number, sizeof number, "%.15g", w.max);
    widget.raw("max", number);
    if (w.push) widget.raw("push", "true");
    widget.end();
  }
  o += ']';
  JsonObject pins(j.key("pins"));
  for (const auto& [pin, raw] : d.values)
    append_fields(pins.key(pin.name()), raw);
  pins.end();
  JsonObject properties(j.key("properties"));
  for (const auto& [pin, props] : d.properties) {
    JsonObject of_pin(properties.key(pin.name()));
    for (const auto& [name, raw] : props)
      append_fields(of_pin.key(name), raw);
    of_pin.end();
  }
  properties.end();
  const Device::Counters& c = d.stats;
  JsonObject stats(j.key("stats"));
  stats.raw("logins", std::to_string(c.logins));
  stats.raw("messages_in", std::to_string(c.messages_in));
  stats.raw("messages_out", std::to_string(c.messages_out));
  stats.raw("quota_dropped", std::to_string(c.quota_dropped));
  stats.raw("not_forwarded", std::to_string(c.not_forwarded));
  stats.end();
  j.end();
  return o;
}

void append_event_json(std::string& o, const CloudEvent& e) {
  JsonObject j(o);
  j.raw("seq", std::to_string(e.seq));
  j.raw("unix_ms", std::to_string(e.unix_ms));
  j.text("device", e.device);
  j.text("token", e.token);
  j.text("kind", e.kind);
  j.text("text", e.text);
  j.text("status", e.status);
  j.end();
}

void append_fields(std::string& out, std::string_view raw) {
  out += '[';
  bool first = true;
  for (const std::string& f : split_fields(raw)) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, f);
  }
  out += ']';
}

namespace {

std::string help(const Cloud& cloud) {
  char at[Endpoint::kMaxText];
  (void)cloud.http_endpoint().format(at);
  const std::string base = std::string("http://") + at;
  return "weft local Blynk cloud: REST API (the legacy Blynk server's)\n"
         "  GET " +
         base +
         "/{token}/isHardwareConnected\n"
         "  GET " +
         base +
         "/{token}/get/V1\n"
         "  GET " +
         base +
         "/{token}/update/V1?value=1        (value=a&value=b: multi-value; D2, A0: physical pins)\n"
         "  GET " +
         base +
         "/{token}/update/V1?color=%23D3435C (widget properties)\n"
         "  GET " +
         base +
         "/{token}/project\n"
         "  GET " +
         base + "/{token}/redirect?to=HOST:PORT   GET " + base +
         "/{token}/disconnect\n"
         "  GET " +
         base +
         "/devices          (header Authorization: Bearer ADMIN_KEY)\n"
         "  GET " +
         base + "/events?since=0   (the admin key, or &token= for one device)\n";
}

HttpResponse update(Cloud& cloud, Device& d, PinRef pin, const HttpRequest& req) {
  std::optional<std::vector<std::pair<std::string, std::string>>> params = parse_query(req.query);
  if (!params) return text(400, "Bad percent-escape in the query: write %XX with two hex digits.");
  std::vector<std::string> values;
  std::vector<std::pair<std::string, std::string>> properties;
  for (auto& [name, value] : *params) {
    if (value.find('\0') != std::string::npos) return text(400, "A value cannot contain a NUL byte (%00).");
    if (name == "value") {
      values.push_back(std::move(value));
    } else if (!name.empty()) {
      properties.emplace_back(std::move(name), std::move(value));
    }
  }
  if (values.empty() && properties.empty())
    return text(400,
                "No value: add ?value=... (repeat value= for a multi-value write), or a property such as "
                "?color=%23D3435C.");
  if (pin.type != PinType::virtual_pin && values.size() > 1)
    return text(400, "A physical pin takes one value (" + pin.name() + "?value=1).");
  if (pin.type != PinType::virtual_pin && !values.empty() && !blynk::parse_int<int>(values[0]))
    return text(400, "A physical pin takes a number (" + pin.name() + "?value=1), not '" + values[0] + "'.");
  for (const auto& [name, value] : properties) {
    std::string why;
    if (!cloud.store().set_property(d, pin, name, value, why))
      return text(400, "Property refused: " + why + ".");
  }
  if (values.empty()) return text(200, "");
  std::string why;
  Status s = cloud.app_write(d, pin, join_fields(values), why);
  if (!s && s.error() == Errc::too_large) return text(400, why + ".");
  return HttpResponse{200, kText, ""};
}

HttpResponse events(Cloud& cloud, const HttpRequest& req) {
  std::optional<std::vector<std::pair<std::string, std::string>>> params = parse_query(req.query);
  if (!params) return text(400, "Bad percent-escape in the query.");
  std::uint64_t since = 0;
  std::string token;
  for (const auto& [name, value] : *params) {
    if (name == "since") {
      Result<std::uint64_t> n = blynk::parse_int<std::uint64_t>(value);
      if (!n) return text(400, "since= takes a number: the last seq you have seen.");
      since = *n;
    } else if (name == "token") {
      token = value;
    }
  }
  std::string o = "{\"events\":[";
  bool first = true;
  for (const CloudEvent& e : cloud.store().events()) {
    if (e.seq <= since || (!token.empty() && e.token != token)) continue;
    if (!first) o += ',';
    first = false;
    append_event_json(o, e);
  }
  o += "]}";
  return json(std::move(o));
}

}  // namespace

HttpResponse handle_rest(Cloud& cloud, const HttpRequest& req) {
  if (req.method != "GET" && req.method != "HEAD")
    return text(405, "Method " + req.method +
                         " is not allowed: this API takes GET (e.g. GET /{token}/update/V1?value=1).");
  const std::vector<std::string_view> parts = split_path(req.path);
  if (parts.empty()) return text(200, help(cloud));
  const bool admin_route = parts.size() == 1 && (parts[0] == "devices" || parts[0] == "events");
  if (admin_route && !has_admin_key(req, cloud.options().admin_key)) {
    // /events?token=T shows that device's events only: knowing its token is enough.
    bool own_events = false;
    if (parts[0] == "events") {
      if (std::optional<std::vector<std::pair<std::string, std::string>>> params = parse_query(req.query)) {
        for (const auto& [name, value] : *params)
          if (name == "token" && cloud.store().find(value) != nullptr) own_events = true;
      }
    }
    if (!own_events)
      return text(401, "/" + std::string(parts[0]) +
                           " lists every device's token: send the admin key weft-cloud printed at start, as "
                           "`Authorization: Bearer KEY` (or ask /events?token=T for one device's events).");
  }
  if (parts.size() == 1 && parts[0] == "devices") {
    std::string o = "{\"devices\":[";
    for (std::size_t i = 0; i < cloud.store().devices().size(); ++i) {
      if (i > 0) o += ',';
      o += device_json(*cloud.store().devices()[i]);
    }
    o += "]}";
    return json(std::move(o));
  }
  if (parts.size() == 1 && parts[0] == "events") return events(cloud, req);

  const bool device_route =
      parts.size() == 2 || (parts.size() == 3 && (parts[1] == "get" || parts[1] == "update"));
  if (!device_route) return text(404, "Not found: see GET / for the API.");
  Device* d = cloud.store().find(parts[0]);
  if (d == nullptr) return text(400, "Invalid token.");
  if (parts.size() == 2) {
    if (parts[1] == "isHardwareConnected") return json(d->online() ? "true" : "false");
    if (parts[1] == "isAppConnected") return json("false");
    if (parts[1] == "project") return json(device_json(*d));
    if (parts[1] == "disconnect") {
      if (!cloud.disconnect(*d)) return text(400, "The device is not connected.");
      return text(200, "");
    }
    if (parts[1] == "redirect") {
      std::optional<std::vector<std::pair<std::string, std::string>>> params = parse_query(req.query);
      std::string to;
      if (params) {
        for (const auto& [name, value] : *params)
          if (name == "to") to = value;
      }
      const std::size_t colon = to.rfind(':');
      Result<std::uint16_t> port =
          colon == std::string::npos
              ? Result<std::uint16_t>(Errc::invalid_argument)
              : blynk::parse_int<std::uint16_t>(std::string_view(to).substr(colon + 1));
      if (colon == 0 || !port || *port == 0)
        return text(400, "Write ?to=HOST:PORT (e.g. ?to=127.0.0.1:9443).");
      if (!cloud.redirect(*d, to.substr(0, colon), *port)) return text(400, "The device is not connected.");
      return text(200, "");
    }
  }
  if (parts.size() == 3 && (parts[1] == "get" || parts[1] == "update")) {
    std::optional<PinRef> pin = PinRef::parse(parts[2]);
    if (!pin) return text(400, "Wrong pin format: write V0..V255, D0..D255 or A0..A255.");
    if (parts[1] == "update") return update(cloud, *d, *pin, req);
    auto it = d->values.find(*pin);
    if (it == d->values.end())
      return text(400, "Requested pin doesn't exist in the app: " + pin->name() + " has no value yet.");
    std::string o;
    append_fields(o, it->second);
    return json(o);
  }
  return text(404, "Not found: see GET / for the API.");
}

}  // namespace weft::cloud
