#include "rest_api.hpp"

#include <cstdio>
#include <vector>

#include "blynk_connection.hpp"
#include "cloud.hpp"
#include "core/log.hpp"
#include "http_access.hpp"
#include "text/number.hpp"

namespace weft::cloud {
namespace {

constexpr const char* kText = "text/plain; charset=utf-8";

HttpResponse text(int status, std::string body) {
  return HttpResponse{status, kText, std::move(body) + "\n"};
}
HttpResponse json(std::string body) {
  return HttpResponse{200, "application/json", std::move(body)};
}
HttpResponse json(const net::JsonText& document) {
  return json(document.str());
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

void write_device(net::JsonWriter& json, const Device& d) {
  json.begin_object().member("name", d.name()).member("token", d.token()).member("online", d.online());
  if (d.online()) {
    json.member("address", d.address)
        .member("online_since_ms", d.online_since_ms)
        .member("buff_in", d.connection->buff_in());
  }
  json.key("info").begin_object();
  for (const auto& [key, value] : d.info)
    json.member(key, value);
  json.end_object().key("widgets").begin_array();
  for (const Widget& w : d.spec.widgets) {
    json.begin_object().member("type", w.type).member("pin", w.pin.name());
    if (!w.label.empty()) json.member("label", w.label);
    if (w.mode) json.member("mode", blynk::to_string(*w.mode));
    if (w.poll_s > 0) json.member("poll_s", w.poll_s);
    json.member("min", w.min).member("max", w.max);
    if (w.push) json.member("push", true);
    json.end_object();
  }
  json.end_array().key("pins").begin_object();
  for (const auto& [pin, raw] : d.values)
    write_fields(json.key(pin.name()), raw);
  json.end_object().key("properties").begin_object();
  for (const auto& [pin, props] : d.properties) {
    json.key(pin.name()).begin_object();
    for (const auto& [name, raw] : props)
      write_fields(json.key(name), raw);
    json.end_object();
  }
  const Device::Counters& c = d.stats;
  json.end_object()
      .key("stats")
      .begin_object()
      .member("logins", c.logins)
      .member("messages_in", c.messages_in)
      .member("messages_out", c.messages_out)
      .member("quota_dropped", c.quota_dropped)
      .member("not_forwarded", c.not_forwarded)
      .end_object()
      .end_object();
}

std::string device_json(const Device& d) {
  net::JsonText json;
  write_device(json, d);
  return json.str();
}

void write_event(net::JsonWriter& json, const CloudEvent& e) {
  json.begin_object()
      .member("seq", e.seq)
      .member("unix_ms", e.unix_ms)
      .member("device", e.device)
      .member("token", e.token)
      .member("kind", e.kind)
      .member("text", e.text)
      .member("status", e.status)
      .end_object();
}

void write_fields(net::JsonWriter& json, std::string_view raw) {
  json.begin_array();
  for (const std::string& f : split_fields(raw))
    json.value(f);
  json.end_array();
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
  if (pin.type != PinType::virtual_pin && !values.empty() && !text::parse_int<int>(values[0]))
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
      Result<std::uint64_t> n = text::parse_int<std::uint64_t>(value);
      if (!n) return text(400, "since= takes a number: the last seq you have seen.");
      since = *n;
    } else if (name == "token") {
      token = value;
    }
  }
  net::JsonText o;
  o.begin_object().key("events").begin_array();
  for (const CloudEvent& e : cloud.store().events()) {
    if (e.seq <= since || (!token.empty() && e.token != token)) continue;
    write_event(o, e);
  }
  o.end_array().end_object();
  return json(o);
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
    net::JsonText o;
    o.begin_object().key("devices").begin_array();
    for (const auto& d : cloud.store().devices())
      write_device(o, *d);
    o.end_array().end_object();
    return json(o);
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
          colon == std::string::npos ? Result<std::uint16_t>(Errc::invalid_argument)
                                     : text::parse_int<std::uint16_t>(std::string_view(to).substr(colon + 1));
      if (colon == 0 || !port || *port == 0)
        return text(400, "Write ?to=HOST:PORT (e.g. ?to=127.0.0.1:9443).");
      const Status s = cloud.redirect(*d, to.substr(0, colon), *port);
      if (!s && s.error() == Errc::closed) return text(400, "The device is not connected.");
      if (!s) return text(400, "The host cannot contain a NUL byte (%00).");
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
    net::JsonText o;
    write_fields(o, it->second);
    return json(o);
  }
  return text(404, "Not found: see GET / for the API.");
}

}  // namespace weft::cloud
