// HttpClient against a server weft did not write: Python's http.server (http_receiver.py), over loopback.
#include "net/http/client.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/test_support.hpp"
#include "http_receiver.hpp"
#include "io/io_test_support.hpp"
#include "linux/io/linux_socket_port.hpp"
#include "linux/linux_clock.hpp"
#include "net/http/json_writer.hpp"

namespace weft::net {
namespace {

using test::HttpReceiver;
using test::LogCapture;

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// The value of "key":"..." or "key":<number> in a record line (enough for the receiver's sorted JSON).
std::string field(const std::string& record, const std::string& key) {
  std::size_t at = record.find("\"" + key + "\":");
  if (at == std::string::npos) return "";
  at += key.size() + 3;
  if (record[at] == '"') return record.substr(at + 1, record.find('"', at + 1) - at - 1);
  return record.substr(at, record.find_first_of(",}", at) - at);
}

class HttpClientTest : public test::IoTest {
 public:
  void SetUp() override { ASSERT_TRUE(server.started()) << server.error(); }
  HttpReceiver server;
  char buffer[2048];
};

TEST_F(HttpClientTest, PostsTheWebhookJsonAndTheServerRecordsMethodPathHeadersAndBody) {
  std::string url = server.url("/trigger/button_pressed/with/key/abc");
  run([](HttpClientTest& t, std::string u) -> Task<> {
    char json[64];
    JsonWriter body(json);
    body.begin_object().member("value1", "micropython1").end_object();
    HttpClient http(t.buffer);
    Header extra[] = {{"X-Button", "dash"}};
    Result<HttpResponse> r = co_await http.post(u, *body.finish(), "application/json", extra);
    CO_ASSERT(r.ok());
    EXPECT_EQ(r->status(), 200);
    EXPECT_EQ(r->reason(), "OK");
    EXPECT_EQ(r->header("content-type").value_or(""), "text/html");
    Result<std::string_view> text = co_await r->body();
    CO_ASSERT(text.ok());
    EXPECT_EQ(*text, "Congratulations! You've fired the button_pressed event");
  }(*this, url));
  std::vector<std::string> records = server.records();
  ASSERT_EQ(records.size(), 1u);
  const std::string& r = records[0];
  EXPECT_EQ(field(r, "method"), "POST");
  EXPECT_EQ(field(r, "path"), "/trigger/button_pressed/with/key/abc");
  EXPECT_TRUE(contains(r, R"("json":{"value1":"micropython1"})")) << r;
  EXPECT_TRUE(contains(r, R"("Content-Type":"application/json")")) << r;
  EXPECT_TRUE(contains(r, R"("Content-Length":"25")")) << r;
  EXPECT_TRUE(contains(r, R"("X-Button":"dash")")) << r;
  EXPECT_TRUE(contains(r, "\"Host\":\"127.0.0.1:" + std::to_string(server.port()) + "\"")) << r;
  EXPECT_TRUE(contains(r, R"("User-Agent":"weft/0.1")")) << r;
}

TEST_F(HttpClientTest, SendsPutDeleteAndHeadWithTheirMethods) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> put = co_await http.put(t.server.url("/echo"), "{\"a\":1}");
    CO_ASSERT(put.ok());
    Result<std::string_view> echo = co_await put->body();
    CO_ASSERT(echo.ok());
    EXPECT_TRUE(contains(std::string(*echo), R"("body": "{\"a\":1}")")) << *echo;
    EXPECT_TRUE(contains(std::string(*echo), R"("method": "PUT")")) << *echo;
    Result<HttpResponse> del = co_await http.del(t.server.url("/echo"));
    CO_ASSERT(del.ok());
    Result<std::string_view> deleted = co_await del->body();
    CO_ASSERT(deleted.ok());
    EXPECT_TRUE(contains(std::string(*deleted), R"("method": "DELETE")")) << *deleted;
    Result<HttpResponse> head = co_await http.head(t.server.url("/status/200"));
    CO_ASSERT(head.ok());
    EXPECT_EQ(head->status(), 200);
    EXPECT_EQ(head->header("Content-Length").value_or(""), "15");  // the length a GET would get...
    Result<std::string_view> none = co_await head->body();
    CO_ASSERT(none.ok());
    EXPECT_EQ(*none, "");  // ...but a HEAD response has no body
  }(*this));
}

TEST_F(HttpClientTest, ReturnsClientAndServerErrorsAsResponsesWithTheirStatus) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    for (int status : {400, 404, 500, 503}) {
      Result<HttpResponse> r = co_await http.get(t.server.url("/status/" + std::to_string(status)));
      CO_ASSERT(r.ok());
      EXPECT_EQ(r->status(), status);
      Result<std::string_view> body = co_await r->body();
      CO_ASSERT(body.ok());
      EXPECT_EQ(*body, "{\"status\": " + std::to_string(status) + "}");
    }
  }(*this));
}

TEST_F(HttpClientTest, ReadsAChunkedBodyWithExtensionsAndTrailers) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> r = co_await http.get(t.server.url("/chunked"));
    CO_ASSERT(r.ok());
    EXPECT_EQ(r->header("Transfer-Encoding").value_or(""), "chunked");
    Result<std::string_view> body = co_await r->body();
    CO_ASSERT(body.ok());
    EXPECT_EQ(*body, "Hello, chunked world!");
  }(*this));
}

TEST_F(HttpClientTest, SkipsInterimResponsesToTheFinalOne) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> r = co_await http.get(t.server.url("/interim"));
    CO_ASSERT(r.ok());
    EXPECT_EQ(r->status(), 200);
    EXPECT_FALSE(r->header("Link").has_value());
    Result<std::string_view> body = co_await r->body();
    EXPECT_EQ(body.value_or(""), "ok");
  }(*this));
}

TEST_F(HttpClientTest, ReadsABodyThatEndsWhenTheServerCloses) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> r = co_await http.get(t.server.url("/until-close"));
    CO_ASSERT(r.ok());
    Result<std::string_view> body = co_await r->body();
    CO_ASSERT(body.ok());
    EXPECT_EQ(*body, "until the end");
  }(*this));
}

// Streams `url` through a 100-byte buffer; returns the byte count or the error.
Task<Result<std::size_t>> stream(HttpClient& http, std::string url) {
  Result<HttpResponse> r = co_await http.get(url);
  if (!r) co_return r.error();
  std::size_t total = 0;
  char piece[100];
  for (;;) {
    Result<std::size_t> n = co_await r->read(piece);
    if (!n) co_return n.error();
    if (*n == 0) co_return total;
    EXPECT_LE(*n, sizeof piece);
    EXPECT_EQ(piece[0], 'x');
    total += *n;
  }
}

TEST_F(HttpClientTest, StreamsAHugeBodyInSmallPiecesWithoutHoldingIt) {
  run([](HttpClientTest& t) -> Task<> {
    HttpOptions o;
    o.max_body = 2 * 1000 * 1000;
    HttpClient http(std::span<char>(t.buffer, 512), o);  // far smaller than the body
    Result<std::size_t> plain = co_await stream(http, t.server.url("/huge/1000000"));
    EXPECT_EQ(plain.value_or(0), 1000000u);
    Result<std::size_t> chunked = co_await stream(http, t.server.url("/huge-chunked/1000000"));
    EXPECT_EQ(chunked.value_or(0), 1000000u);
  }(*this));
}

TEST_F(HttpClientTest, RefusesABodyOverItsLimitWithoutReadingIt) {
  LogCapture log;
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(std::span<char>(t.buffer, 1024));
    Result<HttpResponse> r = co_await http.get(t.server.url("/huge/100000"));
    CO_ASSERT(r.ok());
    Result<std::string_view> body = co_await r->body();  // Content-Length says it will not fit: at once
    EXPECT_EQ(body.error(), Errc::too_large);
    Result<std::size_t> again = co_await r->read(t.buffer);
    EXPECT_EQ(again.error(), Errc::closed);  // the response is over
    EXPECT_FALSE(http.connected());

    Result<HttpResponse> chunked = co_await http.get(t.server.url("/huge-chunked/100000"));
    CO_ASSERT(chunked.ok());
    Result<std::string_view> chunked_body = co_await chunked->body();  // no length: found while reading
    EXPECT_EQ(chunked_body.error(), Errc::too_large);

    http.options().max_body = 5000;
    Result<std::size_t> streamed = co_await stream(http, t.server.url("/huge-chunked/100000"));
    EXPECT_EQ(streamed.error(), Errc::too_large);
    Result<std::size_t> declared = co_await stream(http, t.server.url("/huge/100000"));
    EXPECT_EQ(declared.error(), Errc::too_large);
  }(*this));
  EXPECT_TRUE(log.contains("http: the response body does not fit in the client's buffer (too large)"));
  EXPECT_TRUE(log.contains("http: the response body is longer than max_body (too large)"));
}

TEST_F(HttpClientTest, TimesOutOnAServerThatDoesNotAnswer) {
  run([](HttpClientTest& t) -> Task<> {
    HttpOptions o;
    o.read_timeout = ms(300);
    HttpClient http(t.buffer, o);
    Result<HttpResponse> r = co_await http.get(t.server.url("/slow/5000"));
    EXPECT_EQ(r.error(), Errc::timed_out);
    EXPECT_FALSE(http.connected());
    Result<HttpResponse> next = co_await http.get(t.server.url("/status/200"));  // the client goes on
    EXPECT_EQ(next.ok() ? next->status() : 0, 200);
  }(*this));
}

TEST_F(HttpClientTest, GivesUpOnAServerThatTricklesAByteAtATimeAtTheRequestTimeout) {
  run([](HttpClientTest& t) -> Task<> {
    HttpOptions o;
    o.read_timeout = ms(500);      // every byte comes well within it ...
    o.request_timeout = ms(1500);  // ... the whole response would take 30 s
    HttpClient http(t.buffer, o);
    const Micros started = Loop::current().now();
    Result<HttpResponse> r = co_await http.get(t.server.url("/drip/100"));
    EXPECT_EQ(r.error(), Errc::timed_out);
    EXPECT_LT(Loop::current().now() - started, sec(15));
    EXPECT_FALSE(http.connected());
  }(*this));
}

TEST_F(HttpClientTest, TimesOutOnABodyThatDoesNotCome) {
  run([](HttpClientTest& t) -> Task<> {
    HttpOptions o;
    o.read_timeout = ms(300);
    HttpClient http(t.buffer, o);
    Result<HttpResponse> r = co_await http.get(t.server.url("/slow-body/5000"));
    CO_ASSERT(r.ok());
    EXPECT_EQ(r->status(), 200);
    Result<std::string_view> body = co_await r->body();
    EXPECT_EQ(body.error(), Errc::timed_out);
  }(*this));
}

TEST_F(HttpClientTest, ACancelledBodyReadEndsTheResponse) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> r = co_await http.get(t.server.url("/slow-body/5000"));
    CO_ASSERT(r.ok());
    Result<std::string_view> body = co_await wait_for(r->body(), ms(200));
    EXPECT_EQ(body.error(), Errc::timed_out);
    EXPECT_FALSE(http.connected());
    char piece[8];
    Result<std::size_t> more = co_await r->read(piece);
    EXPECT_EQ(more.error(), Errc::closed);
  }(*this));
}

TEST_F(HttpClientTest, ReportsAReplyThatIsNotHttpAsAProtocolError) {
  LogCapture log;
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> r = co_await http.get(t.server.url("/garbage"));
    EXPECT_EQ(r.error(), Errc::protocol_error);
  }(*this));
  EXPECT_TRUE(log.contains("http: the server's reply is not HTTP"));
}

TEST_F(HttpClientTest, ReportsAConnectionClosedBeforeTheResponseWasComplete) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> early = co_await http.get(t.server.url("/close-early"));
    EXPECT_EQ(early.error(), Errc::closed);
    Result<HttpResponse> mid_head = co_await http.get(t.server.url("/close-mid-head"));
    EXPECT_EQ(mid_head.error(), Errc::closed);
    Result<HttpResponse> mid_body = co_await http.get(t.server.url("/close-mid-body"));
    CO_ASSERT(mid_body.ok());
    Result<std::string_view> body = co_await mid_body->body();
    EXPECT_EQ(body.error(), Errc::closed);
  }(*this));
}

TEST_F(HttpClientTest, FollowsRedirectsUpToTheLimit) {
  LogCapture log;
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> r = co_await http.get(t.server.url("/redirect/3"));
    CO_ASSERT(r.ok());
    EXPECT_EQ(r->status(), 200);
    Result<std::string_view> body = co_await r->body();
    EXPECT_EQ(body.value_or(""), "{\"redirected\":true}");
    Result<HttpResponse> endless = co_await http.get(t.server.url("/redirect/4"));
    EXPECT_EQ(endless.error(), Errc::protocol_error);
    http.options().max_redirects = 0;
    Result<HttpResponse> raw = co_await http.get(t.server.url("/redirect/1"));
    CO_ASSERT(raw.ok());
    EXPECT_EQ(raw->status(), 302);
    EXPECT_EQ(raw->header("Location").value_or(""), "/redirect/0");
  }(*this));
  EXPECT_TRUE(log.contains("http: more than 3 redirects (the last to \"/redirect/0\")"));
  EXPECT_EQ(server.records().size(), 4u + 4u + 1u);
}

TEST_F(HttpClientTest, TurnsAPostIntoAGetWithoutBodyOnSeeOther) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> r = co_await http.post(t.server.url("/see-other"), "{\"x\":1}");
    CO_ASSERT(r.ok());
    EXPECT_EQ(r->status(), 200);
  }(*this));
  std::vector<std::string> records = server.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(field(records[0], "method"), "POST");
  EXPECT_EQ(field(records[1], "method"), "GET");
  EXPECT_EQ(field(records[1], "path"), "/echo");
  EXPECT_EQ(field(records[1], "body"), "");
  EXPECT_FALSE(contains(records[1], "Content-Type")) << records[1];
}

Result<Endpoint> no_such_name(const char*, std::uint16_t) {
  return Errc::name_not_found;
}

TEST_F(HttpClientTest, ReportsAnUnknownHostAsNameNotFound) {
  linux_board::LinuxSocketPort sockets(linux_board::linux_clock(), &no_such_name);
  run([](HttpClientTest& t, SocketPort& port) -> Task<> {
    HttpClient http(t.buffer, {}, port);
    Result<HttpResponse> r = co_await http.get("http://maker1.ifttt.com/trigger/x");
    EXPECT_EQ(r.error(), Errc::name_not_found);
  }(*this, sockets));
}

TEST_F(HttpClientTest, ReportsAServerThatIsDownAsRefused) {
  std::uint16_t free_port = 0;
  {
    test::RawListener l;  // a port that was just free: nothing listens once it is closed
    free_port = l.endpoint().port;
  }
  run([](HttpClientTest& t, std::uint16_t p) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> r = co_await http.post("http://127.0.0.1:" + std::to_string(p) + "/hook", "{}");
    EXPECT_EQ(r.error(), Errc::refused);
  }(*this, free_port));
}

TEST_F(HttpClientTest, RefusesBadUrlsAndHeadersWithAClearLogLine) {
  LogCapture log;
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    auto no_scheme = co_await http.get("maker.ifttt.com/trigger");
    EXPECT_EQ(no_scheme.error(), Errc::invalid_argument);
    Header bad[] = {{"X-A", "1\r\nX-B: 2"}};
    auto injected = co_await http.get(t.server.url("/echo"), bad);
    EXPECT_EQ(injected.error(), Errc::invalid_argument);
  }(*this));
  EXPECT_TRUE(
      log.contains("http: bad URL \"maker.ifttt.com/trigger\": missing scheme: write http://host/path"));
  EXPECT_TRUE(log.contains(": CR, LF or NUL in a header value"));
  EXPECT_TRUE(server.records().empty());
}

TEST_F(HttpClientTest, ReportsAResponseHeadLongerThanItsBuffer) {
  LogCapture log;
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(std::span<char>(t.buffer, 100));  // the request fits; the response head does not
    Result<HttpResponse> r = co_await http.get(t.server.url("/status/200"));
    EXPECT_EQ(r.error(), Errc::too_large);
  }(*this));
  EXPECT_TRUE(log.contains("http: the response head is longer than the client's buffer (100 bytes)"));
}

TEST_F(HttpClientTest, KeepsTheConnectionAliveWhenAsked) {
  run([](HttpClientTest& t) -> Task<> {
    HttpOptions o;
    o.keep_alive = true;
    HttpClient http(t.buffer, o);
    for (int i = 0; i < 3; ++i) {
      Result<HttpResponse> r = co_await http.get(t.server.url("/keep-alive"));
      CO_ASSERT(r.ok());
      Result<std::string_view> body = co_await r->body();
      EXPECT_EQ(body.value_or(""), "kept");
      EXPECT_TRUE(http.connected());
    }
  }(*this));
  std::vector<std::string> records = server.records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(field(records[0], "peer"), field(records[1], "peer"));
  EXPECT_EQ(field(records[1], "peer"), field(records[2], "peer"));
  EXPECT_FALSE(contains(records[0], "\"Connection\"")) << records[0];
}

TEST_F(HttpClientTest, RetriesOnceWhenTheServerDroppedAKeptConnection) {
  run([](HttpClientTest& t) -> Task<> {
    HttpOptions o;
    o.keep_alive = true;
    HttpClient http(t.buffer, o);
    Result<HttpResponse> first = co_await http.get(t.server.url("/keep-then-close"));
    CO_ASSERT(first.ok());
    auto first_body = co_await first->body();
    EXPECT_EQ(first_body.value_or(""), "dropped");
    co_await sleep_ms(200);  // the server's FIN arrives
    Result<HttpResponse> second = co_await http.get(t.server.url("/keep-alive"));
    CO_ASSERT(second.ok());
    auto second_body = co_await second->body();
    EXPECT_EQ(second_body.value_or(""), "kept");
  }(*this));
  std::vector<std::string> records = server.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_NE(field(records[0], "peer"), field(records[1], "peer"));
}

TEST_F(HttpClientTest, WithoutKeepAliveAsksTheServerToClose) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> r = co_await http.get(t.server.url("/keep-alive"));
    CO_ASSERT(r.ok());
    auto kept = co_await r->body();
    EXPECT_EQ(kept.value_or(""), "kept");
    EXPECT_FALSE(http.connected());
  }(*this));
  EXPECT_TRUE(contains(server.records().at(0), R"("Connection":"close")"));
}

TEST_F(HttpClientTest, AllowsOneRequestAtATime) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    auto slow = [](HttpClient& c, std::string u) -> Task<int> {
      Result<HttpResponse> r = co_await c.get(u);
      co_return r.ok() ? r->status() : -1;
    };
    JoinHandle<int> first = Loop::current().spawn(slow(http, t.server.url("/slow/300")));
    co_await sleep_ms(50);
    Result<HttpResponse> second = co_await http.get(t.server.url("/status/200"));
    EXPECT_EQ(second.error(), Errc::busy);
    Result<int> status = co_await first.join();
    EXPECT_EQ(status.value_or(0), 200);
  }(*this));
}

TEST_F(HttpClientTest, ANewRequestEndsThePreviousResponse) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> old = co_await http.get(t.server.url("/chunked"));
    CO_ASSERT(old.ok());
    Result<HttpResponse> fresh = co_await http.get(t.server.url("/status/201"));
    CO_ASSERT(fresh.ok());
    EXPECT_EQ(old->status(), 200);  // the handle keeps its own status
    auto old_body = co_await old->body();
    EXPECT_EQ(old_body.error(), Errc::closed);
    char piece[8];
    auto old_read = co_await old->read(piece);
    EXPECT_EQ(old_read.error(), Errc::closed);
    EXPECT_EQ(fresh->status(), 201);
    auto empty_read = co_await fresh->read(std::span<char>());
    EXPECT_EQ(empty_read.error(), Errc::invalid_argument);
  }(*this));
}

TEST_F(HttpClientTest, ACancelledRequestLeavesTheClientUsable) {
  run([](HttpClientTest& t) -> Task<> {
    HttpClient http(t.buffer);
    Result<HttpResponse> r = co_await wait_for(http.get(t.server.url("/slow/5000")), ms(200));
    EXPECT_EQ(r.error(), Errc::timed_out);
    EXPECT_FALSE(http.connected());
    Result<HttpResponse> next = co_await http.get(t.server.url("/status/200"));
    EXPECT_EQ(next.ok() ? next->status() : 0, 200);
  }(*this));
}

}  // namespace
}  // namespace weft::net
