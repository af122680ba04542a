// A test harness for the lx106 target: GoogleTest's shape without exceptions, iostream or heap.
//
//   #include "harness.hpp"
//   TEST(Timer, FiresOnce) {
//     EXPECT_EQ(fired, 1);          // prints file:line, the expressions and both values on failure
//     ASSERT_TRUE(h.ok());          // ...and returns from the test (CO_ASSERT_* inside a coroutine)
//   }
//
// Every TEST registers itself (static constructor); the harness's main() runs them in file/definition order
// and prints gtest-like lines, then `N passed, N failed`; the exit code is 1 if any failed (QEMU passes it to
// the shell through semihosting). Around each test the harness also checks what a test would forget:
//   - no heap allocation (weft's core never allocates; frames come from the frame arena),
//   - no leaked frame-arena blocks (every frame and task header is freed),
//   - a virtual-time budget (default 300 s; set_budget() changes it): a hang ends with a clear message
//     (board/lx106_qemu: exit 5), the hog watchdog catches a test that never yields (exit 4).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/errc.hpp"
#include "core/time.hpp"

namespace weft::target {

struct TestCase {
  const char* suite;
  const char* name;
  void (*fn)();
  TestCase* next = nullptr;
  // false: the test must not allocate from the heap at all (weft's core never does). true (the GoogleTest
  // files, gtest/gtest.h): it may, but must free every block it allocated.
  bool uses_heap = false;
  // Non-null: not run on this target, for this reason (printed, and counted as skipped, never as passed).
  const char* skip_reason = nullptr;
};

struct Registrar {
  explicit Registrar(TestCase& tc);
};

// Changes the current test's virtual-time budget (from now).
void set_budget(Micros budget);

// --- Failure reporting (used by the macros) ---
void begin_failure(const char* file, int line, const char* what);
void end_failure();
void print_str(const char* s);
void print_signed(long long v);
void print_unsigned(unsigned long long v);
void print_pointer(const void* p);
void print_chars(std::string_view s);  // quoted, non-printable bytes as \xNN
void print_text(std::string_view s);   // as it is
void print_double(double v);           // without float printf: sign, integer part, 6 decimals or an exponent

template <typename T>
concept PrintableRange = requires(const T& r) {
  r.begin();
  r.end();
};

template <typename T>
void print_value(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    print_str(v ? "true" : "false");
  } else if constexpr (std::is_same_v<T, Errc>) {
    print_str("Errc(");
    print_signed(static_cast<int>(v));
    print_str(": ");
    print_str(to_string(v));
    print_str(")");
  } else if constexpr (std::is_enum_v<T>) {
    print_signed(static_cast<long long>(static_cast<std::underlying_type_t<T>>(v)));
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    print_signed(v);
  } else if constexpr (std::is_integral_v<T>) {
    print_unsigned(v);
  } else if constexpr (std::is_same_v<T, char>) {
    print_chars(std::string_view(&v, 1));
  } else if constexpr (std::is_floating_point_v<T>) {
    print_double(static_cast<double>(v));
  } else if constexpr (std::is_convertible_v<const T&, std::string_view> && !std::is_null_pointer_v<T>) {
    // std::string, std::string_view, string literals; a null const char* prints as a pointer
    if constexpr (std::is_pointer_v<T>) {
      if (v == nullptr) return print_pointer(v);
    }
    print_chars(std::string_view(v));
  } else if constexpr (std::is_pointer_v<T> || std::is_null_pointer_v<T>) {
    print_pointer(v);
  } else if constexpr (PrintableRange<T>) {  // a container: its elements
    print_str("{ ");
    bool first = true;
    for (const auto& e : v) {
      if (!first) print_str(", ");
      first = false;
      print_value(e);
    }
    print_str(" }");
  } else {
    print_str("<value>");
  }
}

enum class Op { eq, ne, lt, le, gt, ge };

// The integer types std::cmp_equal and friends take (not bool, not the character types).
template <typename T>
inline constexpr bool kComparesByValue =
    std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char> &&
    !std::is_same_v<T, wchar_t> && !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> &&
    !std::is_same_v<T, char32_t>;

// The operator is a template argument: a type with only == (a struct, a vector of them) can be EXPECT_EQ'd.
template <Op op, typename A, typename B>
bool compare(const A& a, const B& b) {
  if constexpr (kComparesByValue<A> && kComparesByValue<B>) {
    // Mixed signedness compares by value, as a reader expects (EXPECT_EQ(size(), 3)).
    if constexpr (op == Op::eq) return std::cmp_equal(a, b);
    if constexpr (op == Op::ne) return std::cmp_not_equal(a, b);
    if constexpr (op == Op::lt) return std::cmp_less(a, b);
    if constexpr (op == Op::le) return std::cmp_less_equal(a, b);
    if constexpr (op == Op::gt) return std::cmp_greater(a, b);
    if constexpr (op == Op::ge) return std::cmp_greater_equal(a, b);
  } else {
    if constexpr (op == Op::eq) return a == b;
    if constexpr (op == Op::ne) return !(a == b);
    if constexpr (op == Op::lt) return a < b;
    if constexpr (op == Op::le) return a <= b;
    if constexpr (op == Op::gt) return a > b;
    if constexpr (op == Op::ge) return a >= b;
  }
}

template <Op op, typename A, typename B>
bool check_cmp(const A& a, const B& b, const char* what, const char* file, int line) {
  if (compare<op>(a, b)) return true;
  begin_failure(file, line, what);
  print_str("\n    left:  ");
  print_value(a);
  print_str("\n    right: ");
  print_value(b);
  end_failure();
  return false;
}

bool check_true(bool ok, const char* what, const char* file, int line);
bool check_streq(const char* a, const char* b, const char* what, const char* file, int line);

}  // namespace weft::target

#define WEFT_TARGET_CAT2(a, b) a##b
#define WEFT_TARGET_CAT(a, b) WEFT_TARGET_CAT2(a, b)

#define TEST(suite, name)                                                                               \
  static void weft_test_##suite##_##name();                                                             \
  static ::weft::target::TestCase weft_tc_##suite##_##name{#suite, #name, &weft_test_##suite##_##name}; \
  static const ::weft::target::Registrar weft_reg_##suite##_##name{weft_tc_##suite##_##name};           \
  static void weft_test_##suite##_##name()

#define WEFT_TARGET_CMP(op, a, b, text) \
  ::weft::target::check_cmp<::weft::target::Op::op>((a), (b), text, __FILE__, __LINE__)

#define EXPECT_TRUE(c) \
  ::weft::target::check_true(static_cast<bool>(c), "EXPECT_TRUE(" #c ")", __FILE__, __LINE__)
#define EXPECT_FALSE(c) ::weft::target::check_true(!(c), "EXPECT_FALSE(" #c ")", __FILE__, __LINE__)
#define EXPECT_EQ(a, b) WEFT_TARGET_CMP(eq, a, b, "EXPECT_EQ(" #a ", " #b ")")
#define EXPECT_NE(a, b) WEFT_TARGET_CMP(ne, a, b, "EXPECT_NE(" #a ", " #b ")")
#define EXPECT_LT(a, b) WEFT_TARGET_CMP(lt, a, b, "EXPECT_LT(" #a ", " #b ")")
#define EXPECT_LE(a, b) WEFT_TARGET_CMP(le, a, b, "EXPECT_LE(" #a ", " #b ")")
#define EXPECT_GT(a, b) WEFT_TARGET_CMP(gt, a, b, "EXPECT_GT(" #a ", " #b ")")
#define EXPECT_GE(a, b) WEFT_TARGET_CMP(ge, a, b, "EXPECT_GE(" #a ", " #b ")")
#define EXPECT_STREQ(a, b) \
  ::weft::target::check_streq((a), (b), "EXPECT_STREQ(" #a ", " #b ")", __FILE__, __LINE__)

// ASSERT_*: the check, then `return` from the test function on failure. Inside a coroutine use CO_ASSERT_*.
// (`if (check) {} else return` keeps a caller's own `else` bound to the caller's `if`.)
#define WEFT_TARGET_ASSERT(check, ret) \
  if (check) {                         \
  } else                               \
    ret
#define ASSERT_TRUE(c) WEFT_TARGET_ASSERT(EXPECT_TRUE(c), return )
#define ASSERT_FALSE(c) WEFT_TARGET_ASSERT(EXPECT_FALSE(c), return )
#define ASSERT_EQ(a, b) WEFT_TARGET_ASSERT(EXPECT_EQ(a, b), return )
#define ASSERT_NE(a, b) WEFT_TARGET_ASSERT(EXPECT_NE(a, b), return )
#define ASSERT_LT(a, b) WEFT_TARGET_ASSERT(EXPECT_LT(a, b), return )
#define ASSERT_LE(a, b) WEFT_TARGET_ASSERT(EXPECT_LE(a, b), return )
#define ASSERT_GT(a, b) WEFT_TARGET_ASSERT(EXPECT_GT(a, b), return )
#define ASSERT_GE(a, b) WEFT_TARGET_ASSERT(EXPECT_GE(a, b), return )
#define CO_ASSERT_TRUE(c) WEFT_TARGET_ASSERT(EXPECT_TRUE(c), co_return )
#define CO_ASSERT_FALSE(c) WEFT_TARGET_ASSERT(EXPECT_FALSE(c), co_return )
#define CO_ASSERT_EQ(a, b) WEFT_TARGET_ASSERT(EXPECT_EQ(a, b), co_return )
#define CO_ASSERT_NE(a, b) WEFT_TARGET_ASSERT(EXPECT_NE(a, b), co_return )
