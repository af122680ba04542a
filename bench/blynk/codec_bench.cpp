// codec_bench: what the Blynk codec costs per frame on this machine.
//
//   parse+dispatch   a stream of HARDWARE `vw` frames -> FrameParser -> parse_hardware -> a handler table
//                    indexed by pin (a call through a function pointer) -> the handler parses the value.
//                    Fed in one read (many frames per read), in 64-byte reads (TCP-segment-like, with
//                    reassembly), and one byte at a time (the worst case).
//   build            FrameWriter::virtual_write of an int, a float, and three values.
//
// Each figure is the median of --runs runs (default 5) of --frames frames (default 2,000,000).
// Target: parse+dispatch of a `vw` frame <= 50 ns. Build with the release preset for figures.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "blynk/frame_parser.hpp"
#include "blynk/frame_writer.hpp"
#include "blynk/hardware.hpp"
#include "clock.hpp"
#include "frame_options.hpp"
#include "stats.hpp"

namespace {

using namespace weft;
using namespace weft::blynk;

using weft::bench::median;
using weft::bench::mono_ns;

// What handlers accumulate into, so the compiler cannot drop the work.
struct Sink {
  std::int64_t ints = 0;
  double floats = 0;
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
};

using Handler = void (*)(Sink&, std::uint8_t pin, BodyReader& values);

void on_int(Sink& s, std::uint8_t pin, BodyReader& values) {
  Result<int> v = values.next_int<int>();
  if (v) {
    s.ints += *v + pin;
  } else {
    ++s.errors;
  }
  ++s.calls;
}

void on_float(Sink& s, std::uint8_t, BodyReader& values) {
  Result<double> v = values.next_double();
  if (v) {
    s.floats += *v;
  } else {
    ++s.errors;
  }
  ++s.calls;
}

void on_unhandled(Sink& s, std::uint8_t, BodyReader&) {
  ++s.errors;
}

// A stream of `count` HARDWARE vw frames over pins 0..31, ids counting up, values int or float.
std::vector<char> make_stream(std::size_t count, bool floats) {
  std::vector<char> buf(count * 32);
  FrameWriter w(buf);
  std::uint16_t id = 0;
  for (std::size_t i = 0; i < count; ++i) {
    id = id == 65535 ? 1 : static_cast<std::uint16_t>(id + 1);
    const int pin = static_cast<int>(i % 32);
    const Status s = floats ? w.virtual_write(id, pin, 20.0 + static_cast<double>(i % 1000) / 100.0)
                            : w.virtual_write(id, pin, static_cast<int>(i % 100000));
    if (!s) std::abort();
  }
  buf.resize(w.size());
  return buf;
}

// Parses `stream` fed in reads of `chunk` bytes (0: all at once) and dispatches every vw to handlers[pin].
// Returns the number of frames dispatched.
std::uint64_t parse_and_dispatch(FrameParser& parser, std::string_view stream, std::size_t chunk,
                                 const std::array<Handler, 256>& handlers, Sink& sink) {
  std::uint64_t frames = 0;
  while (!stream.empty()) {
    const std::size_t n = chunk == 0 ? stream.size() : std::min(chunk, stream.size());
    std::string_view in = stream.substr(0, n);
    stream.remove_prefix(n);
    for (;;) {
      Result<Frame> f = parser.next(in);
      if (!f) {
        if (f.error() != Errc::would_block) std::abort();
        break;
      }
      if (f->command != Command::hardware) continue;
      Result<HardwareMessage> m = parse_hardware(f->body);
      if (!m || m->op != HardwareOp::virtual_write) {
        ++sink.errors;
        continue;
      }
      handlers[m->pin](sink, m->pin, m->values);
      ++frames;
    }
  }
  return frames;
}

using Options = weft::blynk::bench::FrameOptions;

double bench_parse(const Options& o, bool floats, std::size_t chunk, Sink& sink) {
  const std::size_t per_stream = 10'000;
  const std::vector<char> stream = make_stream(per_stream, floats);
  std::array<Handler, 256> handlers{};
  handlers.fill(on_unhandled);
  for (std::size_t pin = 0; pin < 32; ++pin)
    handlers[pin] = floats ? on_float : on_int;
  StaticFrameParser<default_buff_in> parser;
  const std::uint64_t rounds = std::max<std::uint64_t>(1, o.frames / per_stream);
  std::vector<double> ns_per_frame;
  for (int r = 0; r < o.runs; ++r) {
    std::uint64_t frames = 0;
    const std::int64_t t0 = mono_ns();
    for (std::uint64_t i = 0; i < rounds; ++i) {
      frames +=
          parse_and_dispatch(parser, std::string_view(stream.data(), stream.size()), chunk, handlers, sink);
    }
    const std::int64_t t1 = mono_ns();
    if (frames != rounds * per_stream) std::abort();
    ns_per_frame.push_back(static_cast<double>(t1 - t0) / static_cast<double>(frames));
  }
  return median(ns_per_frame);
}

template <typename Build>
double bench_build(const Options& o, Build build, Sink& sink) {
  std::array<char, 4096> buf{};
  FrameWriter w(buf);
  std::vector<double> ns_per_frame;
  for (int r = 0; r < o.runs; ++r) {
    std::uint16_t id = 0;
    const std::int64_t t0 = mono_ns();
    for (std::uint64_t i = 0; i < o.frames; ++i) {
      id = id == 65535 ? 1 : static_cast<std::uint16_t>(id + 1);
      if (w.remaining() < 64) {
        sink.calls += w.size();
        w.clear();
      }
      if (!build(w, id, i)) ++sink.errors;
    }
    const std::int64_t t1 = mono_ns();
    sink.calls += w.size();
    w.clear();
    ns_per_frame.push_back(static_cast<double>(t1 - t0) / static_cast<double>(o.frames));
  }
  return median(ns_per_frame);
}

void row(const char* what, double ns, const char* note = "") {
  std::printf("  %-44s %8.1f ns %10.1f M/s  %s\n", what, ns, 1000.0 / ns, note);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o =
      weft::blynk::bench::parse_frame_options(argc, argv, WEFT_BLYNK_BENCH_USAGE("codec_bench"));

  Sink sink;
  std::printf(
      "Blynk codec, per frame (median of %d runs of %llu frames; target: parse+dispatch vw <= 50 ns)\n",
      o.runs, static_cast<unsigned long long>(o.frames));
  std::printf("  %-44s %11s %14s\n", "case", "time", "rate");
  const double whole_int = bench_parse(o, false, 0, sink);
  row("parse+dispatch vw int, many frames per read", whole_int, whole_int <= 50 ? "ok" : "OVER TARGET");
  const double whole_float = bench_parse(o, true, 0, sink);
  row("parse+dispatch vw float, many frames per read", whole_float, whole_float <= 50 ? "ok" : "OVER TARGET");
  row("parse+dispatch vw int, 64-byte reads", bench_parse(o, false, 64, sink));
  row("parse+dispatch vw int, 1-byte reads", bench_parse(o, false, 1, sink), "(worst case)");
  row("build vw int", bench_build(
                          o,
                          [](FrameWriter& w, std::uint16_t id, std::uint64_t i) {
                            return w.virtual_write(id, static_cast<int>(i & 31), static_cast<int>(i)).ok();
                          },
                          sink));
  row("build vw float",
      bench_build(
          o,
          [](FrameWriter& w, std::uint16_t id, std::uint64_t i) {
            return w.virtual_write(id, static_cast<int>(i & 31), static_cast<double>(i) * 0.01).ok();
          },
          sink));
  row("build vw 3 values (int, float, string)",
      bench_build(
          o,
          [](FrameWriter& w, std::uint16_t id, std::uint64_t i) {
            return w.virtual_write(id, 7, static_cast<int>(i), 23.5f, "on").ok();
          },
          sink));
  std::printf("  (sink: %llu calls, %llu errors)\n", static_cast<unsigned long long>(sink.calls),
              static_cast<unsigned long long>(sink.errors));
  return sink.errors == 0 ? 0 : 1;
}
