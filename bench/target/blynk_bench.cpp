// The Blynk session on the lx106 (ESP8266 CPU under QEMU): instructions per `vw` frame through the session's
// dispatcher, and the RAM of one session with the default Limits (sizeof and buffers, plus the frame-arena
// bytes the session task holds while connected and idle). Deterministic: ICOUNT, -icount shift=5.
// Targets (issue 5): <= 400 instructions per frame, <= 1.5 KB per session.
#include <cstdint>
#include <cstdio>
#include <vector>

#include "../blynk/quiet_server.hpp"
#include "blynk/blynk.hpp"
#include "core/weft.hpp"
#include "icount.hpp"
#include "lx106_qemu/lx106.hpp"

namespace {

using namespace weft;
using namespace weft::blynk;

using weft::bench::icount;
using weft::bench::start_icount;

void row(const char* what, unsigned long value, const char* unit, const char* target) {
  char line[160];
  std::snprintf(line, sizeof line, "| %-56s | %7lu %-5s | %8s |\n", what, value, unit, target);
  lx106::print(line);
}

Config bench_config() {
  Config c;
  c.token = "abcdefghijklmnopqrstuvwxyz012345";
  c.template_id = "TMPL4abc123";
  c.jitter_seed = 1;
  return c;
}

// A smaller client for tight firmware: short frames out (no 255-character notifications), a short queue.
constexpr Limits kCompact{.rx_chunk = 32, .tx_buffer = 128, .outbox = 128, .handlers = 4};

constexpr int kFrames = 400;
char stream[kFrames * 16];

std::size_t make_stream() {
  FrameWriter w(stream);
  MessageIdGenerator ids;
  for (int i = 0; i < kFrames; ++i) {
    if (!w.virtual_write(ids.next(), i % 8, i * 7)) lx106::fatal(lx106::kExitTrap, "stream");
  }
  return w.size();
}

// Instructions per frame of `consume(in)` over the whole stream: a warm-up pass, then the measured one.
template <class Consume>
std::uint32_t per_frame(std::size_t n, Consume consume) {
  std::uint32_t per = 0;
  for (int round = 0; round < 2; ++round) {
    std::string_view in(stream, n);
    const std::uint32_t t0 = icount();
    consume(in);
    per = (icount() - t0 + kFrames / 2) / kFrames;
  }
  return per;
}

// The codec alone, no session: `on_frame(frame)` for each frame FrameParser finds, per frame.
StaticFrameParser<default_buff_in> parser;
template <class OnFrame>
std::uint32_t per_parsed_frame(std::size_t n, OnFrame on_frame) {
  return per_frame(n, [&](std::string_view& in) {
    for (;;) {
      Result<Frame> f = parser.next(in);
      if (!f) break;
      on_frame(*f);
    }
  });
}

}  // namespace

int main() {
  lx106::set_hog_limit(0);
  start_icount();
  lx106::print("\nBlynk session on the lx106 (default Limits, -Os)\n");
  lx106::print("| measure                                                  | value         | target   |\n");
  lx106::print("|----------------------------------------------------------|---------------|----------|\n");

  // Static: two clients do not fit the 4 KB stack (the ESP8266's too); a firmware declares them globally.
  static weft::blynk::bench::QuietServer transport;
  static Blynk blynk(bench_config(), transport);
  static std::int32_t sum = 0;
  for (int pin = 0; pin < 8; ++pin) {
    (void)blynk.on_write(pin, [](int p, Values v) { sum += v.as_int().value_or(0) + p; });
  }
  const std::size_t n = make_stream();
  const std::uint32_t vw = per_frame(n, [](std::string_view& in) {
    if (blynk.process(in) != DisconnectReason::none) lx106::fatal(lx106::kExitTrap, "process");
  });
  row("vw frame: Session::process + handler (8 handlers)", vw, "instr", "<= 400");
  {  // for bench/target/write_results.py (instructions in tenths, like bench.cpp's rows)
    char line[48];
    std::snprintf(line, sizeof line, "result: blynk_vw %lu\n", static_cast<unsigned long>(vw) * 10);
    lx106::print(line);
  }
  // The codec alone, for comparison: FrameParser + parse_hardware + the same handler work, no session.
  row("  of it, the codec: FrameParser + parse_hardware + value",
      per_parsed_frame(n,
                       [](const Frame& f) {
                         Result<HardwareMessage> m = parse_hardware(f.body);
                         if (m && m->op == HardwareOp::virtual_write)
                           sum += Values(m->values).as_int().value_or(0) + m->pin;
                       }),
      "instr", "");
  row("    FrameParser::next alone", per_parsed_frame(n, [](const Frame& f) { sum += f.length; }), "instr",
      "");
  row("    + parse_hardware",
      per_parsed_frame(n,
                       [](const Frame& f) {
                         Result<HardwareMessage> m = parse_hardware(f.body);
                         if (m) sum += m->pin;
                       }),
      "instr", "");

  row("sizeof(Blynk) = Client<Limits{}> (buffers included)", sizeof(Blynk), "B", "");
  row("  Session (state, parser, writer, outbox, handlers)", sizeof(Session), "B", "");
  row("  Config (kept by value)", sizeof(Config), "B", "");
  row("  handler slot (PinSlot) x 8", sizeof(PinSlot), "B", "");
  row("Client<kCompact> (rx 32, tx 128, outbox 128, 4 handlers)", sizeof(Client<kCompact>), "B", "");
  row("  default transport (room for a TcpTransport)", sizeof(TcpTransport) + sizeof(void*), "B", "");

  static VirtualClock clock;
  static Loop loop{clock};
  const ArenaStats before = FrameArena::current().stats();
  static weft::blynk::bench::QuietServer quiet;
  static Blynk idle(bench_config(), quiet);
  JoinHandle<Status> h = loop.spawn(idle.run(), "blynk");
  (void)loop.run_for(sec(1));
  const ArenaStats connected = FrameArena::current().stats();
  if (!idle.connected()) lx106::fatal(lx106::kExitTrap, "the session did not connect");
  row("frame arena held by the running session (connected, idle)", connected.in_use - before.in_use, "B", "");
  row("  arena blocks", connected.live_blocks - before.live_blocks, "", "");
  row("session total: sizeof(Blynk) + its arena blocks", sizeof(Blynk) + connected.in_use - before.in_use,
      "B", "<= 1536");
  h.cancel();
  (void)loop.run_for(ms(1));
  char line[64];
  std::snprintf(line, sizeof line, "\n(sum %ld)\nblynk_bench: done\n", static_cast<long>(sum));
  lx106::print(line);
  return 0;
}
