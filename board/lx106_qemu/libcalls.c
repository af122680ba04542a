// Runtime helpers that Debian's lx106 toolchain leaves out (the atomics are in atomics.c).
//
// Integer division: the lx106 has no divider and Debian's libgcc.a references but lacks __udivsi3,
// __umodsi3, __divsi3 and the 64-bit __udivdi3/__umoddi3/__divdi3, __muldi3, __umulsidi3 (its
// __udivmoddi4/__moddi3 need the 32-bit ones). They are defined here; dividing by zero prints the caller's
// address and exits with kExitDivideByZero instead of returning garbage. The loops use shifts and compares
// only, so GCC cannot turn them back into calls to themselves.
#include <stdbool.h>
#include <stdint.h>

void weft_lx106_divide_by_zero(void* caller) __attribute__((noreturn));

// ---- 32-bit division ----------------------------------------------------------------------------------

static inline __attribute__((always_inline)) uint32_t udivmod32(uint32_t n, uint32_t d, uint32_t* rem) {
  if (d == 0) weft_lx106_divide_by_zero(__builtin_return_address(0));
  if (n < d) {
    *rem = n;
    return 0;
  }
  // Align the divisor's top bit with the dividend's (nsau), then one compare-subtract per quotient bit.
  int shift = __builtin_clz(d) - __builtin_clz(n);
  d <<= shift;
  uint32_t bit = 1u << shift;
  uint32_t q = 0;
  for (;;) {
    if (n >= d) {
      n -= d;
      q |= bit;
    }
    bit >>= 1;
    if (bit == 0) break;
    d >>= 1;
  }
  *rem = n;
  return q;
}

uint32_t __udivsi3(uint32_t n, uint32_t d) {
  uint32_t r;
  return udivmod32(n, d, &r);
}

uint32_t __umodsi3(uint32_t n, uint32_t d) {
  uint32_t r;
  (void)udivmod32(n, d, &r);
  return r;
}

int32_t __divsi3(int32_t n, int32_t d) {
  uint32_t r;
  uint32_t un = n < 0 ? 0u - (uint32_t)n : (uint32_t)n;
  uint32_t ud = d < 0 ? 0u - (uint32_t)d : (uint32_t)d;
  uint32_t q = udivmod32(un, ud, &r);
  return (int32_t)((n < 0) != (d < 0) ? 0u - q : q);  // INT_MIN / -1 wraps, as on every other target
}

// ---- 64-bit multiply and division ---------------------------------------------------------------------

// 32x32 -> 64 from four 16x16 products (the lx106 has MULL but no high-half multiply).
uint64_t __umulsidi3(uint32_t a, uint32_t b) {
  uint32_t al = a & 0xFFFFu, ah = a >> 16, bl = b & 0xFFFFu, bh = b >> 16;
  uint32_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  uint32_t mid = (ll >> 16) + (lh & 0xFFFFu) + (hl & 0xFFFFu);
  uint32_t hi = hh + (lh >> 16) + (hl >> 16) + (mid >> 16);
  uint32_t lo = (mid << 16) | (ll & 0xFFFFu);
  return ((uint64_t)hi << 32) | lo;
}

int64_t __muldi3(int64_t a, int64_t b) {
  uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
  uint32_t al = (uint32_t)ua, ah = (uint32_t)(ua >> 32), bl = (uint32_t)ub, bh = (uint32_t)(ub >> 32);
  uint64_t p = __umulsidi3(al, bl);
  p += (uint64_t)(al * bh + ah * bl) << 32;
  return (int64_t)p;
}

// libgcc has __udivmoddi4 (it uses the 32-bit helpers above); check zero here to report the right caller.
uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t* rem);

uint64_t __udivdi3(uint64_t n, uint64_t d) {
  if (d == 0) weft_lx106_divide_by_zero(__builtin_return_address(0));
  return __udivmoddi4(n, d, 0);
}

uint64_t __umoddi3(uint64_t n, uint64_t d) {
  if (d == 0) weft_lx106_divide_by_zero(__builtin_return_address(0));
  uint64_t r;
  (void)__udivmoddi4(n, d, &r);
  return r;
}

int64_t __divdi3(int64_t n, int64_t d) {
  if (d == 0) weft_lx106_divide_by_zero(__builtin_return_address(0));
  uint64_t un = n < 0 ? 0u - (uint64_t)n : (uint64_t)n;
  uint64_t ud = d < 0 ? 0u - (uint64_t)d : (uint64_t)d;
  uint64_t q = __udivmoddi4(un, ud, 0);
  return (int64_t)((n < 0) != (d < 0) ? 0u - q : q);
}
