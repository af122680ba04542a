// The pure parts of the HTTP client: response heads, body decoding, request heads.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/test_support.hpp"
#include "net/http/body_decoder.hpp"
#include "net/http/request_head.hpp"
#include "net/http/response_head.hpp"

namespace weft::net {
namespace {

Result<ResponseHead> parse(std::string_view head, std::string* why_out = nullptr) {
  const char* why = nullptr;
  Result<ResponseHead> h = ResponseHead::parse(head, &why);
  if (why_out != nullptr) *why_out = why == nullptr ? "" : why;
  return h;
}

std::string why_of(std::string_view head) {
  std::string why;
  Result<ResponseHead> h = parse(head, &why);
  EXPECT_FALSE(h.ok()) << head;
  if (!h.ok()) {
    EXPECT_EQ(h.error(), Errc::protocol_error);
  }
  return why;
}

TEST(ResponseHead, ParsesStatusReasonAndHeaders) {
  std::string text =
      "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nX-Empty:\r\nx-twice: 1\r\nX-Twice:  2 \r\n"
      "Content-Length: 12\r\n\r\n";
  Result<ResponseHead> h = parse(text);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->version_minor, 1);
  EXPECT_EQ(h->status, 404);
  EXPECT_EQ(h->reason, "Not Found");
  EXPECT_EQ(h->header("content-type").value_or("?"), "application/json");
  EXPECT_EQ(h->header("X-EMPTY").value_or("?"), "");
  EXPECT_EQ(h->header("x-twice").value_or("?"), "1");
  EXPECT_EQ(h->count("x-twice"), 2u);
  EXPECT_FALSE(h->header("Location").has_value());
  EXPECT_EQ(h->content_length.value_or(0), 12u);
  EXPECT_EQ(h->framing(false), BodyFraming::length);
  EXPECT_TRUE(h->reusable(false));
  std::vector<std::string> names;
  for (const Header& f : Headers(h->fields))
    names.emplace_back(f.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"Content-Type", "X-Empty", "x-twice", "X-Twice", "Content-Length"}));
}

TEST(ResponseHead, AcceptsBareLineFeedsAndAnEmptyReason) {
  Result<ResponseHead> h = parse("HTTP/1.0 200\nServer: x\n\n");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->reason, "");
  EXPECT_EQ(h->header("server").value_or("?"), "x");
  EXPECT_TRUE(h->close);  // HTTP/1.0 without keep-alive
  EXPECT_EQ(h->framing(false), BodyFraming::until_close);
}

TEST(ResponseHead, WorksOutTheBodyFraming) {
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")->framing(false),
            BodyFraming::chunked);
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity, Chunked\r\n\r\n")->framing(false),
            BodyFraming::chunked);
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")->framing(true), BodyFraming::none);
  EXPECT_EQ(parse("HTTP/1.1 204 No Content\r\n\r\n")->framing(false), BodyFraming::none);
  EXPECT_EQ(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n")->framing(false),
            BodyFraming::none);
  Result<ResponseHead> both =
      parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
  EXPECT_EQ(both->framing(false), BodyFraming::chunked);
  EXPECT_FALSE(both->reusable(false));
  Result<ResponseHead> closing =
      parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n");
  EXPECT_FALSE(closing->reusable(false));
  Result<ResponseHead> kept = parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(kept->reusable(false));
}

TEST(ResponseHead, ExplainsWhatIsMalformed) {
  EXPECT_EQ(why_of("HTTP/1.1 200 OK"), "the response head is incomplete (no line end)");
  EXPECT_EQ(why_of("HTTP/2 200 OK\r\n\r\n"), "malformed status line (expected \"HTTP/1.x NNN reason\")");
  EXPECT_EQ(why_of("HTTP/1.1  200 OK\r\n\r\n"), "malformed status line (expected \"HTTP/1.x NNN reason\")");
  EXPECT_EQ(why_of("HTTP/1.1 2000 OK\r\n\r\n"), "malformed status line (expected \"HTTP/1.x NNN reason\")");
  EXPECT_EQ(why_of("HTTP/1.x 200 OK\r\n\r\n"), "malformed HTTP version in the status line");
  EXPECT_EQ(why_of("HTTP/1.1 2x0 OK\r\n\r\n"), "the status code is not 3 digits");
  EXPECT_EQ(why_of("HTTP/1.1 099 OK\r\n\r\n"), "status code below 100");
  EXPECT_EQ(why_of("HTTP/1.1 200 O\x01K\r\n\r\n"), "control character in the reason phrase");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nA: b\r\n"), "the response head is incomplete (no blank line)");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nA: b\r\n continued\r\n\r\n"),
            "folded header line (obsolete line folding is not accepted)");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n"), "header line without ':'");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\n: v\r\n\r\n"), "empty header name");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nName : v\r\n\r\n"),
            "invalid character in a header name (or a space before ':')");
  EXPECT_EQ(why_of(std::string_view("HTTP/1.1 200 OK\r\nA: x\0y\r\n\r\n", 27)),
            "control character (NUL, CR, ...) in a header value");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nA: x\ry\r\n\r\n"),
            "control character (NUL, CR, ...) in a header value");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
            "bad Content-Length (digits only, at most 18)");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\n"),
            "bad Content-Length (digits only, at most 18)");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nContent-Length: 9999999999999999999\r\n\r\n"),
            "bad Content-Length (digits only, at most 18)");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            "conflicting Content-Length headers");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"),
            "unsupported Transfer-Encoding (only chunked, as the last coding)");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, identity\r\n\r\n"),
            "unsupported Transfer-Encoding (only chunked, as the last coding)");
  EXPECT_EQ(why_of("HTTP/1.1 200 OK\r\n\r\nbody"), "bytes after the blank line that ends the head");
}

TEST(FindHeadEnd, FindsTheBlankLineWhateverTheLineEnds) {
  EXPECT_EQ(find_head_end("HTTP/1.1 200 OK\r\n\r\nbody"), 19u);
  EXPECT_EQ(find_head_end("HTTP/1.1 200 OK\n\nbody"), 17u);
  EXPECT_EQ(find_head_end("HTTP/1.1 200 OK\n\r\nbody"), 18u);
  EXPECT_EQ(find_head_end("HTTP/1.1 200 OK\r\nA: b\r\n"), 0u);
  EXPECT_EQ(find_head_end("HTTP/1.1 200 OK\r\nA: b\r\n\r"), 0u);
  // Searching again from where the last search ended finds a blank line split across reads.
  std::string_view whole = "HTTP/1.1 200 OK\r\nA: b\r\n\r\nxyz";
  EXPECT_EQ(find_head_end(whole.substr(0, 24)), 0u);
  EXPECT_EQ(find_head_end(whole, 24), 25u);
  EXPECT_EQ(find_head_end(whole.substr(0, 23), 0), 0u);
  EXPECT_EQ(find_head_end(whole, 23), 25u);
}

// Feeds `wire` to a decoder in pieces of `piece` bytes; returns the body, or "error: <errc>".
std::string decode(BodyDecoder d, std::string wire, std::size_t piece, std::string* rest = nullptr) {
  std::string body;
  std::size_t at = 0;
  while (at < wire.size() && !d.done() && d.error() == Errc::ok) {
    std::size_t n = std::min(piece, wire.size() - at);
    std::string chunk = wire.substr(at, n);
    BodyDecoder::Step s = d.decode(chunk);
    EXPECT_LE(s.produced, s.consumed);
    body.append(chunk.data(), s.produced);
    at += s.consumed;
    if (s.consumed < n) break;
  }
  if (rest != nullptr) *rest = wire.substr(at);
  if (d.error() != Errc::ok) return std::string("error: ") + to_string(d.error());
  if (!d.done()) {
    Status end = d.end_of_stream();
    if (!end) return std::string("error: ") + to_string(end.error());
  }
  return body;
}

TEST(BodyDecoder, DecodesAContentLengthBodyAndStopsAtItsEnd) {
  for (std::size_t piece : {1u, 3u, 100u}) {
    std::string rest;
    EXPECT_EQ(decode(BodyDecoder(BodyFraming::length, 5), "hello, next", piece, &rest), "hello");
    EXPECT_EQ(rest, ", next");
  }
  EXPECT_TRUE(BodyDecoder(BodyFraming::length, 0).done());
  EXPECT_TRUE(BodyDecoder().done());
  EXPECT_EQ(decode(BodyDecoder(BodyFraming::length, 10), "short", 100), "error: closed");
}

TEST(BodyDecoder, DecodesChunksInAnyPieces) {
  std::string wire = "7;ext=1\r\nHello, \r\n8 \r\nchunked \r\n6\nworld!\n0\r\nX-Trailer: 1\r\n\r\nNEXT";
  for (std::size_t piece = 1; piece <= wire.size(); ++piece) {
    std::string rest;
    EXPECT_EQ(decode(BodyDecoder(BodyFraming::chunked, 0), wire, piece, &rest), "Hello, chunked world!")
        << piece;
    EXPECT_EQ(rest, "NEXT") << piece;
  }
  EXPECT_EQ(decode(BodyDecoder(BodyFraming::chunked, 0), "A\r\n0123456789\r\n0\r\n\r\n", 4), "0123456789");
  EXPECT_EQ(decode(BodyDecoder(BodyFraming::chunked, 0), "0\n\n", 1), "");
}

TEST(BodyDecoder, RejectsBrokenChunkFraming) {
  auto bad = [](const char* wire) { return decode(BodyDecoder(BodyFraming::chunked, 0), wire, 7); };
  EXPECT_EQ(bad("\r\nabc"), "error: protocol error");                 // no size
  EXPECT_EQ(bad("z\r\n"), "error: protocol error");                   // not hex
  EXPECT_EQ(bad("3\r\nabcX\r\n0\r\n\r\n"), "error: protocol error");  // data longer than its size
  EXPECT_EQ(bad("3\rX"), "error: protocol error");                    // CR without LF
  EXPECT_EQ(bad("1000000000000000\r\n"), "error: protocol error");    // 16 digits
  EXPECT_EQ(bad("3\r\nabc\r\n"), "error: closed");                    // ended before the last chunk
  EXPECT_EQ(
      decode(BodyDecoder(BodyFraming::chunked, 0), "1;" + std::string(300, 'e') + "\r\nx\r\n0\r\n\r\n", 50),
      "error: protocol error");  // an endless extension
  EXPECT_EQ(
      decode(BodyDecoder(BodyFraming::chunked, 0), "0\r\nT: " + std::string(5000, 't') + "\r\n\r\n", 50),
      "error: protocol error");  // endless trailers
}

TEST(BodyDecoder, TakesEverythingUntilTheConnectionCloses) {
  BodyDecoder d(BodyFraming::until_close, 0);
  std::string a = "some ", b = "bytes";
  EXPECT_EQ(d.decode(a).produced, 5u);
  EXPECT_EQ(d.decode(b).produced, 5u);
  EXPECT_FALSE(d.done());
  EXPECT_TRUE(d.end_of_stream().ok());
  EXPECT_TRUE(d.done());
  EXPECT_EQ(d.produced(), 10u);
}

TEST(BodyDecoder, KeepsItsErrorAndConsumesNothingAfterIt) {
  BodyDecoder d(BodyFraming::chunked, 0);
  std::string bad = "x\r\n";
  (void)d.decode(bad);
  EXPECT_EQ(d.error(), Errc::protocol_error);
  std::string more = "3\r\nabc";
  BodyDecoder::Step s = d.decode(more);
  EXPECT_EQ(s.consumed, 0u);
  EXPECT_EQ(s.produced, 0u);
  EXPECT_EQ(d.end_of_stream().error(), Errc::protocol_error);
}

std::string request(const RequestHeadParts& parts, std::size_t size = 512) {
  std::vector<char> out(size);
  const char* why = nullptr;
  Result<std::size_t> n = format_request_head(parts, out, &why);
  if (!n) return std::string("error: ") + to_string(n.error()) + ": " + (why ? why : "");
  return std::string(out.data(), *n);
}

TEST(RequestHead, FormatsTheSeedsWebhookPost) {
  Result<Url> u = Url::parse("http://maker.ifttt.com/trigger/button_pressed/with/key/k");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(
      request({Method::post, &*u, {}, "application/json", 26, false}),
      "POST /trigger/button_pressed/with/key/k HTTP/1.1\r\nHost: maker.ifttt.com\r\nUser-Agent: weft/0.1\r\n"
      "Content-Type: application/json\r\nContent-Length: 26\r\nConnection: close\r\n\r\n");
}

TEST(RequestHead, AddsThePortToHostAndSlashToAnEmptyPath) {
  Result<Url> u = Url::parse("http://[::1]:8080?q=1");
  Header h[] = {{"User-Agent", "mine"}, {"X-Key", "v"}};
  EXPECT_EQ(request({Method::get, &*u, h, {}, 0, true}),
            "GET /?q=1 HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: mine\r\nX-Key: v\r\n\r\n");
  Result<Url> d = Url::parse("http://h");
  EXPECT_EQ(request({Method::delete_, &*d, {}, {}, 0, false}),
            "DELETE / HTTP/1.1\r\nHost: h\r\nUser-Agent: weft/0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(request({Method::put, &*d, {}, {}, 0, true}),
            "PUT / HTTP/1.1\r\nHost: h\r\nUser-Agent: weft/0.1\r\nContent-Length: 0\r\n\r\n");
}

TEST(RequestHead, RefusesHeadersThatCouldSmuggleAnotherRequest) {
  Result<Url> u = Url::parse("http://h/");
  auto with = [&](Header h) {
    return request({Method::get, &*u, std::span<const Header>(&h, 1), {}, 0, false});
  };
  EXPECT_EQ(with({"X-A", "v\r\nHost: evil"}), "error: invalid argument: CR, LF or NUL in a header value");
  EXPECT_EQ(with({"X A", "v"}),
            "error: invalid argument: invalid character in a header name (letters, digits, !#$%&'*+-.^_`|~)");
  EXPECT_EQ(with({"", "v"}), "error: invalid argument: empty header name");
  EXPECT_EQ(with({"content-length", "5"}),
            "error: invalid argument: Host, Content-Length, Transfer-Encoding and Connection are set by the "
            "client");
  EXPECT_EQ(request({Method::post, &*u, {}, "text/plain\r\nX: y", 1, false}),
            "error: invalid argument: CR, LF or NUL in the content type");
}

TEST(RequestHead, ReportsAHeadLongerThanTheBuffer) {
  Result<Url> u = Url::parse("http://h/");
  EXPECT_EQ(request({Method::get, &*u, {}, {}, 0, false}, 40),
            "error: too large: the request head does not fit in the client's buffer");
}

}  // namespace
}  // namespace weft::net
