// The atomics GCC calls on the ESP8266's CPU, for every board on it (lx106_qemu, esp8266). The lx106 has no
// atomic instructions (no S32C1I), so GCC calls __atomic_*_N for anything beyond a plain aligned load or
// store. Single core: masking interrupts around the read-modify-write makes it atomic,
// as the ESP8266 Arduino core does. `rsil 1` is enough: every maskable interrupt of the lx106 is level 1
// (level 2 is the debug level, level 3 the NMI, which no mask stops), and it keeps debug exceptions, so the
// stack guard (a data breakpoint) and ICOUNT-based instruction counts still work inside.
//
// In IRAM (.iram.text.*): interrupt handlers use them, and on the chip flash code cannot run while the SDK
// writes the flash.
#include <stdbool.h>
#include <stdint.h>

static inline __attribute__((always_inline)) uint32_t irq_lock(void) {
  uint32_t ps;
  __asm__ volatile("rsil %0, 1" : "=a"(ps) : : "memory");
  return ps;
}
static inline __attribute__((always_inline)) void irq_unlock(uint32_t ps) {
  __asm__ volatile("wsr %0, ps\n\trsync" : : "a"(ps) : "memory");
}

#define WEFT_ATOMIC_IRAM(NAME) __attribute__((section(".iram.text.weft_atomic_" #NAME)))

#define WEFT_ATOMIC_RMW(N, T, NAME, EXPR)                     \
  WEFT_ATOMIC_IRAM(NAME##_##N) T __atomic_##NAME##_##N(volatile void* p, T v, int order) { \
    (void)order;                                              \
    volatile T* a = (volatile T*)p;                           \
    uint32_t ps = irq_lock();                                 \
    T old = *a;                                               \
    *a = (T)(EXPR);                                           \
    irq_unlock(ps);                                           \
    return old;                                               \
  }

#define WEFT_ATOMIC_ALL(N, T)                                                                             \
  WEFT_ATOMIC_RMW(N, T, exchange, v)                                                                      \
  WEFT_ATOMIC_RMW(N, T, fetch_add, old + v)                                                               \
  WEFT_ATOMIC_RMW(N, T, fetch_sub, old - v)                                                               \
  WEFT_ATOMIC_RMW(N, T, fetch_and, old& v)                                                                \
  WEFT_ATOMIC_RMW(N, T, fetch_or, old | v)                                                                \
  WEFT_ATOMIC_RMW(N, T, fetch_xor, old ^ v)                                                               \
  WEFT_ATOMIC_IRAM(cas_##N) bool __atomic_compare_exchange_##N(volatile void* p, void* expected, T desired, bool weak, int success, \
                                     int failure) {                                                       \
    (void)weak;                                                                                           \
    (void)success;                                                                                        \
    (void)failure;                                                                                        \
    volatile T* a = (volatile T*)p;                                                                       \
    T* e = (T*)expected;                                                                                  \
    uint32_t ps = irq_lock();                                                                             \
    T cur = *a;                                                                                           \
    bool ok = cur == *e;                                                                                  \
    if (ok) *a = desired;                                                                                 \
    irq_unlock(ps);                                                                                       \
    if (!ok) *e = cur;                                                                                    \
    return ok;                                                                                            \
  }                                                                                                       \
  WEFT_ATOMIC_IRAM(load_##N) T __atomic_load_##N(const volatile void* p, int order) {                                                \
    (void)order;                                                                                          \
    uint32_t ps = irq_lock();                                                                             \
    T v = *(const volatile T*)p;                                                                          \
    irq_unlock(ps);                                                                                       \
    return v;                                                                                             \
  }                                                                                                       \
  WEFT_ATOMIC_IRAM(store_##N) void __atomic_store_##N(volatile void* p, T v, int order) {                                             \
    (void)order;                                                                                          \
    uint32_t ps = irq_lock();                                                                             \
    *(volatile T*)p = v;                                                                                  \
    irq_unlock(ps);                                                                                       \
  }

WEFT_ATOMIC_ALL(1, uint8_t)
WEFT_ATOMIC_ALL(2, uint16_t)
WEFT_ATOMIC_ALL(4, uint32_t)
WEFT_ATOMIC_ALL(8, uint64_t)

// std::atomic_flag / atomic<bool>::test_and_set on a byte.
WEFT_ATOMIC_IRAM(test_and_set) bool __atomic_test_and_set(volatile void* p, int order) {
  (void)order;
  uint32_t ps = irq_lock();
  bool old = *(volatile uint8_t*)p != 0;
  *(volatile uint8_t*)p = 1;
  irq_unlock(ps);
  return old;
}

// Fences compile to memw on the lx106 and need no call; GCC asks for these only with -fno-inline-atomics.
void __atomic_thread_fence(int order) {
  (void)order;
  __asm__ volatile("memw" : : : "memory");
}
void __atomic_signal_fence(int order) {
  (void)order;
  __asm__ volatile("" : : : "memory");
}
