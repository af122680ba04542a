// libFuzzer target for the Blynk codec: FrameParser on any bytes in any chunking, then the body decoders and
// the number parsers/formatters on whatever frames come out. It checks invariants, not just survival:
//  - no frame body is longer than buff-in; a RESPONSE has no body; no frame has id 0;
//  - every body view lies inside the read it came from or inside the parser's buffer;
//  - would_block means the whole read was consumed; errors are sticky and consume nothing more, and the
//    reported header explains them (id 0, or a body over buff-in);
//  - re-building every parsed frame with FrameWriter gives back exactly the bytes consumed, and
//    re-feeding those bytes (in one read) gives the same frames;
//  - BodyReader's fields re-joined give the body back (less one trailing NUL);
//  - a `vw` rebuilt with FrameWriter::virtual_write parses to the same pin and values;
//  - numbers: parse_int -> format_int -> parse_int is the identity; format_float output parses back and
//    formats to the same text; format_shortest output reads back (strtod) as exactly the same double.
//
// Input layout: byte 0 picks buff-in, byte 1 seeds the read sizes, the rest is the byte stream.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "blynk/body.hpp"
#include "blynk/frame_parser.hpp"
#include "blynk/frame_writer.hpp"
#include "blynk/hardware.hpp"
#include "blynk/internal_message.hpp"
#include "blynk/redirect.hpp"
#include "text/number.hpp"
#include "text/shortest_double.hpp"

namespace {

using namespace weft;
using namespace weft::blynk;
using namespace weft::text;

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

struct Owned {
  Command command;
  std::uint16_t id;
  std::uint16_t length;
  std::string body;
  bool operator==(const Owned& o) const {
    return command == o.command && id == o.id && length == o.length && body == o.body;
  }
};

bool inside(std::string_view part, const char* begin, std::size_t size) {
  if (part.empty()) return true;
  return part.data() >= begin && part.data() + part.size() <= begin + size;
}

void check_numbers(std::string_view field) {
  if (Result<std::int64_t> i = parse_int<std::int64_t>(field)) {
    char buf[max_int_chars];
    const std::size_t n = format_int(buf, *i);
    Result<std::int64_t> back = parse_int<std::int64_t>(std::string_view(buf, n));
    CHECK(back.ok() && *back == *i);
  }
  if (Result<std::uint8_t> pin = parse_pin(field)) CHECK(field.size() <= 3);
  if (Result<double> d = parse_double(field)) {
    char shortest[max_shortest_chars + 1];
    Result<std::size_t> ns = format_shortest(std::span<char>(shortest, max_shortest_chars), *d);
    CHECK(ns.ok());
    shortest[*ns] = '\0';
    const double back = std::strtod(shortest, nullptr);
    CHECK(std::memcmp(&back, &*d, sizeof back) == 0);
    char t1[max_float_chars];
    Result<std::size_t> n1 = format_float(t1, *d, double_format);
    if (!n1) {
      CHECK(n1.error() == Errc::invalid_argument);  // only for magnitudes that round to 1e18 or more
      CHECK(*d >= 9.99999999999999e17 || *d <= -9.99999999999999e17);
      return;
    }
    CHECK(*n1 <= max_float_chars);
    Result<double> again = parse_double(std::string_view(t1, *n1));
    CHECK(again.ok());
    char t2[max_float_chars];
    Result<std::size_t> n2 = format_float(t2, *again, double_format);
    CHECK(n2.ok() && *n2 == *n1 && std::memcmp(t1, t2, *n1) == 0);
    // Other precisions succeed too, except where the value rounds up to 1e18 at that precision
    // (|d| >= 1e18 - 10^(18 - significant) / 2, give or take the double's own rounding).
    char t3[max_float_chars];
    for (FloatFormat f : {FloatFormat{17, 17}, float_format, FloatFormat{1, 0}}) {
      Result<std::size_t> n3 = format_float(t3, *d, f);
      const double half_unit = 0.5 * std::pow(10.0, 18 - f.significant_digits);
      const double magnitude = *d < 0 ? -*d : *d;
      CHECK(n3.ok() ||
            (n3.error() == Errc::invalid_argument && magnitude >= (1e18 - half_unit) * (1 - 1e-15)));
    }
  }
}

void check_body(const Owned& f) {
  // Fields re-joined give the body back, less one trailing NUL.
  std::string joined;
  std::size_t count = 0;
  BodyReader r(f.body);
  const std::size_t announced = r.remaining();
  while (auto field = r.next()) {
    if (count++ != 0) joined += '\0';
    joined += *field;
    check_numbers(*field);
  }
  CHECK(count == announced);
  std::string expected = f.body;
  if (!expected.empty() && expected.back() == '\0') expected.pop_back();
  CHECK(joined == expected);

  if (f.command == Command::hardware || f.command == Command::bridge) {
    Result<HardwareMessage> m = parse_hardware(f.body);
    if (m && m->op == HardwareOp::virtual_write) {
      std::vector<std::string> values;
      BodyReader v = m->values;
      while (auto field = v.next())
        values.emplace_back(*field);
      // A last empty value is indistinguishable from a trailing NUL on the wire: skip that case.
      if (values.empty() || !values.back().empty()) {
        std::vector<Value> list;
        list.reserve(values.size());
        for (const std::string& s : values)
          list.emplace_back(std::string_view(s));
        std::vector<char> out(header_size + f.body.size() + 8);
        FrameWriter w(out);
        CHECK(w.virtual_write(f.id, m->pin, list).ok());
        std::vector<char> parse_buffer(f.body.size() + 8);
        FrameParser parser(parse_buffer);
        std::string_view in = w.data();
        Result<Frame> back = parser.next(in);
        CHECK(back.ok() && in.empty());
        Result<HardwareMessage> m2 = parse_hardware(back->body);
        CHECK(m2.ok() && m2->op == HardwareOp::virtual_write && m2->pin == m->pin);
        BodyReader v2 = m2->values;
        for (const std::string& s : values) {
          auto field = v2.next();
          CHECK(field.has_value() && *field == s);
        }
        CHECK(v2.at_end());
      }
    } else if (m && m->op == HardwareOp::pin_mode) {
      PinModeReader pairs(m->values);
      std::size_t n = 0;
      while (pairs.next())
        ++n;
      CHECK(n >= 1 && n * 2 == m->values.remaining());
    } else if (m && m->op != HardwareOp::unknown && m->op != HardwareOp::pin_mode) {
      CHECK(m->op_name.size() == 2);
    }
  } else if (f.command == Command::internal) {
    Result<InternalMessage> m = parse_internal(f.body);
    CHECK(m.ok() == !BodyReader(f.body).at_end());
    (void)parse_rtc(f.body);
  } else if (f.command == Command::redirect) {
    Result<Redirect> r2 = parse_redirect(f.body);
    if (r2) CHECK(!r2->host.empty() && (!r2->port || *r2->port != 0));
  }
}

std::size_t pick_buff_in(std::uint8_t b) {
  static constexpr std::size_t table[] = {0, 1, 5, 16, 64, 255, 256, 1024};
  return b < 8 ? table[b] : b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t buff_in = pick_buff_in(data[0]);
  std::uint32_t seed = data[1] * 2654435761U + 1;
  const std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);

  // An exactly sized heap buffer, so AddressSanitizer sees any write past buff-in.
  std::unique_ptr<char[]> buffer(new char[buff_in == 0 ? 1 : buff_in]);
  FrameParser parser(std::span<char>(buffer.get(), buff_in));
  CHECK(parser.buff_in() == buff_in);

  std::vector<Owned> frames;
  std::size_t consumed = 0;  // bytes of the stream that belong to complete frames
  bool failed = false;
  std::size_t at = 0;
  while (at < stream.size() && !failed) {
    // Read sizes: 1..64 bytes from a tiny LCG, or everything left when the seed says so.
    seed = seed * 1103515245U + 12345U;
    const std::size_t want = (seed >> 16) % 8 == 0 ? stream.size() : 1 + (seed >> 8) % 64;
    const std::size_t n = std::min(want, stream.size() - at);
    std::unique_ptr<char[]> read(new char[n]);  // exactly sized: out-of-bounds reads are caught
    std::memcpy(read.get(), stream.data() + at, n);
    at += n;
    std::string_view in(read.get(), n);
    for (;;) {
      const std::size_t before = in.size();
      Result<Frame> f = parser.next(in);
      CHECK(in.size() <= before);
      if (f.error() == Errc::would_block) {
        CHECK(in.empty());
        break;
      }
      if (!f) {
        failed = true;
        CHECK(parser.failed() && parser.error() == f.error());
        if (f.error() == Errc::protocol_error) {
          CHECK(parser.header().id == 0);
        } else {
          CHECK(f.error() == Errc::too_large);
          CHECK(parser.header().id != 0 && parser.header().body_size() > buff_in);
        }
        const std::size_t left = in.size();
        CHECK(parser.next(in).error() == f.error());  // sticky
        CHECK(in.size() == left);                     // and consumes nothing
        break;
      }
      const Frame& fr = *f;
      CHECK(fr.id != 0);
      CHECK(fr.body.size() <= buff_in);
      CHECK(fr.body.size() == fr.header().body_size());
      if (fr.is_response()) CHECK(fr.body.empty());
      CHECK(inside(fr.body, read.get(), n) || inside(fr.body, buffer.get(), buff_in));
      CHECK(parser.idle());
      frames.push_back(Owned{fr.command, fr.id, fr.length, std::string(fr.body)});
      consumed += header_size + fr.body.size();
    }
  }

  // Rebuild every frame: the bytes must be exactly those consumed.
  std::vector<char> out(consumed + 1);
  FrameWriter w(out);
  for (const Owned& f : frames) {
    const Status s = f.command == Command::response ? w.response(f.id, static_cast<StatusCode>(f.length))
                                                    : w.append_body(f.command, f.id, f.body);
    CHECK(s.ok());
  }
  CHECK(w.size() == consumed);
  CHECK(std::memcmp(w.data().data(), stream.data(), consumed) == 0);

  // Re-feed the rebuilt bytes in one read: the same frames come out.
  FrameParser again(std::span<char>(buffer.get(), buff_in));
  std::string_view in = w.data();
  for (const Owned& f : frames) {
    Result<Frame> g = again.next(in);
    CHECK(g.ok());
    CHECK((Owned{g->command, g->id, g->length, std::string(g->body)} == f));
  }
  CHECK(in.empty() && again.next(in).error() == Errc::would_block);

  for (const Owned& f : frames)
    check_body(f);
  return 0;
}
