// The C++ runtime pieces a -fno-exceptions -fno-rtti program needs on this board, and the fatal paths:
// CPU exceptions (from vectors.S), traps, abort, assert, pure virtual calls, heap exhaustion, division by
// zero. Each prints one clear line (cause, pc, address) and exits non-zero: a bug never becomes a silent
// spin.
#include <cstdint>
#include <cstdlib>
#include <new>

#include "lx106_qemu/lx106.hpp"

using weft::lx106::fatal;
using weft::lx106::print;
using weft::lx106::print_hex;

namespace {

std::uint32_t g_heap_allocations = 0;
std::uint32_t g_heap_frees = 0;

void counted_free(void* p) {
  if (p == nullptr) return;
  ++g_heap_frees;
  std::free(p);
}

const char* exccause_name(std::uint32_t cause) {
  switch (cause) {
    case 0:
      return "IllegalInstruction";
    case 1:
      return "Syscall";
    case 2:
      return "InstructionFetchError";
    case 3:
      return "LoadStoreError";
    case 5:
      return "Alloca";
    case 6:
      return "IntegerDivideByZero";
    case 8:
      return "Privileged";
    case 9:
      return "LoadStoreAlignment (unaligned access)";
    case 12:
      return "InstrPIFDataError";
    case 13:
      return "LoadStorePIFDataError";
    case 14:
      return "InstrPIFAddrError";
    case 15:
      return "LoadStorePIFAddrError";
    case 20:
      return "InstFetchProhibited";
    case 28:
      return "LoadProhibited (bad pointer read)";
    case 29:
      return "StoreProhibited (bad pointer write)";
    default:
      return "exception";
  }
}

#define WEFT_DEFINE_RSR(reg)                 \
  std::uint32_t rsr_##reg() {                \
    std::uint32_t v;                         \
    asm volatile("rsr %0, " #reg : "=a"(v)); \
    return v;                                \
  }
WEFT_DEFINE_RSR(exccause)
WEFT_DEFINE_RSR(epc1)
WEFT_DEFINE_RSR(epc2)
WEFT_DEFINE_RSR(excvaddr)
WEFT_DEFINE_RSR(depc)
WEFT_DEFINE_RSR(debugcause)

constexpr std::uint32_t kDebugCauseDbreak = 1u << 2;

}  // namespace

extern "C" {

// Called by vectors.S. kind: 0 user vector (EXCCAUSE/EPC1), 1 kernel, 2 double (DEPC), 3 debug (EPC2).
[[noreturn]] __attribute__((section(".iram.text.weft_fatal"), used)) void weft_lx106_fatal_exception(
    std::uint32_t kind, std::uint32_t a0, std::uint32_t sp) {
  std::uint32_t cause = rsr_exccause();
  std::uint32_t pc = rsr_epc1();
  std::uint32_t addr = rsr_excvaddr();
  if (kind == 3 && (rsr_debugcause() & kDebugCauseDbreak) != 0) {
    print(
        "\nFATAL: stack overflow: a store reached the guard at the bottom of the stack (deep recursion or "
        "nested resumes; raise __weft_stack_size) at pc ");
    print_hex(rsr_epc2());
    print(", sp ");
    print_hex(sp);
    print("\n");
    weft::lx106::exit(weft::lx106::kExitStackOverflow);
  }
  if (kind == 3) {
    pc = rsr_epc2();
    print("\nFATAL: break instruction (__builtin_trap() or a failed check) at pc ");
  } else {
    if (kind == 2) pc = rsr_depc();
    print(kind == 2   ? "\nFATAL: double exception: "
          : kind == 1 ? "\nFATAL: kernel exception: "
                      : "\nFATAL: ");
    print(exccause_name(cause));
    print(" (EXCCAUSE ");
    weft::lx106::print_u64(cause);
    print(") at pc ");
  }
  print_hex(pc);
  if (kind != 3) {
    print(", address ");
    print_hex(addr);
  }
  print(", a0 ");
  print_hex(a0);
  print(", sp ");
  print_hex(sp);
  print("\n  (xtensa-lx106-elf-addr2line -pfe <elf> <pc> names the function)\n");
  weft::lx106::exit(kind == 3 ? weft::lx106::kExitTrap : weft::lx106::kExitException);
}

[[noreturn]] void weft_lx106_divide_by_zero(void* caller) {
  print("\nFATAL: integer division by zero, called from ");
  print_hex(reinterpret_cast<std::uint32_t>(caller));
  print("\n");
  weft::lx106::exit(weft::lx106::kExitDivideByZero);
}

void abort(void) {
  fatal(weft::lx106::kExitTrap, "abort() called");
}

void __assert_func(const char* file, int line, const char* func, const char* expr) {
  print("\nFATAL: assertion failed: ");
  print(expr);
  print(" (");
  print(file);
  print(":");
  weft::lx106::print_i64(line);
  print(", ");
  print(func != nullptr ? func : "?");
  print(")\n");
  weft::lx106::exit(weft::lx106::kExitTrap);
}

void _exit(int code) {
  weft::lx106::exit(code);
}

void __cxa_pure_virtual() {
  fatal(weft::lx106::kExitTrap, "pure virtual function called");
}

// Firmware never returns from main, so static destructors are never registered: saves their code and RAM.
int __cxa_atexit(void (*)(void*), void*, void*) {
  return 0;
}
void* __dso_handle = nullptr;

}  // extern "C"

// What libstdc++'s headers call and its runtime (not linked on this target) would define, where the hosted
// library throws: string_view::substr checks its position (framework/io and framework/machine parse text with
// it); std::string and std::vector (test code, apps) check lengths and allocations. Never reached by correct
// code: each stops with its own message (exit 3; heap exhaustion already stops in operator new, exit 6).
namespace std {
void __throw_out_of_range_fmt(const char* /*format*/, ...) {
  fatal(weft::lx106::kExitTrap, "std::string_view position out of range");
}
void __throw_out_of_range(const char* what) {
  fatal(weft::lx106::kExitTrap, what);
}
void __throw_length_error(const char* what) {
  fatal(weft::lx106::kExitTrap, what);
}
void __throw_logic_error(const char* what) {
  fatal(weft::lx106::kExitTrap, what);
}
void __throw_invalid_argument(const char* what) {
  fatal(weft::lx106::kExitTrap, what);
}
void __throw_bad_alloc() {
  fatal(weft::lx106::kExitOutOfMemory, "std::bad_alloc: out of heap memory");
}
void __throw_bad_array_new_length() {
  fatal(weft::lx106::kExitTrap, "std::bad_array_new_length: array size too large");
}
void __throw_bad_function_call() {
  fatal(weft::lx106::kExitTrap, "std::bad_function_call: an empty std::function was called");
}
}  // namespace std

// Heap: picolibc's malloc over [__heap_start, __heap_end) (lx106_qemu.ld). weft's core never uses it (frames
// come from the frame arena); the counts let tests prove that, and prove that heap-using test code frees what it
// allocates.
void* operator new(std::size_t n) {
  void* p = std::malloc(n != 0 ? n : 1);
  if (p == nullptr) fatal(weft::lx106::kExitOutOfMemory, "operator new: out of heap memory");
  ++g_heap_allocations;
  return p;
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  void* p = std::malloc(n != 0 ? n : 1);
  if (p != nullptr) ++g_heap_allocations;
  return p;
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept {
  return operator new(n, t);
}
void operator delete(void* p) noexcept {
  counted_free(p);
}
void operator delete[](void* p) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_free(p);
}

std::uint32_t weft::lx106::heap_allocations() {
  return g_heap_allocations;
}
std::uint32_t weft::lx106::heap_live_blocks() {
  return g_heap_allocations - g_heap_frees;
}
