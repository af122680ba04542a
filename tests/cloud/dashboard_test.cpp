// The dashboard's side of the cloud (dashboard.hpp, http_access.hpp): who may use it, its page, the live
// stream of changes and the way to the simulated board — over real HTTP. The page itself runs in a browser in
// tests/dashboard.
#include "cloud_test_support.hpp"

namespace weft::cloud::test {
namespace {

using blynk::Command;

const std::string kA = kTokenA;
constexpr char kKey[] = "0123456789abcdef0123456789abcdef";

std::string request(std::string_view method, std::string_view target, std::string_view headers,
                    std::string_view body = "") {
  std::string r = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n" + std::string(headers) +
                  "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return r + std::string(body);
}

class CloudDashboard : public CloudTest {
 protected:
  void start_dashboard() {
    store.add(DeviceSpec{.name = "a", .token = kTokenA});
    CloudOptions o;
    o.admin_key = kKey;
    o.dashboard_dir = WEFT_DASHBOARD_DIR;
    start(o);
  }
  std::string host() const {
    char t[Endpoint::kMaxText];
    (void)cloud->http_endpoint().format(t);
    return t;
  }
  // An admin request from this server's own page.
  Task<Result<HttpReply>> admin(std::string_view method, std::string_view target,
                                std::string_view body = "") {
    co_return co_await http_raw(
        at(),
        request(method, target, "Host: " + host() + "\r\nAuthorization: Bearer " + kKey + "\r\n", body));
  }
};

TEST_F(CloudDashboard, RefusesAWrongHostAForeignOriginAndAMissingOrWrongKey) {
  start_dashboard();
  run([this]() -> Task<> {
    Result<HttpReply> r = co_await http_raw(at(), request("GET", "/api/dashboard", "Host: evil.example\r\n"));
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 421);
    EXPECT_NE(r->body.find("--host-name"), std::string::npos) << r->body;
    r = co_await http_raw(at(), request("GET", "/api/dashboard", "Host: " + host() + "\r\n"));
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_NE(r->body.find("admin key"), std::string::npos) << r->body;
    r = co_await http_raw(
        at(), request("GET", "/api/dashboard", "Host: " + host() + "\r\nAuthorization: Bearer wrong\r\n"));
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 401);
    r = co_await http_raw(at(), request("GET", "/api/dashboard",
                                        "Host: " + host() + "\r\nAuthorization: Bearer " + kKey +
                                            "\r\nOrigin: http://evil.example\r\n"));
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(r->body.find(kA), std::string::npos);
    // The key as a bearer token, in the query, and from the page's own origin: all fine.
    r = co_await http_raw(at(), request("GET", "/api/dashboard",
                                        "Host: " + host() + "\r\nAuthorization: Bearer " + kKey +
                                            "\r\nOrigin: http://" + host() + "\r\n"));
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    r = co_await http_raw(at(),
                          request("GET", std::string("/api/dashboard?key=") + kKey, "Host: localhost\r\n"));
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find(kA), std::string::npos);
    EXPECT_EQ(r->head.find("Access-Control-Allow-Origin"), std::string::npos) << r->head;
  }());
}

TEST_F(CloudDashboard, AcceptsTheHostNamesItIsGiven) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  CloudOptions o;
  o.admin_key = kKey;
  o.host_names = {"pi.local"};
  start(o);
  run([this]() -> Task<> {
    Result<HttpReply> r = co_await http_raw(
        at(), request("GET", "/api/dashboard",
                      std::string("Host: pi.local:8080\r\nAuthorization: Bearer ") + kKey + "\r\n"));
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
  }());
}

TEST_F(CloudDashboard, ServesThePageToBrowsersAndTheApiHelpToCurl) {
  start_dashboard();
  run([this]() -> Task<> {
    Result<HttpReply> r =
        co_await http_raw(at(), request("GET", "/", "Host: " + host() + "\r\nAccept: text/html,*/*\r\n"));
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->head.find("text/html"), std::string::npos);
    EXPECT_NE(r->body.find("/dashboard/dashboard.js"), std::string::npos);
    r = co_await http_get(at(), "/dashboard/dashboard.js");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->head.find("text/javascript"), std::string::npos);
    r = co_await http_get(at(), "/");
    CO_ASSERT(r);
    EXPECT_NE(r->body.find("REST API"), std::string::npos);
    for (const char* bad : {"/dashboard/../cloud.cpp", "/dashboard/.hidden.js", "/dashboard/missing.js",
                            "/dashboard/CMakeLists.txt"}) {
      r = co_await http_get(at(), bad);
      CO_ASSERT(r);
      EXPECT_EQ(r->status, 404) << bad;
    }
  }());
}

TEST_F(CloudDashboard, TheSnapshotListsDevicesWidgetsAndChartHistory) {
  DeviceSpec spec{.name = "a", .token = kTokenA};
  spec.widgets.push_back(Widget{.type = "chart", .pin = *PinRef::parse("V6"), .min = 0, .max = 1023});
  spec.widgets.push_back(Widget{.type = "button", .pin = *PinRef::parse("V1"), .push = true});
  store.add(spec);
  CloudOptions o;
  o.admin_key = kKey;
  start(o);
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::hardware, 2, "vw", "6", "10"));
    CO_ASSERT(co_await d.send(Command::hardware, 3, "vw", "6", "20"));
    Result<Received> ok = co_await d.next_of(Command::response);  // the writes were handled
    Result<HttpReply> r = Errc::timed_out;
    for (int i = 0; i < 50; ++i) {
      r = co_await admin("GET", "/api/dashboard");
      CO_ASSERT(r);
      if (r->body.find("\"20\"]]") != std::string::npos) break;
      co_await sleep_ms(20);
    }
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("\"max\":1023"), std::string::npos) << r->body;
    EXPECT_NE(r->body.find("\"push\":true"), std::string::npos) << r->body;
    EXPECT_NE(r->body.find("\"history\":{\"V6\":[["), std::string::npos) << r->body;
    EXPECT_NE(r->body.find(",[\"10\"]],["), std::string::npos) << r->body;
    EXPECT_NE(r->body.find("\"board\":false"), std::string::npos) << r->body;
    (void)ok;
  }());
}

TEST_F(CloudDashboard, TheStreamDeliversEachChangeAsItHappens) {
  start_dashboard();
  run([this]() -> Task<> {
    Result<TcpStream> s = co_await TcpStream::connect(at(), sec(5));
    CO_ASSERT(s);
    const std::string since = std::to_string(store.last_change());
    CO_ASSERT(co_await s->write_all(
        request("GET", "/api/stream?since=" + since + "&key=" + kKey, "Host: " + host() + "\r\n")));
    std::string seen;
    char buf[4096];
    auto read_until = [&](std::string what) -> Task<bool> {
      while (seen.find(what) == std::string::npos) {
        IoResult r = co_await wait_for(s->read_some(buf), sec(5));
        if (!r) co_return false;
        seen.append(buf, r.count);
      }
      co_return true;
    };
    Result<bool> got = co_await read_until("text/event-stream");
    CO_ASSERT(got.ok() && *got);
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    got = co_await read_until("\"kind\":\"online\",\"token\":\"" + kA + "\"");
    CO_ASSERT(got.ok() && *got);
    CO_ASSERT(co_await d.send(Command::hardware, 2, "vw", "6", "700"));
    got = co_await read_until("\"pin\":\"V6\",\"value\":[\"700\"]");
    CO_ASSERT(got.ok() && *got);
    CO_ASSERT(co_await d.send(Command::notify, 3, "hello"));
    got = co_await read_until("\"kind\":\"event\"");
    CO_ASSERT(got.ok() && *got);
    got = co_await read_until("\"text\":\"hello\"");
    CO_ASSERT(got.ok() && *got);
    d.close();
    got = co_await read_until("\"kind\":\"offline\"");
    CO_ASSERT(got.ok() && *got);
  }());
}

TEST_F(CloudDashboard, TheStreamNeedsTheKey) {
  start_dashboard();
  run([this]() -> Task<> {
    Result<HttpReply> r = co_await http_raw(at(), request("GET", "/api/stream", "Host: " + host() + "\r\n"));
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 401);
  }());
}

TEST_F(CloudDashboard, TheBoardNeedsALoopbackControlChannelThatAnswers) {
  start_dashboard();
  run([this]() -> Task<> {
    Result<HttpReply> r = co_await admin("POST", "/api/board/" + kA, "{\"op\":\"state\"}");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 404);
    EXPECT_NE(r->body.find("no simulated board"), std::string::npos) << r->body;
    r = co_await admin("POST", "/api/attach/" + kA, "10.0.0.1:7000");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    r = co_await admin("POST", "/api/attach/" + kA, "not an address");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    r = co_await admin("POST", "/api/attach/WRONGTOKEN", "127.0.0.1:7000");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    // A control channel of our own: it answers one line per request.
    Result<TcpListener> l = TcpListener::listen(Endpoint{IpAddress::loopback_v4(), 0}, 4);
    CO_ASSERT(l);
    char addr[Endpoint::kMaxText];
    (void)l->local_endpoint()->format(addr);
    r = co_await admin("POST", "/api/attach/" + kA, addr);
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    r = co_await admin("POST", "/api/board/" + kA, "not json");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    JoinHandle<void> channel = Loop::current().spawn([](TcpListener& listener) -> Task<> {
      Result<TcpStream> c = co_await listener.accept();
      if (!c) co_return;
      char buf[256];
      std::string line;
      while (line.find('\n') == std::string::npos) {
        IoResult n = co_await c->read_some(buf);
        if (!n) co_return;
        line.append(buf, n.count);
      }
      (void)co_await c->write_all(line == "{\"op\":\"state\"}\n" ? "{\"ok\":true,\"adc\":5}\n"
                                                                 : "{\"ok\":false}\n");
    }(*l));
    r = co_await admin("POST", "/api/board/" + kA, "{\"op\":\"state\"}");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "{\"ok\":true,\"adc\":5}");
    (void)co_await channel.join();
    l->close();
    r = co_await admin("POST", "/api/board/" + kA, "{\"op\":\"state\"}");  // nobody there any more
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 502);
    EXPECT_NE(r->body.find("still running"), std::string::npos) << r->body;
  }());
}

}  // namespace
}  // namespace weft::cloud::test
