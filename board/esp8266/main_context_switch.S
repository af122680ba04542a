/* The stack switch under MainContext (main_context.hpp), CALL0 ABI: a0 is the return address, a1 the stack
   pointer, a2.. the arguments, a12-a15 callee-saved. Everything else is caller-saved, so the compiler has
   already spilled what it needs around the call. Frame layout (16 bytes): a0, a12, a13, a14 | a15 at +16. */
  .section .iram.text.weft_context, "ax"
  .literal_position
  .align 4
  .global weft_context_switch
  .type weft_context_switch, @function
weft_context_switch:            /* a2 = void** save, a3 = void* next */
  addi  a1, a1, -32
  s32i  a0, a1, 0
  s32i  a12, a1, 4
  s32i  a13, a1, 8
  s32i  a14, a1, 12
  s32i  a15, a1, 16
  s32i  a1, a2, 0
  mov   a1, a3
  l32i  a0, a1, 0
  l32i  a12, a1, 4
  l32i  a13, a1, 8
  l32i  a14, a1, 12
  l32i  a15, a1, 16
  addi  a1, a1, 32
  ret
  .size weft_context_switch, . - weft_context_switch

  .align 4
  .global weft_context_start
  .type weft_context_start, @function
weft_context_start:             /* reached by weft_context_switch's ret: a12 = arg, a13 = entry */
  mov   a2, a12
  callx0 a13
1:
  j     1b                      /* entry never returns */
  .size weft_context_start, . - weft_context_start
