// HttpRequestParser: requests in any chunking, limits, and the status each malformed request gets.
#include "http_request.hpp"

#include <gtest/gtest.h>

namespace weft::cloud {
namespace {

using State = HttpRequestParser::State;

// Feeds `text` in chunks of `chunk` bytes; returns the parser's final state.
State feed(HttpRequestParser& p, std::string_view text, std::size_t chunk = 1 << 20) {
  while (!text.empty() && p.state() != State::done && p.state() != State::failed) {
    const std::string_view piece = text.substr(0, chunk);
    const std::size_t used = p.feed(piece);
    text.remove_prefix(used);
    if (used < piece.size()) break;
  }
  return p.state();
}

TEST(HttpRequestParser, ParsesARequestWithHeadersAndABody) {
  HttpRequestParser p;
  ASSERT_EQ(
      feed(p, "PUT /a%20b/c?x=1&y=%2F HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nX-Y:  v \r\n\r\nhello"),
      State::done);
  const HttpRequest& r = p.request();
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.path, "/a b/c");
  EXPECT_EQ(r.query, "x=1&y=%2F");
  EXPECT_EQ(r.body, "hello");
  ASSERT_NE(r.header("x-y"), nullptr);
  EXPECT_EQ(*r.header("x-y"), "v");
  EXPECT_TRUE(r.keep_alive());
}

TEST(HttpRequestParser, GivesTheSameResultWhateverTheChunking) {
  const std::string text = "GET /t/get/V1?value=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 64u}) {
    HttpRequestParser p;
    ASSERT_EQ(feed(p, text, chunk), State::done) << chunk;
    EXPECT_EQ(p.request().path, "/t/get/V1");
    EXPECT_EQ(p.request().body, "abc");
  }
}

TEST(HttpRequestParser, LeavesThePipelinedNextRequestUnconsumed) {
  HttpRequestParser p;
  const std::string two = "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n";
  const std::size_t used = p.feed(two);
  ASSERT_EQ(p.state(), State::done);
  EXPECT_EQ(p.request().path, "/1");
  p.reset();
  EXPECT_EQ(p.feed(std::string_view(two).substr(used)), two.size() - used);
  EXPECT_EQ(p.request().path, "/2");
}

TEST(HttpRequestParser, AcceptsBareLineFeedsAndAnAbsoluteTarget) {
  HttpRequestParser p;
  ASSERT_EQ(feed(p, "GET http://host:8080/x?q HTTP/1.0\nConnection: keep-alive\n\n"), State::done);
  EXPECT_EQ(p.request().path, "/x");
  EXPECT_EQ(p.request().query, "q");
  EXPECT_TRUE(p.request().keep_alive());
}

TEST(HttpRequestParser, HttpOnePointZeroClosesByDefaultAndConnectionCloseCloses) {
  HttpRequestParser a;
  ASSERT_EQ(feed(a, "GET / HTTP/1.0\r\n\r\n"), State::done);
  EXPECT_FALSE(a.request().keep_alive());
  HttpRequestParser b;
  ASSERT_EQ(feed(b, "GET / HTTP/1.1\r\nConnection: Close\r\n\r\n"), State::done);
  EXPECT_FALSE(b.request().keep_alive());
}

struct Bad {
  const char* request;
  int status;
  const char* says;
};

TEST(HttpRequestParser, RefusesMalformedRequestsWithTheRightStatusAndAReason) {
  const Bad cases[] = {
      {"GET\r\n\r\n", 400, "three parts"},
      {"GET  / HTTP/1.1\r\n\r\n", 400, "three parts"},
      {"GET / HTTP/1.1 x\r\n\r\n", 400, "three parts"},
      {"G(T / HTTP/1.1\r\n\r\n", 400, "bad method"},
      {"GET x HTTP/1.1\r\n\r\n", 400, "start with '/'"},
      {"GET / HTTX/1.1\r\n\r\n", 400, "HTTP version"},
      {"GET / HTTP/2.0\r\n\r\n", 505, "not supported"},
      {"GET /%zz HTTP/1.1\r\n\r\n", 400, "percent-escape"},
      {"GET /%00 HTTP/1.1\r\n\r\n", 400, "percent-escape"},
      {"GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400, "Name: value"},
      {"GET / HTTP/1.1\r\nBad Name: 1\r\n\r\n", 400, "header name"},
      {"GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n", 400, "folding"},
      {"GET / HTTP/1.1\r\nA: \x01\r\n\r\n", 400, "control character"},
      {"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400, "not a number"},
      {"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, "disagree"},
      {"GET / HTTP/1.1\r\nContent-Length: 70000\r\n\r\n", 413, "over the limit"},
      {"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501, "Content-Length"},
  };
  for (const Bad& c : cases) {
    HttpRequestParser p;
    EXPECT_EQ(feed(p, c.request), State::failed) << c.request;
    EXPECT_EQ(p.error().status, c.status) << c.request;
    EXPECT_NE(p.error().message.find(c.says), std::string::npos) << c.request << " -> " << p.error().message;
  }
}

TEST(HttpRequestParser, EnforcesTheRequestLineAndHeadLimitsBeforeTheHeadEnds) {
  HttpLimits limits;
  limits.max_request_line = 32;
  limits.max_head = 64;
  limits.max_headers = 2;
  HttpRequestParser a(limits);
  EXPECT_EQ(feed(a, "GET /" + std::string(100, 'a')), State::failed);  // no line end needed to refuse
  EXPECT_EQ(a.error().status, 414);
  HttpRequestParser b(limits);
  EXPECT_EQ(feed(b, "GET / HTTP/1.1\r\nA: " + std::string(100, 'a')), State::failed);
  EXPECT_EQ(b.error().status, 431);
  HttpRequestParser c(limits);
  EXPECT_EQ(feed(c, "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), State::failed);
  EXPECT_EQ(c.error().status, 431);
}

TEST(HttpQuery, DecodesPairsInOrderWithPlusAsSpace) {
  std::optional<std::vector<std::pair<std::string, std::string>>> q =
      parse_query("value=1&value=a+b&x&=&y=%41");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 5u);
  EXPECT_EQ((*q)[0], (std::pair<std::string, std::string>{"value", "1"}));
  EXPECT_EQ((*q)[1].second, "a b");
  EXPECT_EQ((*q)[2], (std::pair<std::string, std::string>{"x", ""}));
  EXPECT_EQ((*q)[4].second, "A");
  EXPECT_FALSE(parse_query("a=%4"));
  EXPECT_FALSE(parse_query("a=%"));
}

}  // namespace
}  // namespace weft::cloud
