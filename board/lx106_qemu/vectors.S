// Reset stub and exception vectors of the lx106_qemu board.
//
// Interrupts: only the CCOMPARE0 timer (interrupt 6, level 1) is used. Code runs with PS.UM = 1, so level-1
// interrupts and every exception arrive at the user vector; the handler saves the caller-saved registers on
// the interrupted stack and calls C (ccount_clock.cpp) in IRAM, then returns with rfe. Any other exception,
// and the kernel, double, debug (break / __builtin_trap) vectors, end the program through
// weft_lx106_fatal_exception(), which prints the cause and exits non-zero: never a silent spin.

#define PS_UM 0x20
#define EXCCAUSE_LEVEL1_INTERRUPT 4
#define KIND_USER 0
#define KIND_KERNEL 1
#define KIND_DOUBLE 2
#define KIND_DEBUG 3
#define FRAME 64  // a0, a2..a11, sar: 12 words, rounded up to keep the stack 16-byte aligned

// --- Reset: QEMU's lx106 starts at 0x50000000 (sysrom), not at the ELF entry. ---
  .section .weft.reset, "ax"
  .global _weft_reset
  .type _weft_reset, @function
  .align 4
_weft_reset:
  j 1f
  .align 4
.Lstack_top:
  .word __stack
.Lstart:
  .word _weft_start
1:
  l32r a1, .Lstack_top
  movi a0, PS_UM  // user vector for exceptions, interrupts unmasked (none enabled yet)
  wsr a0, ps
  rsync
  l32r a0, .Lstart
  jx a0
  .size _weft_reset, . - _weft_reset

// --- Vectors: VECBASE = 0x40100000 (the linker script puts this section first in IRAM). ---
  .section .weft.vectors, "ax"
  .global _weft_vectors
  .align 4
_weft_vectors:
  .org 0x10  // debug (level 2): break instructions, __builtin_trap()
  movi a2, KIND_DEBUG
  j .Lfatal
  .org 0x20  // NMI (level 3): not wired under QEMU; ignore
  rfi 3
  .org 0x30  // kernel: an exception while PS.UM = 0 (never expected)
  movi a2, KIND_KERNEL
  j .Lfatal
  .org 0x50  // user: level-1 interrupts and ordinary exceptions
  addi a1, a1, -FRAME
  s32i a0, a1, 0
  j .Luser
  .org 0x70  // double: an exception inside an exception handler
  movi a2, KIND_DOUBLE
  j .Lfatal

  .align 4
.Lfatal_stack_top:
  .word _weft_fatal_stack_top

.Luser:
  s32i a2, a1, 4
  s32i a3, a1, 8
  s32i a4, a1, 12
  s32i a5, a1, 16
  s32i a6, a1, 20
  s32i a7, a1, 24
  s32i a8, a1, 28
  s32i a9, a1, 32
  s32i a10, a1, 36
  s32i a11, a1, 40
  rsr a2, sar
  s32i a2, a1, 44
  rsr a2, exccause
  bnei a2, EXCCAUSE_LEVEL1_INTERRUPT, .Luser_exception
  rsr a2, epc1  // the interrupted pc, for the watchdog's message
  call0 weft_lx106_level1_interrupt
  l32i a2, a1, 44
  wsr a2, sar
  l32i a0, a1, 0
  l32i a2, a1, 4
  l32i a3, a1, 8
  l32i a4, a1, 12
  l32i a5, a1, 16
  l32i a6, a1, 20
  l32i a7, a1, 24
  l32i a8, a1, 28
  l32i a9, a1, 32
  l32i a10, a1, 36
  l32i a11, a1, 40
  addi a1, a1, FRAME
  rfe

.Luser_exception:
  addi a1, a1, FRAME  // report the sp of the faulting code
  movi a2, KIND_USER
  // fall through

// a2 = kind. Switches to a dedicated stack (the fault may be a stack overflow) and never returns.
.Lfatal:
  mov a3, a0  // a0 and sp at the fault: no memory access here, the stack may be what failed
  mov a4, a1
  l32r a1, .Lfatal_stack_top
  call0 weft_lx106_fatal_exception  // (kind, a0, sp); the C side reads the special registers

// The fatal path's own stack: a fault may be a stack overflow.
  .section .bss.weft_fatal_stack, "aw", @nobits
  .align 16
  .space 1024
_weft_fatal_stack_top:
