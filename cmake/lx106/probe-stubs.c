/* Link-only stand-ins for the libstdc++ configure probes (gen-cxx-headers.sh): Debian's lx106 libgcc lacks
   the integer divide/multiply helpers and picolibc's tinystdio wants the program to define
   stdin/stdout/stderr. Nothing built with these ever runs; the board (board/lx106_qemu/libcalls.c) has the
   real helpers. */
#include <stdio.h>

#define STUB(ret, name, type) \
  ret name(type a, type b) {  \
    return a + b;             \
  }
STUB(unsigned, __udivsi3, unsigned)
STUB(unsigned, __umodsi3, unsigned)
STUB(int, __divsi3, int)
STUB(unsigned long long, __udivdi3, unsigned long long)
STUB(unsigned long long, __umoddi3, unsigned long long)
STUB(long long, __divdi3, long long)
STUB(long long, __muldi3, long long)
unsigned long long __umulsidi3(unsigned a, unsigned b) {
  return a + b;
}

static int probe_put(char c, FILE* f) {
  (void)c;
  (void)f;
  return 0;
}
static FILE probe_io = FDEV_SETUP_STREAM(probe_put, NULL, NULL, _FDEV_SETUP_RW);
FILE* const stdin = &probe_io;
FILE* const stdout = &probe_io;
FILE* const stderr = &probe_io;
