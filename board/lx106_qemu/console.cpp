// Console, exit and fatal errors of the lx106_qemu board, over QEMU semihosting (`-semihosting`): the
// `simcall` instruction with a2 = call number, a3.. = arguments (4: write(fd, buf, len), 1: exit(status)).
// Everything here is safe in any context, interrupts included: no allocation, no printf, no locks.
#include <cstdint>
#include <cstring>

#include "core/console.hpp"
#include "lx106_qemu/lx106.hpp"

namespace weft::lx106 {
namespace {

constexpr int kSysExit = 1;
constexpr int kSysWrite = 4;
constexpr int kStdout = 1;

int simcall(int call, std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  register std::uint32_t a2 asm("a2") = static_cast<std::uint32_t>(call);
  register std::uint32_t a3 asm("a3") = a;
  register std::uint32_t a4 asm("a4") = b;
  register std::uint32_t a5 asm("a5") = c;
  asm volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
  return static_cast<int>(a2);
}

}  // namespace

void exit(int code) {
  for (;;)
    simcall(kSysExit, static_cast<std::uint32_t>(code), 0, 0);  // loops only without -semihosting
}

void print(const char* text) {
  console_write(text, std::strlen(text));
}

void print_u64(std::uint64_t v) {
  char buf[21];
  char* p = buf + sizeof buf;
  // Digits from 32-bit halves: a 64-bit division would be a libgcc call per digit.
  do {
    std::uint32_t hi = static_cast<std::uint32_t>(v >> 32);
    if (hi == 0) {
      auto lo = static_cast<std::uint32_t>(v);
      *--p = static_cast<char>('0' + lo % 10);
      v = lo / 10;
    } else {
      *--p = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  } while (v != 0);
  console_write(p, static_cast<std::size_t>(buf + sizeof buf - p));
}

void print_i64(std::int64_t v) {
  if (v < 0) {
    console_write("-", 1);
    print_u64(0 - static_cast<std::uint64_t>(v));
  } else {
    print_u64(static_cast<std::uint64_t>(v));
  }
}

void print_hex(std::uint32_t v) {
  char buf[10] = {'0', 'x'};
  for (int i = 0; i < 8; ++i)
    buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xF];
  console_write(buf, sizeof buf);
}

void fatal(int code, const char* message) {
  print("\nFATAL: ");
  print(message);
  print("\n");
  exit(code);
}

}  // namespace weft::lx106

void weft::console_write(const char* text, std::size_t length) {
  weft::lx106::simcall(weft::lx106::kSysWrite, weft::lx106::kStdout, reinterpret_cast<std::uint32_t>(text),
                       static_cast<std::uint32_t>(length));
}

extern "C" [[noreturn]] void weft_lx106_exit(int code) {
  weft::lx106::exit(code);
}
