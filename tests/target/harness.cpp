// The harness behind EXPECT_* / ASSERT_* (harness.hpp): it reports the checks the target tests make.
// The target harness's runner (see harness.hpp): runs every registered TEST, then prints `N passed, N
// failed`.
#include "harness.hpp"

#include <cmath>
#include <cstdio>

#include "core/clock_port.hpp"
#include "core/frame_arena.hpp"
#include "lx106_qemu/lx106.hpp"

namespace weft::target {
namespace {

TestCase* g_first = nullptr;
TestCase* g_last = nullptr;
bool g_failed = false;
const TestCase* g_current = nullptr;
char g_budget_label[96];  // "test Suite.Name", for the board's time-budget message

constexpr Micros kDefaultBudget = sec(300);

void print_test_name(const TestCase& tc) {
  print_str(tc.suite);
  print_str(".");
  print_str(tc.name);
}

}  // namespace

Registrar::Registrar(TestCase& tc) {
  (g_last != nullptr ? g_last->next : g_first) = &tc;
  g_last = &tc;
}

void set_budget(Micros budget) {
  lx106::set_time_budget(budget, g_budget_label);
}

void print_str(const char* s) {
  lx106::print(s);
}
void print_signed(long long v) {
  lx106::print_i64(v);
}
void print_unsigned(unsigned long long v) {
  lx106::print_u64(v);
}
void print_pointer(const void* p) {
  lx106::print_hex(reinterpret_cast<std::uintptr_t>(p));
}

void print_chars(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  char buf[64];
  std::size_t n = 0;
  auto flush = [&] {
    buf[n] = '\0';
    lx106::print(buf);
    n = 0;
  };
  buf[n++] = '"';
  for (char c : s) {
    if (n + 5 >= sizeof buf) flush();
    auto b = static_cast<unsigned char>(c);
    if (b == '"' || b == '\\') {
      buf[n++] = '\\';
      buf[n++] = c;
    } else if (b >= 0x20 && b < 0x7f) {
      buf[n++] = c;
    } else {
      buf[n++] = '\\';
      buf[n++] = 'x';
      buf[n++] = kHex[b >> 4];
      buf[n++] = kHex[b & 0xF];
    }
  }
  buf[n++] = '"';
  flush();
}

void print_text(std::string_view s) {
  char buf[64];
  while (!s.empty()) {
    std::size_t n = s.size() < sizeof buf - 1 ? s.size() : sizeof buf - 1;
    std::memcpy(buf, s.data(), n);
    buf[n] = '\0';
    lx106::print(buf);
    s.remove_prefix(n);
  }
}

void print_double(double v) {
  if (v != v) return print_str("nan");
  if (v < 0) {
    print_str("-");
    v = -v;
  }
  if (v > 1.7976931348623157e308) return print_str("inf");
  int exponent = 0;
  if (v >= 1e15) {
    while (v >= 10) {
      v /= 10;
      ++exponent;
    }
  }
  auto whole = static_cast<unsigned long long>(v);
  auto micros = static_cast<unsigned long long>(std::llround((v - static_cast<double>(whole)) * 1e6));
  if (micros >= 1000000) {
    ++whole;
    micros -= 1000000;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%llu.%06llu", whole, micros);
  print_str(buf);
  if (exponent != 0) {
    print_str("e");
    print_signed(exponent);
  }
}

void begin_failure(const char* file, int line, const char* what) {
  g_failed = true;
  print_str(file);
  print_str(":");
  print_signed(line);
  print_str(": Failure: ");
  print_str(what);
}
void end_failure() {
  print_str("\n");
}

bool check_true(bool ok, const char* what, const char* file, int line) {
  if (ok) return true;
  begin_failure(file, line, what);
  end_failure();
  return false;
}

bool check_streq(const char* a, const char* b, const char* what, const char* file, int line) {
  if (a != nullptr && b != nullptr && std::strcmp(a, b) == 0) return true;
  if (a == nullptr && b == nullptr) return true;
  begin_failure(file, line, what);
  print_str("\n    left:  \"");
  print_str(a != nullptr ? a : "(null)");
  print_str("\"\n    right: \"");
  print_str(b != nullptr ? b : "(null)");
  print_str("\"");
  end_failure();
  return false;
}

}  // namespace weft::target

int main() {
  using namespace weft::target;
  namespace lx106 = weft::lx106;
  int passed = 0, failed = 0, skipped = 0, count = 0;
  for (TestCase* t = g_first; t != nullptr; t = t->next)
    ++count;
  print_str("[==========] Running ");
  print_signed(count);
  print_str(" tests on the lx106 (QEMU)\n");

  for (TestCase* t = g_first; t != nullptr; t = t->next) {
    if (std::strncmp(t->name, "DISABLED_", 9) == 0) {  // gtest's convention: compiled, not run
      print_str("[ DISABLED ] ");
      print_test_name(*t);
      print_str("\n");
      ++skipped;
      continue;
    }
    if (t->skip_reason != nullptr) {
      print_str("[  SKIPPED ] ");
      print_test_name(*t);
      print_str(": ");
      print_str(t->skip_reason);
      print_str("\n");
      ++skipped;
      continue;
    }
    g_current = t;
    g_failed = false;
    print_str("[ RUN      ] ");
    print_test_name(*t);
    print_str("\n");
    std::snprintf(g_budget_label, sizeof g_budget_label, "test %s.%s", t->suite, t->name);
    lx106::set_time_budget(kDefaultBudget, g_budget_label);
    // GoogleTest files also run long pure computations outside any loop (thousands of random cases): the
    // hog watchdog, which expects a loop to run every 2 s, then only backs up the time budget.
    if (t->uses_heap) lx106::set_hog_limit(kDefaultBudget);
    lx106::feed_watchdog();
    std::uint32_t heap_before = lx106::heap_allocations();
    std::uint32_t heap_live_before = lx106::heap_live_blocks();
    weft::ArenaStats arena_before = weft::FrameArena::current().stats();
    weft::Micros t0 = weft::default_clock_port().now();

    t->fn();

    weft::Micros took = weft::default_clock_port().now() - t0;
    lx106::set_time_budget(weft::kForever, "");
    lx106::call_from_interrupt(0, nullptr, nullptr);  // no interrupt callback outlives its test
    if (t->uses_heap) {
      if (std::uint32_t live = lx106::heap_live_blocks(); live != heap_live_before) {
        begin_failure(__FILE__, __LINE__, "heap blocks leaked: ");
        print_unsigned(heap_live_before);
        print_str(" live before the test, ");
        print_unsigned(live);
        print_str(" after");
        end_failure();
      }
    } else if (std::uint32_t n = lx106::heap_allocations() - heap_before; n != 0) {
      begin_failure(__FILE__, __LINE__, "the test allocated from the heap (");
      print_unsigned(n);
      print_str(" times); weft's core must not");
      end_failure();
    }
    weft::ArenaStats arena_after = weft::FrameArena::current().stats();
    if (arena_after.live_blocks != arena_before.live_blocks) {
      begin_failure(__FILE__, __LINE__, "frame-arena blocks leaked: ");
      print_unsigned(arena_before.live_blocks);
      print_str(" live before the test, ");
      print_unsigned(arena_after.live_blocks);
      print_str(" after");
      end_failure();
    }
    print_str(g_failed ? "[  FAILED  ] " : "[       OK ] ");
    print_test_name(*t);
    print_str(" (");
    print_signed(took);
    print_str(" us virtual)\n");
    (g_failed ? failed : passed) += 1;
  }
  print_str("[==========] ");
  print_signed(passed + failed);
  print_str(" tests ran\n");
  print_signed(passed);
  print_str(" passed, ");
  print_signed(failed);
  print_str(" failed");
  if (skipped != 0) {
    print_str(", ");
    print_signed(skipped);
    print_str(" skipped");
  }
  print_str("\n");
  return failed != 0 ? lx106::kExitTestFailures : lx106::kExitOk;
}
