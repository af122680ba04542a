#include "dashboard.hpp"

#include <set>
#include <string_view>
#include <vector>

#include "cloud.hpp"
#include "core/log.hpp"
#include "core/wait_for.hpp"
#include "http_access.hpp"
#include "project.hpp"
#include "rest_api.hpp"
#include "text/number.hpp"

namespace weft::cloud {
namespace {

constexpr const char* kText = "text/plain; charset=utf-8";
constexpr std::size_t kMaxBoardLine = 4096;  // a control-channel request, as the channel takes it
constexpr std::size_t kMaxBoardReply = std::size_t{256} * 1024;  // a `state` reply is a few KiB
constexpr Micros kBoardTimeout = sec(3);                         // connect, send, and the reply
constexpr Micros kKeepAlive = sec(15);                           // a comment on an idle stream
constexpr std::size_t kHistoryPoints = 600;                      // per chart pin in the snapshot

HttpResponse text(int status, std::string body) {
  return HttpResponse{status, kText, std::move(body) + "\n"};
}

// The Host was checked for every request (http_server.cpp); the dashboard's routes also need the admin key
// and refuse other sites' pages.
std::optional<HttpResponse> refuse_admin(const Cloud& cloud, const HttpRequest& req) {
  if (!origin_allowed(req))
    return text(403,
                "Requests from the page of another site are refused: open the dashboard at this server's "
                "own address.");
  if (!has_admin_key(req, cloud.options().admin_key, true))
    return text(401,
                "This needs the admin key weft-cloud printed at start: send the header Authorization: "
                "Bearer KEY (or ?key=KEY).");
  return std::nullopt;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Only plain names of the dashboard directory: no path separators, no dot files.
std::optional<std::string> content_type_of(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.find('/') != std::string_view::npos ||
      name.find('\\') != std::string_view::npos)
    return std::nullopt;
  auto ends = [&](std::string_view ext) {
    return name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  return std::nullopt;
}

HttpResponse static_file(const Cloud& cloud, std::string_view name) {
  const std::string& dir = cloud.options().dashboard_dir;
  std::optional<std::string> type = content_type_of(name);
  if (dir.empty())
    return text(404, "This cloud serves no dashboard (start weft-cloud with --dashboard DIR).");
  if (!type) return text(404, "Not found: the dashboard has index.html, dashboard.js and dashboard.css.");
  HttpResponse r{200, *type, {}};
  if (!read_file(dir + "/" + std::string(name), r.body))
    return text(404, "Not found: no " + std::string(name) + " in the dashboard directory " + dir + ".");
  return r;
}

void write_change(net::JsonWriter& json, const Store& store, const Change& c) {
  static constexpr const char* kKinds[] = {"value", "property", "online", "offline", "event"};
  json.begin_object()
      .member("seq", c.seq)
      .member("unix_ms", c.unix_ms)
      .member("kind", kKinds[static_cast<int>(c.kind)]);
  if (c.device != nullptr) json.member("token", c.device->token());
  switch (c.kind) {
    case Change::Kind::value:
      json.member("pin", c.pin.name());
      write_fields(json.key("value"), c.raw);
      break;
    case Change::Kind::property:
      json.member("pin", c.pin.name()).member("name", c.name);
      write_fields(json.key("value"), c.raw);
      break;
    case Change::Kind::event:
      for (const CloudEvent& e : store.events()) {
        if (e.seq == c.event_seq) write_event(json.key("event"), e);
      }
      break;
    case Change::Kind::online:
    case Change::Kind::offline:
      break;
  }
  json.end_object();
}

std::string snapshot(Cloud& cloud) {
  Store& store = cloud.store();
  net::JsonText o;
  o.begin_object().member("seq", store.last_change()).key("devices").begin_array();
  for (const auto& d : store.devices()) {
    o.begin_object();
    write_device(o.key("device"), *d);
    o.member("board", cloud.options().boards.count(d->token()) != 0).key("history").begin_object();
    std::set<PinRef> charted;
    for (const Widget& w : d->spec.widgets) {
      if (w.type != "chart" || !charted.insert(w.pin).second) continue;
      std::vector<const Change*> values;
      for (const Change& c : store.changes()) {
        if (c.kind == Change::Kind::value && c.device == d.get() && c.pin == w.pin) values.push_back(&c);
      }
      const std::size_t first = values.size() > kHistoryPoints ? values.size() - kHistoryPoints : 0;
      o.key(w.pin.name()).begin_array();
      for (std::size_t i = first; i < values.size(); ++i) {
        o.begin_array().value(values[i]->unix_ms);
        write_fields(o, values[i]->raw);
        o.end_array();
      }
      o.end_array();
    }
    o.end_object().end_object();
  }
  o.end_array().key("events").begin_array();
  for (const CloudEvent& e : store.events()) {
    if (e.seq + 100 <= store.events().back().seq) continue;  // the last 100
    write_event(o, e);
  }
  o.end_array().end_object();
  return o.str();
}

// The device of /api/board/TOKEN or /api/attach/TOKEN.
Device* device_of(Cloud& cloud, std::string_view path, std::string_view prefix) {
  return cloud.store().find(path.substr(prefix.size()));
}

HttpResponse attach(Cloud& cloud, Device& d, const HttpRequest& req) {
  Result<Endpoint> at = Endpoint::parse(req.body);
  if (!at || at->port == 0)
    return text(400, "Send the control channel's address as the body: HOST:PORT (e.g. 127.0.0.1:7001).");
  char name[Endpoint::kMaxText];
  (void)at->format(name);
  if (at->address != IpAddress::loopback_v4() && at->address != IpAddress::loopback_v6())
    return text(400, "Only a control channel on this machine (127.0.0.1 or [::1]) can be attached.");
  cloud.options().boards[d.token()] = name;
  WEFT_LOG_INFO("cloud: the dashboard drives device '%s''s board at %s", d.name().c_str(), name);
  return text(200, "");
}

Task<HttpResponse> board(Cloud& cloud, Device& d, const HttpRequest& req) {
  auto it = cloud.options().boards.find(d.token());
  if (it == cloud.options().boards.end())
    co_return text(404, "Device '" + d.name() +
                            "' has no simulated board attached (./weft demo attaches it; or POST its control "
                            "channel's HOST:PORT to /api/attach/TOKEN).");
  const std::string& body = req.body;
  if (body.empty() || body.front() != '{' || body.size() > kMaxBoardLine ||
      body.find('\n') != std::string::npos)
    co_return text(400,
                   "Send one control-channel request as the body, a JSON object on one line such as "
                   "{\"op\":\"state\"} (board/linux/sim/SCENARIOS.md).");
  Result<Endpoint> at = Endpoint::parse(it->second);
  if (!at) co_return text(500, "The board's address " + it->second + " is not HOST:PORT.");
  Result<TcpStream> s = co_await TcpStream::connect(*at, kBoardTimeout);
  if (!s)
    co_return text(502, "The board of '" + d.name() + "' does not answer at " + it->second + " (" +
                            to_string(s.error()) + "): is the simulation still running?");
  IoResult w = co_await wait_for(s->write_all(body + "\n"), kBoardTimeout);
  std::string reply;
  char buf[4096];
  while (w && reply.find('\n') == std::string::npos && reply.size() < kMaxBoardReply) {
    IoResult r = co_await wait_for(s->read_some(buf), kBoardTimeout);
    if (!r) break;
    reply.append(buf, r.count);
  }
  s->close();
  const std::size_t nl = reply.find('\n');
  if (nl == std::string::npos)
    co_return text(502, "The board of '" + d.name() + "' did not answer the request in time.");
  reply.resize(nl);
  co_return HttpResponse{200, "application/json", std::move(reply)};
}

}  // namespace

bool is_dashboard_request(const HttpRequest& req) {
  if (starts_with(req.path, "/api/") || starts_with(req.path, "/dashboard/")) return true;
  const std::string* accept = req.header("Accept");
  return req.path == "/" && accept != nullptr && accept->find("text/html") != std::string::npos;
}

bool is_stream_request(const HttpRequest& req) {
  return req.path == "/api/stream" && req.method == "GET";
}

Task<HttpResponse> handle_dashboard(Cloud& cloud, const HttpRequest& req) {
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (req.path == "/" && get) co_return static_file(cloud, "index.html");
  if (starts_with(req.path, "/dashboard/") && get)
    co_return static_file(cloud, std::string_view(req.path).substr(11));
  if (std::optional<HttpResponse> no = refuse_admin(cloud, req)) co_return *no;
  if (req.path == "/api/dashboard" && get) co_return HttpResponse{200, "application/json", snapshot(cloud)};
  const bool to_board = starts_with(req.path, "/api/board/");
  if ((to_board || starts_with(req.path, "/api/attach/")) && req.method == "POST") {
    Device* d = device_of(cloud, req.path, to_board ? "/api/board/" : "/api/attach/");
    if (d == nullptr) co_return text(400, "Invalid token.");
    if (!to_board) co_return attach(cloud, *d, req);
    Result<HttpResponse> r = co_await board(cloud, *d, req);
    if (!r) co_return text(503, "The cloud is stopping.");
    co_return std::move(*r);
  }
  co_return text(404,
                 "Not found: the dashboard's API is GET /api/dashboard, GET /api/stream, "
                 "POST /api/board/TOKEN and POST /api/attach/TOKEN.");
}

Task<> serve_stream(Cloud& cloud, PeerStream& stream, const HttpRequest& req) {
  const Micros write_timeout = cloud.options().write_timeout;
  if (std::optional<HttpResponse> no = refuse_admin(cloud, req)) {
    (void)co_await stream.write_all(format_response(*no, false), write_timeout);
    co_return;
  }
  std::uint64_t since = cloud.store().last_change();
  if (std::optional<std::vector<std::pair<std::string, std::string>>> params = parse_query(req.query)) {
    for (const auto& [name, value] : *params) {
      if (name == "since") {
        if (Result<std::uint64_t> n = text::parse_int<std::uint64_t>(value)) since = *n;
      }
    }
  }
  std::string out =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
      "Connection: close\r\nX-Content-Type-Options: nosniff\r\n\r\nretry: 1000\n\n";
  while (!cloud.stopping()) {
    const Store& store = cloud.store();
    if (!store.changes().empty() && store.changes().front().seq > since + 1) {
      out += "event: reset\ndata: {}\n\n";  // the page missed changes: it reloads the snapshot
      since = store.last_change();
    }
    for (const Change& c : store.changes()) {
      if (c.seq <= since) continue;
      net::JsonText change;
      write_change(change, store, c);
      out += "id: " + std::to_string(c.seq) + "\ndata: " + change.str() + "\n\n";
      since = c.seq;
    }
    if (!out.empty()) {
      Result<IoResult> written = co_await stream.write_all(out, write_timeout);
      const IoResult w = net::flatten(written);
      out.clear();
      if (!w) break;
    }
    if (since < cloud.store().last_change()) continue;  // more came while writing
    Status woke = co_await wait_for(cloud.changed().wait(), kKeepAlive);
    if (!woke && woke.error() == Errc::timed_out)
      out = ": keep-alive\n\n";
    else if (!woke)
      break;
  }
}

}  // namespace weft::cloud
