// libFuzzer target for the local cloud's HTTP request parser (board/linux/cloud/http_request.hpp), with the
// query decoder, and the REST API's JSON escaping (net::JsonText) of what it decodes. It checks invariants,
// not just survival:
//  - the parser gives the same outcome (state, request, error status) whatever the read sizes;
//  - it never consumes more than it is given, and a failed request has a 4xx/5xx and a message;
//  - a parsed request has a token method, a path starting with '/' and without NUL, headers within the
//    limits, and a body of exactly Content-Length bytes;
//  - parse_query either fails or decodes every pair; the JSON text of any bytes is one JSON string without
//    a raw control character (http_response_fuzz checks the escaping itself, UTF-8 included).
//
// Input layout: byte 0 seeds the read sizes, the rest is what the client sent.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http_request.hpp"
#include "net/http/json_writer.hpp"

namespace {

using namespace weft::cloud;

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

struct Outcome {
  HttpRequestParser::State state;
  std::size_t used = 0;
  HttpRequest request;
  int status = 0;
};

Outcome parse(std::string_view input, std::uint8_t seed, const HttpLimits& limits) {
  HttpRequestParser p(limits);
  Outcome o;
  std::uint32_t rng = seed * 2654435761u + 1;
  while (o.used < input.size() && p.state() != HttpRequestParser::State::done &&
         p.state() != HttpRequestParser::State::failed) {
    rng = rng * 1103515245u + 12345u;
    const std::size_t piece = seed == 0 ? input.size() : 1 + (rng >> 16) % 64;
    const std::string_view chunk = input.substr(o.used, piece);
    const std::size_t n = p.feed(chunk);
    CHECK(n <= chunk.size());
    o.used += n;
    if (n < chunk.size()) break;
  }
  o.state = p.state();
  if (o.state == HttpRequestParser::State::done) o.request = p.request();
  if (o.state == HttpRequestParser::State::failed) {
    o.status = p.error().status;
    CHECK(o.status >= 400 && o.status <= 505);
    CHECK(!p.error().message.empty());
  }
  return o;
}

void check_json(std::string_view s) {
  weft::net::JsonText json;
  json.value(s);
  CHECK(json.finish().ok());
  const std::string j = json.str();
  CHECK(j.size() >= 2 && j.front() == '"' && j.back() == '"');
  for (std::size_t i = 1; i + 1 < j.size(); ++i) {
    const auto c = static_cast<unsigned char>(j[i]);
    CHECK(c >= 0x20);
    if (c == '\\') {
      ++i;  // an escape: the next character is part of it
      continue;
    }
    CHECK(c != '"');
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t seed = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  HttpLimits limits;
  limits.max_request_line = 256;
  limits.max_head = 1024;
  limits.max_headers = 8;
  limits.max_body = 512;

  const Outcome whole = parse(input, 0, limits);
  const Outcome pieces = parse(input, seed | 1, limits);
  CHECK(whole.state == pieces.state);
  CHECK(whole.status == pieces.status);
  if (whole.state == HttpRequestParser::State::done) {
    const HttpRequest& r = whole.request;
    CHECK(whole.used == pieces.used);
    CHECK(r.method == pieces.request.method && r.path == pieces.request.path &&
          r.query == pieces.request.query);
    CHECK(r.body == pieces.request.body && r.headers == pieces.request.headers);
    CHECK(!r.method.empty() && r.method.size() <= 16);
    CHECK(!r.path.empty() && r.path[0] == '/' && r.path.find('\0') == std::string::npos);
    CHECK(r.headers.size() <= limits.max_headers);
    CHECK(r.body.size() <= limits.max_body);
    if (const std::string* cl = r.header("Content-Length"))
      CHECK(std::strtoul(cl->c_str(), nullptr, 10) == r.body.size());
    if (auto q = parse_query(r.query)) {
      for (const auto& [name, value] : *q) {
        check_json(name);
        check_json(value);
      }
    }
    check_json(r.path);
  }
  check_json(input.substr(0, 300));
  return 0;
}
