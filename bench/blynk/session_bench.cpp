// session_bench: what the Blynk session costs on this machine.
//
//   dispatch    ns per HARDWARE `vw` frame through the session's dispatcher (Session::process: FrameParser ->
//               parse_hardware -> the pin handler table -> the user's handler, which parses the value). Fed
//               in one read, in 64-byte reads (reassembly) and one byte at a time. Target: <= 50 ns.
//   queue       ns per virtual_write() of a new value of a pin already queued (validation, formatting,
//               coalescing in the outbox) and of a notify() into an empty outbox.
//   memory      sizeof the client and its parts with the default Limits, the room a pending transport read
//               or write takes in its task's frame, and the frame-arena bytes the session task holds while
//               connected and idle (run() + reader + writer + a pending read; the bench's quiet transport
//               reads in a coroutine of its own, which a TCP read does not have).
//
// Each timing is the median of --runs runs (default 5) of --frames frames (default 2,000,000). Build with the
// release preset for figures; `session_bench --quick` is the smoke run.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "blynk/blynk.hpp"
#include "clock.hpp"
#include "core/weft.hpp"
#include "frame_options.hpp"
#include "quiet_server.hpp"
#include "stats.hpp"

namespace {

using namespace weft;
using namespace weft::blynk;
using weft::blynk::bench::QuietServer;

constexpr std::string_view kToken = "abcdefghijklmnopqrstuvwxyz012345";

using weft::bench::median;
using weft::bench::mono_ns;

struct Sink {
  std::int64_t sum = 0;
  std::uint64_t calls = 0;
};

Config bench_config() {
  Config c;
  c.token = kToken;
  c.template_id = "TMPL4abc123";
  c.jitter_seed = 1;
  return c;
}

// `count` HARDWARE vw frames over pins 0..pins-1, ids counting up, int values.
std::vector<char> make_stream(std::size_t count, int pins) {
  std::vector<char> buf(count * 32);
  FrameWriter w(buf);
  MessageIdGenerator ids;
  for (std::size_t i = 0; i < count; ++i) {
    if (!w.virtual_write(ids.next(), static_cast<int>(i % static_cast<std::size_t>(pins)),
                         static_cast<int>(i % 100000))) {
      std::abort();
    }
  }
  buf.resize(w.size());
  return buf;
}

using Options = weft::blynk::bench::FrameOptions;

template <Limits L>
double bench_dispatch(const Options& o, int pins, std::size_t chunk, Sink& sink) {
  QuietServer transport;
  Client<L> blynk(bench_config(), transport);
  for (int pin = 0; pin < pins; ++pin) {
    const Status s = blynk.on_write(pin, [&sink](int p, Values v) {
      sink.sum += v.as_int().value_or(0) + p;
      ++sink.calls;
    });
    if (!s) std::abort();
  }
  const std::size_t per_stream = 10'000;
  const std::vector<char> stream = make_stream(per_stream, pins);
  const std::uint64_t rounds = std::max<std::uint64_t>(1, o.frames / per_stream);
  std::vector<double> ns;
  for (int r = 0; r < o.runs; ++r) {
    const std::uint64_t before = sink.calls;
    const std::int64_t t0 = mono_ns();
    for (std::uint64_t i = 0; i < rounds; ++i) {
      std::string_view all(stream.data(), stream.size());
      while (!all.empty()) {
        const std::size_t n = chunk == 0 ? all.size() : std::min(chunk, all.size());
        std::string_view in(all.data(), n);
        all.remove_prefix(n);
        if (blynk.process(in) != DisconnectReason::none) std::abort();
      }
    }
    const std::int64_t t1 = mono_ns();
    const std::uint64_t frames = sink.calls - before;
    if (frames != rounds * per_stream) std::abort();
    ns.push_back(static_cast<double>(t1 - t0) / static_cast<double>(frames));
  }
  return median(ns);
}

template <typename Op>
double bench_op(const Options& o, Op op) {
  std::vector<double> ns;
  for (int r = 0; r < o.runs; ++r) {
    const std::int64_t t0 = mono_ns();
    for (std::uint64_t i = 0; i < o.frames; ++i)
      op(i);
    const std::int64_t t1 = mono_ns();
    ns.push_back(static_cast<double>(t1 - t0) / static_cast<double>(o.frames));
  }
  return median(ns);
}

void row(const char* what, double ns, const char* note = "") {
  std::printf("  %-52s %8.1f ns %8.1f M/s  %s\n", what, ns, 1000.0 / ns, note);
}

void memory_report() {
  constexpr Limits d{};
  std::printf("\nmemory (default Limits; this machine: %zu-byte pointers)\n", sizeof(void*));
  std::printf("  %-52s %6zu B\n", "sizeof(Blynk) = Client<Limits{}>", sizeof(Blynk));
  std::printf("  %-52s %6zu B\n", "  of it: Session (state, parser, writer, outbox...)", sizeof(Session));
  std::printf("  %-52s %6zu B\n", "  rx chunk", d.rx_chunk);
  std::printf("  %-52s %6zu B\n", "  buff-in (split-body reassembly)", d.buff_in);
  std::printf("  %-52s %6zu B\n", "  tx buffer (largest frame sent)", d.tx_buffer);
  std::printf("  %-52s %6zu B\n", "  outbox", d.outbox);
  std::printf("  %-52s %6zu B  (%zu x %zu B)\n", "  handler table", d.handlers * sizeof(PinSlot), d.handlers,
              sizeof(PinSlot));
  constexpr Limits compact{.rx_chunk = 32, .tx_buffer = 128, .outbox = 128, .handlers = 4};
  std::printf("  %-52s %6zu B\n", "Client<{rx 32, tx 128, outbox 128, 4 handlers}>", sizeof(Client<compact>));
  std::printf("  %-52s %6zu B\n", "  default transport (room for a TcpTransport)",
              sizeof(TcpTransport) + sizeof(void*));
  std::printf("  %-52s %6zu B / %zu B\n", "a pending read / write (Transport::ReadOp / WriteOp)",
              sizeof(Transport::ReadOp), sizeof(Transport::WriteOp));
  std::printf("  %-52s %6s\n", "  held in the reader's / writer's frame; over TCP no frame", "");
  std::printf("  %-52s %6zu B\n", "  Config (kept by value)", sizeof(Config));
  std::printf("  %-52s %6zu B\n", "Bridge / Lcd / Terminal<64> (each)", sizeof(Bridge));
  std::printf("  %-52s %6zu B / %zu B\n", "", sizeof(Lcd), sizeof(Terminal<>));

  // The session task's frames while connected and idle.
  VirtualClock clock;
  QuietServer transport;
  Blynk blynk(bench_config(), transport);
  Loop loop{clock};
  const ArenaStats before = FrameArena::current().stats();
  JoinHandle<Status> h = loop.spawn(blynk.run(), "blynk");
  (void)loop.run_for(sec(1));
  const ArenaStats connected = FrameArena::current().stats();
  if (!blynk.connected())
    std::printf("  (session did not connect in the bench: %s)\n", to_string(blynk.state()));
  std::printf("  %-52s %6zu B  (%zu blocks; peak %zu B)\n", "frame arena held by run() while connected",
              connected.in_use - before.in_use, connected.live_blocks - before.live_blocks,
              connected.peak - before.in_use);
  h.cancel();
  (void)loop.run_for(ms(1));
}

}  // namespace

int main(int argc, char** argv) {
  const Options o =
      weft::blynk::bench::parse_frame_options(argc, argv, WEFT_BLYNK_BENCH_USAGE("session_bench"));
  set_log_level(LogLevel::warning);
  Sink sink;

  std::printf("session_bench: %llu frames per run, median of %d runs\n\n",
              static_cast<unsigned long long>(o.frames), o.runs);
  std::printf(
      "dispatch: `vw` frames through Session::process into the pins' write handlers (target <= 50 ns)\n");
  row("8 handlers (default table), one read", bench_dispatch<Limits{}>(o, 8, 0, sink), "<- target row");
  row("8 handlers, 64-byte reads", bench_dispatch<Limits{}>(o, 8, 64, sink));
  row("8 handlers, 1-byte reads (worst case)", bench_dispatch<Limits{}>(o, 8, 1, sink));
  row("32 handlers (Limits::handlers = 32), one read",
      bench_dispatch<Limits{.handlers = 32}>(o, 32, 0, sink));

  std::printf("\nqueue: device -> server calls (validation + formatting + outbox)\n");
  {
    QuietServer transport;
    Blynk blynk(bench_config(), transport);
    row("virtual_write(pin, int), coalescing into a queued pin", bench_op(o, [&](std::uint64_t i) {
          (void)blynk.virtual_write(static_cast<int>(i & 7), static_cast<int>(i));
        }));
    row("virtual_write(pin, double), coalescing", bench_op(o, [&](std::uint64_t i) {
          (void)blynk.virtual_write(static_cast<int>(i & 7), 0.5 * static_cast<double>(i));
        }));
  }
  std::printf("\n(sink: %lld / %llu calls)\n", static_cast<long long>(sink.sum),
              static_cast<unsigned long long>(sink.calls));
  memory_report();
  return 0;
}
