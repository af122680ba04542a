// libFuzzer target for the HTTP client's response parser: the head search, ResponseHead::parse and the
// BodyDecoder on any bytes in any read sizes, plus the URL parser and redirect resolution on the Location
// header, and the JSON writer's escaping. It checks invariants, not just survival:
//  - find_head_end searching only what is new finds what a full search finds;
//  - a parsed head: status 100..999, views inside the head, header() agrees with iterating the fields,
//    names are tokens, values have no CR/LF/NUL, the framing follows from the headers;
//  - the body decoder never produces more than it consumes, gives the same body and the same outcome
//    whatever the piece sizes, and re-chunking a decoded body decodes back to it;
//  - a parsed URL has a host and a port and a target without spaces; a resolved redirect parses again;
//  - a JSON string written from any bytes is valid JSON text (no raw control character, valid UTF-8) and
//    unescapes back to them, ill-formed UTF-8 replaced by U+FFFD; valid UTF-8 comes back unchanged.
//
// Input layout: byte 0 picks the head buffer size and HEAD-ness, byte 1 seeds the read sizes, the rest is
// what the server sent.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/http/body_decoder.hpp"
#include "net/http/json_writer.hpp"
#include "net/http/response_head.hpp"
#include "net/http/url.hpp"

namespace {

using namespace weft;
using namespace weft::net;

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

struct Reads {
  std::uint32_t seed;
  // 1..64 bytes, or everything left now and then.
  std::size_t next(std::size_t left) {
    seed = seed * 1103515245U + 12345U;
    std::size_t want = (seed >> 16) % 8 == 0 ? left : 1 + (seed >> 8) % 64;
    return want < left ? want : left;
  }
};

bool inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
    if (!ok || c == '\0') return false;
  }
  return true;
}

void check_head(const ResponseHead& h, std::string_view head, bool head_request) {
  CHECK(h.status >= 100 && h.status <= 999);
  CHECK(h.version_minor >= 0 && h.version_minor <= 9);
  CHECK(inside(h.reason, head) && inside(h.fields, head));
  for (const Header& f : Headers(h.fields)) {
    CHECK(is_token(f.name));
    CHECK(inside(f.name, h.fields) && inside(f.value, h.fields));
    CHECK(f.value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos);
    CHECK(f.value.empty() || (f.value.front() != ' ' && f.value.back() != ' '));
    std::optional<std::string_view> first = h.header(f.name);
    CHECK(first.has_value());
    CHECK(h.count(f.name) >= 1);
  }
  BodyFraming framing = h.framing(head_request);
  if (framing == BodyFraming::chunked) CHECK(h.chunked);
  if (framing == BodyFraming::length) CHECK(h.content_length.has_value() && !h.chunked);
  if (h.reusable(head_request)) CHECK(!h.close && framing != BodyFraming::until_close);
}

struct Decoded {
  std::string body;
  std::size_t consumed = 0;
  bool done = false;
  Errc error = Errc::ok;
  bool operator==(const Decoded& o) const {
    return body == o.body && consumed == o.consumed && done == o.done && error == o.error;
  }
};

// Decodes `wire` in pieces (one piece when `reads` is null); each piece in an exactly sized heap copy.
Decoded decode(BodyFraming framing, std::uint64_t length, std::string_view wire, Reads* reads) {
  BodyDecoder d(framing, length);
  Decoded out;
  std::size_t at = 0;
  while (at < wire.size() && !d.done() && d.error() == Errc::ok) {
    std::size_t n = reads != nullptr ? reads->next(wire.size() - at) : wire.size() - at;
    std::unique_ptr<char[]> piece(new char[n]);
    std::memcpy(piece.get(), wire.data() + at, n);
    BodyDecoder::Step s = d.decode({piece.get(), n});
    CHECK(s.produced <= s.consumed && s.consumed <= n);
    if (d.error() == Errc::ok && !d.done()) CHECK(s.consumed == n);
    out.body.append(piece.get(), s.produced);
    at += s.consumed;
    if (s.consumed < n) break;
  }
  CHECK(d.produced() == out.body.size());
  if (framing == BodyFraming::length) CHECK(out.body.size() <= length);
  if (d.error() == Errc::ok && !d.done()) (void)d.end_of_stream();
  out.consumed = at;
  out.done = d.done();
  out.error = d.error();
  CHECK(out.done != (out.error != Errc::ok));
  // Errors are sticky and consume nothing more.
  if (out.error != Errc::ok) {
    char more[4] = {'0', '\r', '\n', 'x'};
    BodyDecoder::Step s = d.decode(more);
    CHECK(s.consumed == 0 && s.produced == 0 && d.error() == out.error);
  }
  return out;
}

void check_body(const ResponseHead& h, bool head_request, std::string_view rest, Reads& reads) {
  BodyFraming framing = h.framing(head_request);
  std::uint64_t length = h.content_length.value_or(0);
  Decoded whole = decode(framing, length, rest, nullptr);
  Decoded pieces = decode(framing, length, rest, &reads);
  CHECK(whole == pieces);
  if (framing == BodyFraming::chunked && whole.done) {
    // Re-chunk the body (in chunks of 1..37 bytes) and decode it again: the same body.
    std::string wire;
    for (std::size_t at = 0; at < whole.body.size();) {
      std::size_t n = std::min<std::size_t>(1 + at % 37, whole.body.size() - at);
      char size[20];
      std::snprintf(size, sizeof size, "%zx\r\n", n);
      wire += size;
      wire.append(whole.body, at, n);
      wire += "\r\n";
      at += n;
    }
    wire += "0\r\n\r\n";
    Decoded again = decode(BodyFraming::chunked, 0, wire, &reads);
    CHECK(again.done && again.body == whole.body && again.consumed == wire.size());
  }
}

void check_url(std::string_view text) {
  Result<Url> u = Url::parse(text);
  if (!u) return;
  CHECK(!u->host.empty() && u->port != 0 && inside(u->host, text) && inside(u->target, text));
  CHECK(u->target.find_first_of(" \r\n") == std::string_view::npos);
  CHECK(u->target.empty() || u->target[0] == '/' || u->target[0] == '?');
  char out[512];
  Result<std::size_t> n = resolve_reference(*u, "/next?x=1", out);
  if (n) CHECK(Url::parse({out, *n}).ok());
}

void check_redirect(std::string_view location) {
  Result<Url> base = Url::parse("http://base.example:8080/dir/page?q");
  CHECK(base.ok());
  char out[256];
  const char* why = nullptr;
  Result<std::size_t> n = resolve_reference(*base, location, out, &why);
  if (!n) {
    CHECK(why != nullptr);
    CHECK(n.error() == Errc::invalid_argument || n.error() == Errc::too_large);
    return;
  }
  CHECK(*n <= sizeof out);
  Result<Url> again = Url::parse({out, *n});
  CHECK(again.ok());
}

// True when s is well-formed UTF-8 (no overlong form, no surrogate, nothing beyond U+10FFFF), decoded the
// long way round: independent of the writer's table.
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? c : c & (0x7f >> n);
    for (std::size_t k = 1; k < n; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xc0) != 0x80) return false;
      cp = cp << 6 | (b & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n;
  }
  return true;
}

// Undoes JsonWriter's string escaping (\u escapes as UTF-8); false when the text is not one well-formed JSON
// string. `replaced` counts the \ufffd escapes.
bool unescape(std::string_view json, std::string& out, std::size_t& replaced) {
  if (json.size() < 2 || json.front() != '"' || json.back() != '"') return false;
  for (std::size_t i = 1; i + 1 < json.size(); ++i) {
    auto c = static_cast<unsigned char>(json[i]);
    if (c < 0x20 || c == '"') return false;
    if (c != '\\') {
      out += static_cast<char>(c);
      continue;
    }
    if (++i + 1 >= json.size()) return false;
    switch (json[i]) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        if (i + 4 >= json.size() - 1) return false;
        const std::string hex(json.substr(i + 1, 4));
        if (hex == "fffd") {
          out += "\xef\xbf\xbd";
          ++replaced;
        } else if (hex.substr(0, 2) == "00" && std::strtol(hex.c_str(), nullptr, 16) < 0x20) {
          out += static_cast<char>(std::strtol(hex.c_str(), nullptr, 16));
        } else {
          return false;  // the writer escapes nothing else
        }
        i += 4;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

void check_json(std::string_view bytes) {
  std::vector<char> buf(bytes.size() * 6 + 2);
  JsonWriter w(buf);
  w.value(bytes);
  Result<std::string_view> text = w.finish();
  CHECK(text.ok());
  std::string back;
  std::size_t replaced = 0;
  CHECK(unescape(*text, back, replaced));
  CHECK(valid_utf8(back));
  CHECK((replaced == 0) == valid_utf8(bytes));
  if (replaced == 0) CHECK(back == bytes);

  net::JsonText grown;  // the same text when the writer grows its own storage
  grown.value(bytes);
  CHECK(grown.finish().ok() && grown.str() == *text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static constexpr std::size_t kBuffers[] = {16, 64, 128, 256, 512, 1024, 2048, 4096};
  const std::size_t capacity = kBuffers[data[0] & 7];
  const bool head_request = (data[0] & 8) != 0;
  Reads reads{data[1] * 2654435761U + 1};
  const std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);

  check_json(stream.substr(0, 256));
  check_url(stream.substr(0, 300));

  // Read the head as the client does: into a fixed buffer, searching only what is new each time.
  std::unique_ptr<char[]> buffer(new char[capacity]);
  std::size_t have = 0, scanned = 0, end = 0;
  while (end == 0 && have < capacity && have < stream.size()) {
    std::size_t n = reads.next(std::min(capacity - have, stream.size() - have));
    std::memcpy(buffer.get() + have, stream.data() + have, n);
    have += n;
    end = find_head_end({buffer.get(), have}, scanned);
    CHECK(end == find_head_end({buffer.get(), have}));
    CHECK(end <= have);
    scanned = have;
  }
  if (end == 0) return 0;
  std::string_view head(buffer.get(), end);
  const char* why = nullptr;
  Result<ResponseHead> h = ResponseHead::parse(head, &why);
  if (!h) {
    CHECK(h.error() == Errc::protocol_error && why != nullptr);
    return 0;
  }
  check_head(*h, head, head_request);
  if (std::optional<std::string_view> location = h->header("Location")) check_redirect(*location);
  check_body(*h, head_request, stream.substr(end), reads);
  return 0;
}
