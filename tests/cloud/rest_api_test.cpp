// The local cloud's REST API (the legacy Blynk server's), over real HTTP on the shared port and on its own.
#include "cloud_test_support.hpp"

namespace weft::cloud::test {
namespace {

using blynk::Command;

class CloudRest : public CloudTest {
 protected:
  // GET `target`; the reply (or a failed test).
  Task<Result<HttpReply>> get(std::string target) {
    co_return co_await http_get(cloud->http_endpoint(), target);
  }
  Task<Result<HttpReply>> get_as_admin(std::string target) {
    co_return co_await http_get(cloud->http_endpoint(), target,
                                "Authorization: Bearer " + cloud->options().admin_key + "\r\n");
  }
};

const std::string kA = kTokenA;

TEST_F(CloudRest, TellsWhetherTheHardwareIsConnected) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start();
  run([this]() -> Task<> {
    Result<HttpReply> r = co_await get("/" + kA + "/isHardwareConnected");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "false");
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    r = co_await get("/" + kA + "/isHardwareConnected");
    CO_ASSERT(r);
    EXPECT_EQ(r->body, "true");
  }());
}

TEST_F(CloudRest, UpdateSendsTheValueToTheDeviceAndGetReturnsIt) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    Result<HttpReply> r = co_await get("/" + kA + "/update/V1?value=1");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    Result<Received> f = co_await d.next_of(Command::hardware);
    CO_ASSERT(f);
    EXPECT_EQ(f->text(), "vw|1|1");
    r = co_await get("/" + kA + "/update/V2?value=a%20b&value=c+d");  // multi-value, decoded
    CO_ASSERT(r);
    f = co_await d.next_of(Command::hardware);
    CO_ASSERT(f);
    EXPECT_EQ(f->text(), "vw|2|a b|c d");
    r = co_await get("/" + kA + "/update/d5?value=1");  // physical pins, lower case accepted
    CO_ASSERT(r);
    f = co_await d.next_of(Command::hardware);
    CO_ASSERT(f);
    EXPECT_EQ(f->text(), "dw|5|1");
    r = co_await get("/" + kA + "/get/V2");
    CO_ASSERT(r);
    EXPECT_EQ(r->body, "[\"a b\",\"c d\"]");
  }());
}

TEST_F(CloudRest, GetReturnsWhatTheDeviceWrote) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::hardware, 3, "vw", "5", "21.5"));
    CO_ASSERT(co_await d.send(Command::ping, 4));
    CO_ASSERT(co_await d.next_of(Command::response));  // the write was processed before the ping
    Result<HttpReply> r = co_await get("/" + kA + "/get/V5");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "[\"21.5\"]");
  }());
}

TEST_F(CloudRest, ServesAValueOfAnyBytesAsValidJson) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    // Not UTF-8 (a lone 0xFF, a truncated euro sign), a tab and a BEL: what a device may write.
    CO_ASSERT(co_await d.send(Command::hardware, 3, "vw", "5", "a\xff\t\x07\xe2\x82", "\xc3\xa9"));
    CO_ASSERT(co_await d.send(Command::ping, 4));
    CO_ASSERT(co_await d.next_of(Command::response));
    Result<HttpReply> r = co_await get("/" + kA + "/get/V5");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "[\"a\\ufffd\\t\\u0007\\ufffd\",\"\xc3\xa9\"]");
  }());
}

TEST_F(CloudRest, AnswersMistakesWith400AndWhatToDo) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start();
  run([this]() -> Task<> {
    Result<HttpReply> r = co_await get("/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB/get/V1");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(r->body, "Invalid token.\n");
    r = co_await get("/" + kA + "/get/V9");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("V9 has no value"), std::string::npos);
    r = co_await get("/" + kA + "/get/X1");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("Wrong pin format"), std::string::npos);
    r = co_await get("/" + kA + "/update/V1");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("?value="), std::string::npos);
    r = co_await get("/" + kA + "/update/D1?value=on");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    r = co_await get("/" + kA + "/update/V1?value=%zz");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    r = co_await get("/nothing/here/at/all");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 404);
  }());
}

TEST_F(CloudRest, UpdateWithOtherParametersSetsWidgetProperties) {
  Device* dev = store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start();
  run([this, dev]() -> Task<> {
    Result<HttpReply> r = co_await get("/" + kA + "/update/V1?color=%23D3435C&label=Lamp");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    std::map<std::string, std::string>& props = dev->properties[PinRef{PinType::virtual_pin, 1}];
    EXPECT_EQ(props["color"], "#D3435C");
    EXPECT_EQ(props["label"], "Lamp");
  }());
}

TEST_F(CloudRest, ListsDevicesAndRecordedEvents) {
  store.add(DeviceSpec{.name = "kitchen \"K\"", .token = kTokenA});
  start({.notify_interval = 0});
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::notify, 3, "first"));
    CO_ASSERT(co_await d.send(Command::notify, 4, "second"));
    CO_ASSERT(co_await d.next_of(Command::response));
    CO_ASSERT(co_await d.next_of(Command::response));
    Result<HttpReply> r = co_await get_as_admin("/devices");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("\"name\":\"kitchen \\\"K\\\"\""), std::string::npos) << r->body;
    EXPECT_NE(r->body.find("\"online\":true"), std::string::npos);
    r = co_await get_as_admin("/events?since=1");
    CO_ASSERT(r);
    EXPECT_EQ(r->body.find("\"first\""), std::string::npos) << r->body;
    EXPECT_NE(r->body.find("\"text\":\"second\""), std::string::npos) << r->body;
  }());
}

TEST_F(CloudRest, ServesSeveralRequestsOnOneKeptAliveConnection) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start();
  run([this]() -> Task<> {
    const std::string one = "GET /" + kA + "/update/V1?value=7 HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const std::string two = "GET /" + kA + "/get/V1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    Result<HttpReply> r = co_await http_raw(cloud->http_endpoint(), one + two);  // pipelined
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("[\"7\"]"), std::string::npos) << r->body;
  }());
}

TEST_F(CloudRest, RefusesMalformedRequestsWithAReasonAndCloses) {
  start();
  run([this]() -> Task<> {
    Result<HttpReply> r =
        co_await http_raw(cloud->http_endpoint(), "GET /x HTTP/1.1\r\nBad Header: 1\r\n\r\n");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->head.find("Connection: close"), std::string::npos);
    EXPECT_NE(r->body.find("header name"), std::string::npos) << r->body;
    r = co_await http_raw(cloud->http_endpoint(), "GET /" + std::string(5000, 'a') + " HTTP/1.1\r\n\r\n");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 414);
    r = co_await http_raw(cloud->http_endpoint(), "POST /x HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 413);
  }());
}

TEST_F(CloudRest, AnswersAnIncompleteRequestWith408) {
  start({.http_request_timeout = ms(300)});
  run([this]() -> Task<> {
    Result<HttpReply> r =
        co_await http_raw(cloud->http_endpoint(), "GET /devices HTTP/1.1\r\nHost: localhost\r\n");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 408);
  }());
}

TEST_F(CloudRest, ServesOnItsOwnPortWhenAsked) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start({.http_port = std::uint16_t{0}});
  run([this]() -> Task<> {
    EXPECT_NE(cloud->http_endpoint().port, cloud->blynk_endpoint().port);
    Result<HttpReply> r = co_await get("/" + kA + "/isHardwareConnected");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
  }());
}

TEST_F(CloudRest, RedirectAndDisconnectActOnTheConnectedDevice) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    // A NUL would split the host field on the wire: refused, nothing sent, the device stays connected.
    Result<HttpReply> r = co_await get("/" + kA + "/redirect?to=evil%00host:9443");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("NUL"), std::string::npos) << r->body;
    r = co_await get("/" + kA + "/redirect?to=127.0.0.1:9443");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    Result<Received> f = co_await d.next_of(Command::redirect);
    CO_ASSERT(f);
    EXPECT_EQ(f->text(), "127.0.0.1|9443");
    Status closed = co_await d.wait_closed();
    EXPECT_TRUE(closed.ok());

    RawDevice again;
    CO_ASSERT(co_await again.come_online(at(), kTokenA));
    r = co_await get("/" + kA + "/disconnect");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    closed = co_await again.wait_closed();
    EXPECT_TRUE(closed.ok());
    r = co_await get("/" + kA + "/disconnect");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 400);
  }());
}

TEST_F(CloudRest, ListsTokensOnlyToACallerWithTheAdminKey) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start();
  run([this]() -> Task<> {
    EXPECT_EQ(cloud->options().admin_key.size(), 32u);  // made at start
    for (const char* listing : {"/devices", "/events", "/events?token=nobody"}) {
      Result<HttpReply> r = co_await get(listing);
      CO_ASSERT(r);
      EXPECT_EQ(r->status, 401) << listing;
      EXPECT_NE(r->body.find("admin key"), std::string::npos) << r->body;
      EXPECT_EQ(r->body.find(kA), std::string::npos) << r->body;
    }
    Result<HttpReply> wrong =
        co_await http_get(cloud->http_endpoint(), "/devices", "Authorization: Bearer 0123456789abcdef\r\n");
    CO_ASSERT(wrong);
    EXPECT_EQ(wrong->status, 401);
    Result<HttpReply> own = co_await get("/events?token=" + kA);  // the device's token: its own events
    CO_ASSERT(own);
    EXPECT_EQ(own->status, 200);
    Result<HttpReply> all = co_await get_as_admin("/devices");
    CO_ASSERT(all);
    EXPECT_EQ(all->status, 200);
    EXPECT_NE(all->body.find(kA), std::string::npos);
  }());
}

TEST_F(CloudRest, SendsNoCorsHeaderSoAnotherOriginCannotReadTheAnswers) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start();
  run([this]() -> Task<> {
    Result<HttpReply> r = co_await get("/" + kA + "/isHardwareConnected");
    CO_ASSERT(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->head.find("Access-Control"), std::string::npos) << r->head;
  }());
}

TEST_F(CloudRest, RefusesAHostThatIsNotLoopbackAnAddressOrTheConfiguredName) {
  store.add(DeviceSpec{.name = "a", .token = kTokenA});
  start({.host_names = {"cloud.lan"}});
  run([this]() -> Task<> {
    const std::string target = "GET /" + kA + "/isHardwareConnected HTTP/1.1\r\nConnection: close\r\n";
    for (const char* host : {"Host: attacker.example\r\n", "Host: localhost.attacker.example:8080\r\n", ""}) {
      Result<HttpReply> r = co_await http_raw(cloud->http_endpoint(), target + host + "\r\n");
      CO_ASSERT(r);
      EXPECT_EQ(r->status, 421) << host;
      EXPECT_EQ(r->body.find("true"), std::string::npos);
    }
    for (const char* host : {"Host: localhost:8080\r\n", "Host: 127.0.0.1\r\n", "Host: [::1]:80\r\n",
                             "Host: CLOUD.lan:8080\r\n"}) {
      Result<HttpReply> r = co_await http_raw(cloud->http_endpoint(), target + host + "\r\n");
      CO_ASSERT(r);
      EXPECT_EQ(r->status, 200) << host;
    }
  }());
}

TEST_F(CloudRest, AnswersADripFedRequestWith408AtItsDeadlineNotPerRead) {
  start({.http_request_timeout = ms(600)});
  run([this]() -> Task<> {
    Result<TcpStream> s = co_await TcpStream::connect(cloud->http_endpoint(), sec(5));
    CO_ASSERT(s);
    const Micros started = Loop::current().now();
    const std::string head = "GET /devices HTTP/1.1\r\nHost: localhost\r\nX-Drip: ";
    std::string got;
    char buf[512];
    // One byte every 200 ms: each read is well within the timeout, the request as a whole is not.
    for (std::size_t i = 0; i < 200 && s->is_open(); ++i) {
      const std::string byte = i < head.size() ? head.substr(i, 1) : "a";
      IoResult w = co_await s->write_all(byte);
      if (!w) break;
      IoResult r = co_await wait_for(s->read_some(buf), ms(200));
      if (r.ok()) {
        got.append(buf, r.count);
        break;
      }
      if (r.error != Errc::timed_out) break;
    }
    EXPECT_EQ(got.substr(0, 12), "HTTP/1.1 408") << got;
    EXPECT_LT(Loop::current().now() - started, sec(20));
  }());
}

}  // namespace
}  // namespace weft::cloud::test
