// A program that must fail in one specific way: its assertion (EXPECT_EXIT code + EXPECT console text) is
// its weft_target_bad() line in tests/target/CMakeLists.txt.
// Bad input: an app that spawns more tasks than the frame arena holds. spawn() fails cleanly with
// Errc::no_memory and the core logs why (with the fix: raise WEFT_FRAME_ARENA_BYTES); the app reports it
// and exits non-zero (6), as firmware would refuse to start.
#include "core/weft.hpp"
#include "lx106_qemu/lx106.hpp"

namespace {
volatile int g_sink = 0;

weft::Task<> sensor(int id) {
  int readings[64] = {};  // a big frame
  for (int i = 0;; ++i) {
    readings[i % 64] = id + i;
    g_sink = readings[(i + 1) % 64];
    co_await weft::sleep_ms(100);
  }
}
}  // namespace

int main() {
  weft::Loop loop;
  for (int i = 0; i < 200; ++i) {
    auto h = loop.spawn(sensor(i), "sensor");
    if (!h) {
      weft::lx106::print("app: could not start sensor task ");
      weft::lx106::print_i64(i);
      weft::lx106::print(": ");
      weft::lx106::print(weft::to_string(h.error()));
      weft::lx106::print("\n");
      return weft::lx106::kExitOutOfMemory;
    }
    h.detach();
  }
  return 0;
}
