// The lx106_qemu board itself: clock rate and conversion, idle wait, wake-up, CCOUNT wraparound, the libgcc
// helpers the Debian toolchain lacks, atomics, IRAM placement. Run under `-icount shift=5` (run-qemu.sh).
#include <atomic>
#include <cstdint>

#include "core/iram.hpp"
#include "core/time.hpp"
#include "harness.hpp"
#include "lx106_qemu/lx106.hpp"

namespace {

using weft::Micros;
namespace lx106 = weft::lx106;

lx106::CcountClock& ccount_clock() {
  return static_cast<lx106::CcountClock&>(weft::default_clock_port());
}

// Executes exactly 2 * n + 1 instructions.
std::uint32_t counts_for_instructions(std::uint32_t n) {
  std::uint32_t c0 = lx106::ccount();
  asm volatile(
      "1: addi %0, %0, -1\n\t"
      "bnez %0, 1b"
      : "+a"(n));
  return lx106::ccount() - c0;
}

TEST(Clock, CcountRunsAt40MHzOfVirtualTimeUnderQemu) {
  // -icount shift=5: 32 ns per instruction; QEMU's lx106 counts at 40 MHz: 1.28 counts per instruction.
  std::uint32_t counts = counts_for_instructions(100000);
  EXPECT_GE(counts, 200001u * 128 / 100);
  EXPECT_LE(counts, 200001u * 128 / 100 + 64);  // + the few instructions around the loop
}

TEST(Clock, NowIsMicrosecondsOfCcount) {
  Micros t0 = ccount_clock().now();
  std::uint32_t c0 = lx106::ccount();
  counts_for_instructions(400000);  // ~1 M counts = 25.6 ms
  Micros t1 = ccount_clock().now();
  std::uint32_t c1 = lx106::ccount();
  Micros expect = static_cast<Micros>((c1 - c0) / lx106::kCcountPerUs);
  EXPECT_GE(t1 - t0, expect - 2);
  EXPECT_LE(t1 - t0, expect + 2);
}

TEST(Clock, IsMonotonic) {
  Micros last = ccount_clock().now();
  for (int i = 0; i < 2000; ++i) {
    Micros t = ccount_clock().now();
    ASSERT_GE(t, last);
    last = t;
  }
}

TEST(Idle, WaitUntilSleepsInWaitiUntilTheDeadline) {
  std::uint32_t idles = lx106::idle_count();
  Micros deadline = ccount_clock().now() + weft::ms(5);
  ccount_clock().wait_until(deadline);
  Micros woke = ccount_clock().now();
  EXPECT_GE(woke, deadline);
  EXPECT_LT(woke - deadline, 50);  // interrupt entry and the C handler: a few microseconds of virtual time
  EXPECT_EQ(lx106::idle_count() - idles, 1u);
}

TEST(Idle, LongWaitsAreCutIntoSteps) {
  Micros deadline = ccount_clock().now() + weft::sec(3);
  int steps = 0;
  while (ccount_clock().now() < deadline) {
    ccount_clock().wait_until(deadline);
    ++steps;
  }
  EXPECT_EQ(steps, 3);  // kMaxIdleStep = 1 s
  EXPECT_LT(ccount_clock().now() - deadline, 50);
}

TEST(Idle, PastDeadlineReturnsAtOnce) {
  std::uint32_t idles = lx106::idle_count();
  ccount_clock().wait_until(ccount_clock().now() - 1);
  ccount_clock().wait_until(0);
  EXPECT_EQ(lx106::idle_count(), idles);
}

TEST(Idle, WakeBeforeWaitMakesItReturn) {
  std::uint32_t idles = lx106::idle_count();
  Micros t0 = ccount_clock().now();
  ccount_clock().wake();
  ccount_clock().wait_until(t0 + weft::sec(1));
  EXPECT_LT(ccount_clock().now() - t0, 100);
  EXPECT_EQ(lx106::idle_count(), idles);
  // The wake was consumed: the next wait sleeps.
  ccount_clock().wait_until(ccount_clock().now() + 100);
  EXPECT_EQ(lx106::idle_count(), idles + 1);
}

TEST(Clock, SurvivesCcountWraparound) {
  // 2 ms before the 32-bit counter wraps; then cross it, then cross it again (every 107 s at 40 MHz).
  Micros t0 = ccount_clock().now();
  ccount_clock().set_ccount_for_test(0xFFFFFFFFu - 2000u * lx106::kCcountPerUs);
  Micros t1 = ccount_clock().now();
  EXPECT_GE(t1, t0);
  EXPECT_LT(t1 - t0, 100);
  Micros last = t1;
  Micros deadline = t1 + weft::ms(10);
  while (ccount_clock().now() < deadline) {
    ccount_clock().wait_until(deadline);
    Micros t = ccount_clock().now();
    ASSERT_GE(t, last);
    last = t;
  }
  EXPECT_LT(lx106::ccount(), 100000u * lx106::kCcountPerUs);  // it did wrap
  deadline = last + weft::sec(250);                           // two more wraps, while idle
  while (ccount_clock().now() < deadline)
    ccount_clock().wait_until(deadline);
  Micros end = ccount_clock().now();
  EXPECT_GE(end, deadline);
  EXPECT_LT(end - deadline, 50);
}

// --- libgcc helpers (Debian's lx106 libgcc.a lacks them; board/lx106_qemu/libcalls.c) ---
template <typename T>
T opaque(T v) {
  asm volatile("" : "+r"(v));  // hides constants from the optimizer: the helpers must really run
  return v;
}

TEST(Libcalls, Unsigned32) {
  EXPECT_EQ(opaque(100u) / opaque(7u), 14u);
  EXPECT_EQ(opaque(100u) % opaque(7u), 2u);
  EXPECT_EQ(opaque(0xFFFFFFFFu) / opaque(1u), 0xFFFFFFFFu);
  EXPECT_EQ(opaque(0xFFFFFFFFu) / opaque(0x10000u), 0xFFFFu);
  EXPECT_EQ(opaque(0xFFFFFFFFu) % opaque(10u), 5u);
  EXPECT_EQ(opaque(3u) / opaque(0xFFFFFFFFu), 0u);
  EXPECT_EQ(opaque(0x80000000u) / opaque(0x80000000u), 1u);
  EXPECT_EQ(opaque(123456789u) / opaque(40u), 3086419u);
}

TEST(Libcalls, Signed32) {
  EXPECT_EQ(opaque(-100) / opaque(7), -14);
  EXPECT_EQ(opaque(-100) % opaque(7), -2);
  EXPECT_EQ(opaque(100) / opaque(-7), -14);
  EXPECT_EQ(opaque(-100) / opaque(-7), 14);
  EXPECT_EQ(opaque(INT32_MIN) / opaque(1), INT32_MIN);
  EXPECT_EQ(opaque(INT32_MIN) / opaque(2), INT32_MIN / 2);
  EXPECT_EQ(opaque(INT32_MIN) % opaque(3), -2);
}

TEST(Libcalls, SixtyFourBit) {
  std::uint64_t big = opaque(std::uint64_t{0xFEDCBA9876543210});
  EXPECT_EQ(big / opaque(std::uint64_t{10}), std::uint64_t{1836475854449306472});
  EXPECT_EQ(big % opaque(std::uint64_t{7}), std::uint64_t{0xFEDCBA9876543210 % 7});
  EXPECT_EQ(big / opaque(std::uint64_t{0x100000001}), std::uint64_t{0xFEDCBA97});
  EXPECT_EQ(opaque(std::int64_t{-1000000000000}) / opaque(std::int64_t{7}), std::int64_t{-142857142857});
  EXPECT_EQ(opaque(std::int64_t{-1000000000000}) % opaque(std::int64_t{7}), std::int64_t{-1});
  EXPECT_EQ(opaque(std::uint64_t{0x123456789}) * opaque(std::uint64_t{0x987654321}),
            std::uint64_t{0xD77D742CCE1833A9});  // the low 64 bits of the product
  EXPECT_EQ(static_cast<std::uint64_t>(opaque(0xFFFFFFFFu)) * opaque(0xFFFFFFFFu),
            std::uint64_t{0xFFFFFFFE00000001});
  EXPECT_EQ(opaque(std::int64_t{-3}) * opaque(std::int64_t{5}), std::int64_t{-15});
}

// --- soft-float (Debian's lx106 libgcc.a lacks most helpers; the board builds GCC's ieee754-*.S) ---
TEST(SoftFloat, FloatArithmeticAndConversions) {
  EXPECT_TRUE(opaque(1.5f) + opaque(2.25f) == 3.75f);
  EXPECT_TRUE(opaque(1.5f) - opaque(2.25f) == -0.75f);
  EXPECT_TRUE(opaque(1.5f) * opaque(-4.0f) == -6.0f);
  EXPECT_TRUE(opaque(7.0f) / opaque(2.0f) == 3.5f);
  EXPECT_EQ(static_cast<int>(opaque(-7.75f)), -7);
  EXPECT_EQ(static_cast<unsigned>(opaque(4000000000.0f)), 4000000000u);
  EXPECT_TRUE(static_cast<float>(opaque(-123456)) == -123456.0f);
  EXPECT_TRUE(static_cast<float>(opaque(3000000000u)) == 3000000000.0f);
}

TEST(SoftFloat, DoubleArithmeticAndConversions) {
  EXPECT_TRUE(opaque(0.1) + opaque(0.2) == 0.30000000000000004);       // IEEE 754 rounding, bit for bit
  EXPECT_TRUE(opaque(1e300) * opaque(1e10) > 1.7976931348623157e308);  // overflows to infinity
  EXPECT_TRUE(opaque(1.0) / opaque(3.0) == 0.3333333333333333);
  EXPECT_TRUE(opaque(2.5) - opaque(10.0) == -7.5);
  EXPECT_EQ(static_cast<int>(opaque(-2147483648.0)), INT32_MIN);
  EXPECT_EQ(static_cast<unsigned>(opaque(4294967295.0)), 4294967295u);
  EXPECT_TRUE(static_cast<double>(opaque(INT32_MIN)) == -2147483648.0);
  EXPECT_TRUE(static_cast<double>(opaque(0xFFFFFFFFu)) == 4294967295.0);
  EXPECT_TRUE(static_cast<double>(opaque(0.1f)) == 0.100000001490116119384765625);
  EXPECT_TRUE(static_cast<float>(opaque(0.1)) == 0.1f);
}

// --- atomics (no atomic instructions on the lx106: the board's __atomic_* mask interrupts) ---
TEST(Atomics, ReadModifyWrite) {
  std::atomic<bool> b{false};
  EXPECT_FALSE(b.exchange(true));
  EXPECT_TRUE(b.exchange(false));
  std::atomic<std::uint8_t> u8{250};
  EXPECT_EQ(u8.fetch_add(10), 250);
  EXPECT_EQ(u8.load(), 4);  // wraps at 8 bits
  std::atomic<std::uint16_t> u16{7};
  std::uint16_t expected = 7;
  EXPECT_TRUE(u16.compare_exchange_strong(expected, 9));
  expected = 7;
  EXPECT_FALSE(u16.compare_exchange_strong(expected, 11));
  EXPECT_EQ(expected, 9);
  std::atomic<std::uint32_t> u32{0xF0};
  EXPECT_EQ(u32.fetch_or(0x0F), 0xF0u);
  EXPECT_EQ(u32.fetch_and(0x3C), 0xFFu);
  EXPECT_EQ(u32.load(), 0x3Cu);
  std::atomic<std::uint64_t> u64{1};
  EXPECT_EQ(u64.exchange(std::uint64_t{1} << 40), 1u);
  EXPECT_EQ(u64.load(), std::uint64_t{1} << 40);
}

// --- IRAM placement ---
WEFT_IRAM int hot_function(int x) {
  return x * 3 + 1;
}

TEST(Iram, WeftIramPutsCodeInInstructionRam) {
  auto addr = reinterpret_cast<std::uintptr_t>(&hot_function);
  EXPECT_GE(addr, 0x40100000u);
  EXPECT_LT(addr, 0x40108000u);
  EXPECT_EQ(hot_function(opaque(4)), 13);
  auto flash = reinterpret_cast<std::uintptr_t>(&counts_for_instructions);
  EXPECT_GE(flash, 0x40200000u);
}

}  // namespace
