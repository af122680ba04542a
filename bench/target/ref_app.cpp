// The reference app for the size figures: five tasks, as a small ESP8266 sensor node would have them.
//   blink   toggles the LED every 500 ms (Periodic)
//   sample  reads the "ADC" every 100 ms into a Queue
//   filter  averages the readings and raises an Event above a threshold
//   alert   waits for the Event with a timeout, logs alarms and heartbeats
//   button  waits on a ThreadSafeFlag set from an interrupt handler
// It runs 20 s of virtual time, then prints the loop's statistics and its own memory use (from the
// linker's section symbols and the frame arena), and exits 0. bench/target/sizes.sh splits the same ELF's
// flash and RAM into core / board / libc / app from the link map.
#include <cstdint>

#include "core/weft.hpp"
#include "lx106_qemu/lx106.hpp"

namespace {

using namespace weft;

volatile std::uint32_t g_led = 0;  // stands in for a GPIO register
std::uint32_t g_adc_state = 12345;
int g_presses = 0;
int g_alarms = 0;

int read_adc() {  // a noisy signal with a slow ramp: crosses the threshold now and then
  g_adc_state = g_adc_state * 1103515245u + 12345u;
  return static_cast<int>((g_adc_state >> 16) % 200) + static_cast<int>((g_adc_state >> 8) % 700);
}

Task<> blink() {
  Periodic tick(ms(500));
  for (;;) {
    Status s =
        co_await tick.next();  // (not `if (!co_await ...)`: GCC 12 miscompiles co_await in a condition)
    if (!s) co_return;
    g_led = g_led ^ 1u;
  }
}

Task<> sample(Queue<int, 8>& q) {
  Periodic tick(ms(100));
  for (;;) {
    Status s = co_await tick.next();
    if (!s) co_return;
    s = co_await q.put(read_adc());
    if (!s) co_return;
  }
}

Task<> filter(Queue<int, 8>& q, Event& alarm, int& level) {
  int avg = 0;
  for (;;) {
    Result<int> r = co_await q.get();
    if (!r) co_return;
    avg = (avg * 7 + *r) / 8;
    if (avg > 500 && !alarm.is_set()) {
      level = avg;
      alarm.set();
    }
  }
}

Task<> alert(Event& alarm, const int& level) {
  for (;;) {
    Status s = co_await wait_for(alarm.wait(), sec(2));
    if (s.ok()) {
      ++g_alarms;
      WEFT_LOG_WARN("alarm: level %d", level);
      alarm.clear();
      co_await sleep_ms(1000);  // hold-off
    } else if (s.error() == Errc::timed_out) {
      WEFT_LOG_INFO("heartbeat: led %u, presses %d", static_cast<unsigned>(g_led), g_presses);
    } else {
      co_return;
    }
  }
}

void button_isr(void* flag) {  // interrupt context, like a GPIO edge handler
  static_cast<ThreadSafeFlag*>(flag)->set();
  lx106::call_from_interrupt(ms(1500), &button_isr, flag);  // the next "press"
}

Task<> button(ThreadSafeFlag& flag) {
  for (;;) {
    Status s = co_await flag.wait();
    if (!s) co_return;
    ++g_presses;
  }
}

extern "C" char _irom0_text_start[], _irom0_text_end[], _irom0_rodata_start[], _irom0_rodata_end[];
extern "C" char _iram_start[], _iram_end[], _data_start[], _data_end[], _rodata_start[], _rodata_end[];
extern "C" char _bss_start[], _bss_end[], __heap_end[], __stack[];

std::uint32_t span(const char* a, const char* b) {
  return static_cast<std::uint32_t>(b - a);
}

void line(const char* what, std::uint32_t bytes) {
  lx106::print("  ");
  lx106::print(what);
  lx106::print(": ");
  lx106::print_u64(bytes);
  lx106::print(" B\n");
}

}  // namespace

int main() {
  Loop loop;
  Queue<int, 8> readings;
  Event alarm;
  ThreadSafeFlag flag(loop);
  int level = 0;
  loop.spawn(blink(), "blink");
  loop.spawn(sample(readings), "sample");
  loop.spawn(filter(readings, alarm, level), "filter");
  loop.spawn(alert(alarm, level), "alert");
  loop.spawn(button(flag), "button");
  lx106::call_from_interrupt(ms(700), &button_isr, &flag);

  Status s = loop.run_until(sec(20));
  loop.log_stats();
  ArenaStats arena = FrameArena::current().stats();

  lx106::print("ref_app: memory (from this ELF's section symbols)\n");
  std::uint32_t flash = span(_irom0_text_start, _irom0_text_end) +
                        span(_irom0_rodata_start, _irom0_rodata_end) + span(_iram_start, _iram_end) +
                        span(_data_start, _data_end) + span(_rodata_start, _rodata_end);
  line("flash image (irom0 + iram + data + rodata)", flash);
  line("  of which IRAM", span(_iram_start, _iram_end));
  line("static RAM (data + rodata + bss)",
       span(_data_start, _data_end) + span(_rodata_start, _rodata_end) + span(_bss_start, _bss_end));
  line("  of which the frame arena", static_cast<std::uint32_t>(arena.capacity));
  line("stack (reserved)", span(__heap_end, __stack));
  line("frame arena peak for 5 tasks (frames + headers)", static_cast<std::uint32_t>(arena.peak));
  lx106::print("  presses ");
  lx106::print_i64(g_presses);
  lx106::print(", alarms ");
  lx106::print_i64(g_alarms);
  lx106::print("\n");
  bool ok = s.ok() && g_presses >= 10 && loop.stats().live_tasks == 5 && lx106::heap_allocations() == 0;
  lx106::print(ok ? "ref_app: ok\n" : "ref_app: FAILED\n");
  return ok ? 0 : 1;
}
