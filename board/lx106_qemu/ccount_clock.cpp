// The lx106_qemu clock port: time, idle wait, wake-up, and the watchdogs (see lx106.hpp for the contract).
// No I/O poller: this board has no I/O the loop must poll.
//
// Clock: CCOUNT, extended across its 32-bit wraps and converted to microseconds incrementally: each now()
// turns the counts since the previous call into whole microseconds with a reciprocal multiply (no division
// on this CPU) and carries the remainder, so the conversion is exact. now() costs ~40 instructions.
//
// Idle: wait_until() masks the timer interrupt, decides, arms CCOMPARE0 for the deadline (at most
// kMaxIdleStep ahead), and executes `waiti 0`, which unmasks interrupts and sleeps until one arrives.
// Re-reading CCOUNT after writing CCOMPARE0 closes the race with a deadline that passes meanwhile (QEMU, like
// the chip, would otherwise fire only after the counter wraps).
//
// Timer interrupt (CCOMPARE0, interrupt 6, level 1): besides ending a wait, it ticks every 250 ms of virtual
// time while code runs, for two watchdogs:
//   - hog: the loop has not called now()/wait_until() for the hog limit -> "a task never yields", exit 4;
//   - time budget: the program (a test) ran past its virtual-time budget, even while idle -> exit 5.
#include <atomic>
#include <cstdint>

#include "core/loop.hpp"
#include "core/wrapping_counter.hpp"
#include "lx106_qemu/lx106.hpp"

namespace weft::lx106 {
namespace {

constexpr std::uint32_t kTimerIntMask = 1u << 6;  // XCHAL_TIMER0_INTERRUPT
constexpr std::uint32_t kTickCounts = 250'000u * kCcountPerUs;
static_assert(CcountClock::kMaxIdleStep * kCcountPerUs < (1ll << 30), "idle step must stay far below a wrap");

// floor(x / 5) for every 32-bit x: the high half of x * ceil(2^34 / 5), shifted.
inline std::uint32_t div5(std::uint32_t x) {
  std::uint32_t xl = x & 0xFFFFu, xh = x >> 16;
  constexpr std::uint32_t ml = 0xCCCDu, mh = 0xCCCCu;
  std::uint32_t ll = xl * ml, lh = xl * mh, hl = xh * ml, hh = xh * mh;
  std::uint32_t mid = (ll >> 16) + (lh & 0xFFFFu) + (hl & 0xFFFFu);
  return (hh + (lh >> 16) + (hl >> 16) + (mid >> 16)) >> 2;
}
constexpr int log2_exact(std::uint32_t v) {
  int k = 0;
  while (v > 1 && (v & 1) == 0)
    v >>= 1, ++k;
  return v == 1 ? k : -1;
}
// Fast path for the common case (now() called often, few counts pending): floor(x / rate) = (x * m) >> 21
// with m = ceil(2^21 / rate), exact while x * m fits 32 bits and x * (m * rate - 2^21) < 2^21.
constexpr std::uint32_t kFastMul = (std::uint32_t{1} << 21) / kCcountPerUs + 1;
constexpr std::uint32_t kFastErr = kFastMul * kCcountPerUs - (std::uint32_t{1} << 21);
constexpr std::uint32_t kFastLimit = UINT32_MAX / kFastMul < (std::uint32_t{1} << 21) / (kFastErr + 1)
                                         ? UINT32_MAX / kFastMul
                                         : (std::uint32_t{1} << 21) / (kFastErr + 1);

// Counts -> whole microseconds. QEMU (40), the chip (80) and its boost mode (160) are all 5 * 2^k per us.
inline std::uint32_t counts_to_us(std::uint32_t counts) {
  if (counts < kFastLimit) return (counts * kFastMul) >> 21;
  constexpr int k = kCcountPerUs % 5 == 0 ? log2_exact(kCcountPerUs / 5) : -1;
  if constexpr (k >= 0) {
    return div5(counts >> k);
  } else {
    return counts / kCcountPerUs;
  }
}

std::uint32_t rsil1() {
  std::uint32_t ps;
  asm volatile("rsil %0, 1" : "=a"(ps) : : "memory");
  return ps;
}
void restore_ps(std::uint32_t ps) {
  asm volatile("wsr %0, ps\n\trsync" : : "a"(ps) : "memory");
}
void set_ccompare0(std::uint32_t v) {
  asm volatile("wsr %0, ccompare0\n\tesync" : : "a"(v) : "memory");
}
std::uint32_t intenable() {
  std::uint32_t v;
  asm volatile("rsr %0, intenable" : "=a"(v));
  return v;
}
void set_intenable(std::uint32_t v) {
  asm volatile("wsr %0, intenable\n\trsync" : : "a"(v) : "memory");
}

// --- Loop-side clock state (not touched by the interrupt) ---
// The wrap tracking of WrappingCounter (core/wrapping_counter.hpp, which the interrupt's clock below uses:
// unsigned 32-bit differences between samples), done in microseconds: a 64-bit count would need a 64-bit division (a libgcc loop on this CPU) to
// become microseconds; the difference of two samples needs one 32-bit reciprocal multiply. Exact: the counts
// that do not make a whole microsecond yet are carried to the next call.
std::uint32_t g_last_sample = 0;  // CCOUNT at the last now()
std::uint32_t g_pending = 0;      // counts sampled but not yet converted (< kCcountPerUs after now())
Micros g_now = 0;

// --- Shared with the interrupt ---
std::atomic<bool> g_woken{false};
volatile std::uint32_t g_feed = 0;  // bumped by the loop: proof of life for the hog watchdog
volatile bool g_in_wait = false;
std::uint32_t g_idle_count = 0;
// Interrupt-side state: its own coarse clock (counts since boot; it runs at least every kMaxIdleStep, so
// it never misses a wrap), the hog watchdog and the time budget.
WrappingCounter g_isr_clock;
std::uint64_t g_isr_counts = 0;  // g_isr_clock's count at the last isr_clock_update()
std::uint32_t g_isr_seen_feed = 0;
std::uint64_t g_stale_since = 0;
std::uint64_t g_hog_counts = std::uint64_t{2'000'000} * kCcountPerUs;
std::uint64_t g_budget_end = UINT64_MAX;
Micros g_budget = kForever;
const char* g_budget_what = "";
void (*g_irq_fn)(void*) = nullptr;  // call_from_interrupt()
void* g_irq_context = nullptr;
std::uint64_t g_irq_at = 0;

bool ticking() {
  return g_hog_counts != 0 || g_budget_end != UINT64_MAX || g_irq_fn != nullptr;
}

// Arms the next tick (or turns the timer off when nothing needs it). Interrupts masked.
void arm_tick(std::uint32_t now) {
  if (ticking()) {
    set_ccompare0(now + kTickCounts);
    set_intenable(intenable() | kTimerIntMask);
  } else {
    set_intenable(intenable() & ~kTimerIntMask);
  }
}

// Brings the interrupt-side clock up to date. Interrupts masked.
void isr_clock_update(std::uint32_t now) {
  g_isr_counts = g_isr_clock.extend(now);
}

[[noreturn]] void watchdog_bite(std::uint32_t pc) {
  print("\nFATAL: watchdog: the loop did not run for ");
  print_u64((g_isr_counts - g_stale_since) / kCcountPerUs / 1000);
  print(" ms of virtual time: a task never yields (or code outside the loop hangs)");
  if (Loop* loop = Loop::current_or_null(); loop != nullptr && loop->current_task() != nullptr) {
    print("; running task \"");
    print(loop->current_task()->task_name());
    print("\"");
  }
  print(", at pc ");
  print_hex(pc);
  print("\n");
  exit(kExitWatchdog);
}

[[noreturn]] void budget_exceeded(std::uint32_t pc) {
  print("\nFATAL: time budget exceeded: ");
  print(g_budget_what);
  print(" still running after ");
  print_u64(static_cast<std::uint64_t>(g_budget / 1000));
  print(" ms of virtual time (a hang: a wait nothing will complete?), at pc ");
  print_hex(pc);
  print("\n");
  exit(kExitTimeBudget);
}

CcountClock g_clock;

}  // namespace

Micros CcountClock::now() {
  std::uint32_t sample = ccount();
  // Valid while now() runs at least once per wrap (107 s at 40 MHz): the loop calls it every pass with timers
  // armed and after every idle step (<= kMaxIdleStep).
  std::uint32_t pending = g_pending + (sample - g_last_sample);
  g_last_sample = sample;
  std::uint32_t us = counts_to_us(pending);
  g_pending = pending - us * kCcountPerUs;
  g_now += us;
  g_feed = g_feed + 1;
  return g_now;
}

void CcountClock::wait_until(Micros deadline) {
  std::uint32_t ps = rsil1();  // the timer interrupt must not slip between the checks and waiti
  if (g_woken.load(std::memory_order_relaxed)) {
    g_woken.store(false, std::memory_order_relaxed);
    g_feed = g_feed + 1;
    restore_ps(ps);
    return;
  }
  Micros t = now();
  if (deadline > t) {
    Micros step = deadline - t;
    if (step > kMaxIdleStep) step = kMaxIdleStep;
    // The count at which now() reaches the deadline (never early: the carried counts are subtracted).
    std::uint32_t target = g_last_sample + static_cast<std::uint32_t>(step) * kCcountPerUs - g_pending;
    set_ccompare0(target);
    set_intenable(intenable() | kTimerIntMask);
    g_in_wait = true;
    // Still in the future after CCOMPARE0 was written: the interrupt will come. Otherwise just return.
    if (static_cast<std::int32_t>(target - ccount()) > 0) {
      asm volatile("waiti 0" : : : "memory");
      ++g_idle_count;
    }
    g_in_wait = false;
    rsil1();  // waiti left interrupts unmasked; mask again to re-arm the tick
    std::uint32_t c = ccount();
    isr_clock_update(c);
    arm_tick(c);
  }
  g_feed = g_feed + 1;
  restore_ps(ps);
}

void CcountClock::wake() {
  g_woken.store(true, std::memory_order_relaxed);
}

void CcountClock::set_ccount_for_test(std::uint32_t value) {
  std::uint32_t ps = rsil1();
  (void)now();
  std::uint32_t before = ccount();
  asm volatile("wsr %0, ccount\n\tesync" : : "a"(value) : "memory");
  isr_clock_update(before);  // the interrupt's clock continues across the jump
  g_isr_clock.continue_from(value);
  g_last_sample = value;  // now() continues from here: time does not jump
  arm_tick(value);
  restore_ps(ps);
}

void set_hog_limit(Micros limit) {
  std::uint32_t ps = rsil1();
  g_hog_counts = static_cast<std::uint64_t>(limit) * kCcountPerUs;
  g_isr_seen_feed = g_feed;
  std::uint32_t c = ccount();
  isr_clock_update(c);
  g_stale_since = g_isr_counts;
  arm_tick(c);
  restore_ps(ps);
}

void set_time_budget(Micros duration, const char* what) {
  std::uint32_t ps = rsil1();
  std::uint32_t c = ccount();
  isr_clock_update(c);
  g_budget_end =
      duration == kForever ? UINT64_MAX : g_isr_counts + static_cast<std::uint64_t>(duration) * kCcountPerUs;
  g_budget = duration;
  g_budget_what = what;
  arm_tick(c);
  restore_ps(ps);
}

void feed_watchdog() {
  g_feed = g_feed + 1;
}

void call_from_interrupt(Micros delay, void (*fn)(void*), void* context) {
  std::uint32_t ps = rsil1();
  std::uint32_t c = ccount();
  isr_clock_update(c);
  g_irq_at = g_isr_counts + static_cast<std::uint64_t>(delay) * kCcountPerUs;
  g_irq_context = context;
  g_irq_fn = fn;
  arm_tick(c);
  restore_ps(ps);
}

std::uint32_t idle_count() {
  return g_idle_count;
}

}  // namespace weft::lx106

weft::ClockPort& weft::default_clock_port() {
  return weft::lx106::g_clock;
}

weft::IoPoller* weft::default_io_poller() {
  return nullptr;
}

extern "C" char __weft_stack_bottom[];  // lx106_qemu.ld: the lowest address of the stack

// Called from startup.c before constructors: the clock starts at zero and the watchdog tick runs; the one
// data breakpoint (DBREAK0) guards the bottom 64 bytes of the stack, so an overflow stops with a message
// (debug exception, vectors.S) instead of silently overwriting .bss and the heap.
extern "C" void weft_lx106_board_init() {
  using namespace weft::lx106;
  auto guard = reinterpret_cast<std::uint32_t>(__weft_stack_bottom) & ~std::uint32_t{63};
  // DBREAKC: bit 31 breaks on stores; MASK (bits 5..0) selects the address bits compared, so 0 watches
  // the whole 64-byte aligned block.
  constexpr std::uint32_t kStoreBreak = 1u << 31, kMask64Bytes = 0;
  asm volatile("wsr %0, dbreaka0\n\twsr %1, dbreakc0\n\tdsync"
               :
               : "a"(guard), "a"(kStoreBreak | kMask64Bytes)
               : "memory");
  std::uint32_t c = ccount();
  g_last_sample = c;  // time starts at 0 here
  g_isr_clock.reset(c);
  arm_tick(c);
}

// Level-1 interrupt (vectors.S), in IRAM like any ISR on the chip. Runs with interrupts masked (PS.EXCM).
extern "C" __attribute__((section(".iram.text.weft_isr"), used)) void weft_lx106_level1_interrupt(
    std::uint32_t pc) {
  using namespace weft::lx106;
  std::uint32_t pending;
  asm volatile("rsr %0, interrupt" : "=a"(pending));
  pending &= intenable();
  if ((pending & kTimerIntMask) == 0) {
    print("\nFATAL: unexpected interrupt, INTERRUPT & INTENABLE = ");
    print_hex(pending);
    print("\n");
    exit(kExitException);
  }
  std::uint32_t c = ccount();
  isr_clock_update(c);
  if (g_isr_counts >= g_budget_end) budget_exceeded(pc);
  if (g_irq_fn != nullptr && g_isr_counts >= g_irq_at) {
    void (*fn)(void*) = g_irq_fn;
    g_irq_fn = nullptr;
    fn(g_irq_context);
  }
  if (g_in_wait || g_feed != g_isr_seen_feed) {
    g_isr_seen_feed = g_feed;
    g_stale_since = g_isr_counts;
  } else if (g_hog_counts != 0 && g_isr_counts - g_stale_since >= g_hog_counts) {
    watchdog_bite(pc);
  }
  arm_tick(c);                           // also acknowledges the interrupt (writing CCOMPARE0 clears it)
  if (!ticking()) set_ccompare0(c - 1);  // acknowledge without a near re-fire
}
