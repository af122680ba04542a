// GoogleTest's API, as far as weft's Linux test files use it, on the target harness (harness.hpp): the same
// test files build for the lx106 and run under QEMU (no exceptions, no RTTI, no iostream, no libgtest).
//
//   TEST(Suite, Name), TEST_F(Fixture, Name) with ::testing::Test fixtures (SetUp, TestBody, TearDown: a
//   fatal failure in SetUp skips the body, TearDown always runs; the fixture lives on the heap, as in gtest),
//   EXPECT_/ASSERT_ TRUE FALSE EQ NE LT LE GT GE STREQ NEAR, `<<` messages after any check, SUCCEED(),
//   ::testing::PrintToString for strings and numbers.
//
// Differences a reader may meet: failures print in the harness's format (file:line, the check, both values;
// strings quoted with \xNN escapes; other class types as <value>); the message follows on its own line.
// These tests may use the heap (std::string, std::vector), but each must free every block it allocated:
// the harness counts live blocks before and after each test.
#pragma once
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "harness.hpp"

namespace weft::target::gtest {

// Set by a failing ASSERT_* until the next test starts: gtest skips TestBody after a fatal failure in SetUp.
inline bool g_fatal_failure = false;

// The `<<` text after a failed check: printed at once, indented on the line after the failure.
class FailureMessage {
 public:
  FailureMessage() = default;
  FailureMessage(const FailureMessage&) = delete;
  FailureMessage& operator=(const FailureMessage&) = delete;
  ~FailureMessage() {
    if (started_) print_str("\n");
  }

  template <typename T>
  FailureMessage& operator<<(const T& v) {
    if (!started_) {
      print_str("    ");
      started_ = true;
    }
    if constexpr (std::is_function_v<std::remove_pointer_t<T>>) {
      // a stream manipulator (std::hex, std::hexfloat): no streams here, values print in one format
    } else if constexpr (std::is_same_v<T, char>) {
      print_text(std::string_view(&v, 1));
    } else if constexpr (std::is_convertible_v<const T&, std::string_view> && !std::is_null_pointer_v<T>) {
      if constexpr (std::is_pointer_v<T>) {
        if (v == nullptr) {
          print_str("(null)");
          return *this;
        }
      }
      print_text(std::string_view(v));
    } else {
      print_value(v);
    }
    return *this;
  }

 private:
  bool started_ = false;
};

// `return FatalFailure() = FailureMessage() << ...;`: ASSERT_* records the failure as fatal, then returns.
struct FatalFailure {
  void operator=(const FailureMessage&) const { g_fatal_failure = true; }
};

bool check_near(double a, double b, double tolerance, const char* what, const char* file, int line);

}  // namespace weft::target::gtest

namespace testing {

class Test {
 public:
  Test() = default;
  Test(const Test&) = delete;
  Test& operator=(const Test&) = delete;
  virtual ~Test() = default;

  // gtest's order: SetUp, the body unless SetUp failed fatally, TearDown.
  void Run() {
    ::weft::target::gtest::g_fatal_failure = false;
    SetUp();
    if (!::weft::target::gtest::g_fatal_failure) TestBody();
    TearDown();
  }

 protected:
  virtual void SetUp() {}
  virtual void TearDown() {}

 private:
  virtual void TestBody() = 0;
};

template <typename T>
std::string PrintToString(const T& v) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char c : std::string_view(v)) {
      auto b = static_cast<unsigned char>(c);
      if (b == '"' || b == '\\') {
        out += '\\';
        out += c;
      } else if (b >= 0x20 && b < 0x7f) {
        out += c;
      } else {
        out += "\\x";
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
      }
    }
    out += '"';
    return out;
  } else {
    static_assert(std::is_integral_v<T>, "PrintToString on the target: strings and integers only");
    return std::to_string(v);
  }
}

}  // namespace testing

namespace weft::target::gtest {

// WEFT_TARGET_SKIP (a compile definition, tests/target/CMakeLists.txt): string literals "Suite.Name: reason",
// comma-separated, the cases of a file that cannot run on this target. The reason for suite.name, or nullptr.
inline const char* skip_reason(const char* suite, const char* name) {
#ifdef WEFT_TARGET_SKIP
  const char* const skips[] = {WEFT_TARGET_SKIP};
  const std::size_t suite_len = std::strlen(suite), name_len = std::strlen(name);
  for (const char* entry : skips) {
    if (std::strncmp(entry, suite, suite_len) == 0 && entry[suite_len] == '.' &&
        std::strncmp(entry + suite_len + 1, name, name_len) == 0 && entry[suite_len + 1 + name_len] == ':') {
      const char* reason = entry + suite_len + name_len + 2;
      return *reason == ' ' ? reason + 1 : reason;
    }
  }
#else
  static_cast<void>(suite);
  static_cast<void>(name);
#endif
  return nullptr;
}

template <typename T>
void run() {
  std::unique_ptr<::testing::Test> t(new T);
  t->Run();
}
}  // namespace weft::target::gtest

#undef TEST
#undef EXPECT_TRUE
#undef EXPECT_FALSE
#undef EXPECT_EQ
#undef EXPECT_NE
#undef EXPECT_LT
#undef EXPECT_LE
#undef EXPECT_GT
#undef EXPECT_GE
#undef EXPECT_STREQ
#undef ASSERT_TRUE
#undef ASSERT_FALSE
#undef ASSERT_EQ
#undef ASSERT_NE
#undef ASSERT_LT
#undef ASSERT_LE
#undef ASSERT_GT
#undef ASSERT_GE

#define WEFT_GTEST_TEST_(suite, name, parent)                                                 \
  class suite##_##name##_Test : public parent {                                               \
   private:                                                                                   \
    void TestBody() override;                                                                 \
  };                                                                                          \
  static void weft_gtest_##suite##_##name() {                                                 \
    ::weft::target::gtest::run<suite##_##name##_Test>();                                      \
  }                                                                                           \
  static ::weft::target::TestCase weft_tc_##suite##_##name{                                   \
      #suite,  #name, &weft_gtest_##suite##_##name,                                           \
      nullptr, true,  ::weft::target::gtest::skip_reason(#suite, #name)};                     \
  static const ::weft::target::Registrar weft_reg_##suite##_##name{weft_tc_##suite##_##name}; \
  void suite##_##name##_Test::TestBody()

#define TEST(suite, name) WEFT_GTEST_TEST_(suite, name, ::testing::Test)
#define TEST_F(fixture, name) WEFT_GTEST_TEST_(fixture, name, fixture)

// A check as a statement that takes `<< message` (printed only on failure). The switch keeps a caller's
// `else` bound to the caller's `if`.
#define WEFT_GTEST_NONFATAL_(check) \
  switch (0)                        \
  case 0:                           \
  default:                          \
    if (check) {                    \
    } else                          \
      ::weft::target::gtest::FailureMessage()
#define WEFT_GTEST_FATAL_(check) \
  switch (0)                     \
  case 0:                        \
  default:                       \
    if (check) {                 \
    } else                       \
      return ::weft::target::gtest::FatalFailure() = ::weft::target::gtest::FailureMessage()

#define WEFT_GTEST_TRUE_(c, text) ::weft::target::check_true(static_cast<bool>(c), text, __FILE__, __LINE__)
#define WEFT_GTEST_CMP_(op, a, b, text) \
  ::weft::target::check_cmp<::weft::target::Op::op>((a), (b), text, __FILE__, __LINE__)
#define WEFT_GTEST_STREQ_(a, b, text) ::weft::target::check_streq((a), (b), text, __FILE__, __LINE__)
#define WEFT_GTEST_NEAR_(a, b, tol, text) \
  ::weft::target::gtest::check_near((a), (b), (tol), text, __FILE__, __LINE__)

#define EXPECT_TRUE(c) WEFT_GTEST_NONFATAL_(WEFT_GTEST_TRUE_(c, "EXPECT_TRUE(" #c ")"))
#define EXPECT_FALSE(c) WEFT_GTEST_NONFATAL_(WEFT_GTEST_TRUE_(!(c), "EXPECT_FALSE(" #c ")"))
#define EXPECT_EQ(a, b) WEFT_GTEST_NONFATAL_(WEFT_GTEST_CMP_(eq, a, b, "EXPECT_EQ(" #a ", " #b ")"))
#define EXPECT_NE(a, b) WEFT_GTEST_NONFATAL_(WEFT_GTEST_CMP_(ne, a, b, "EXPECT_NE(" #a ", " #b ")"))
#define EXPECT_LT(a, b) WEFT_GTEST_NONFATAL_(WEFT_GTEST_CMP_(lt, a, b, "EXPECT_LT(" #a ", " #b ")"))
#define EXPECT_LE(a, b) WEFT_GTEST_NONFATAL_(WEFT_GTEST_CMP_(le, a, b, "EXPECT_LE(" #a ", " #b ")"))
#define EXPECT_GT(a, b) WEFT_GTEST_NONFATAL_(WEFT_GTEST_CMP_(gt, a, b, "EXPECT_GT(" #a ", " #b ")"))
#define EXPECT_GE(a, b) WEFT_GTEST_NONFATAL_(WEFT_GTEST_CMP_(ge, a, b, "EXPECT_GE(" #a ", " #b ")"))
#define EXPECT_STREQ(a, b) WEFT_GTEST_NONFATAL_(WEFT_GTEST_STREQ_(a, b, "EXPECT_STREQ(" #a ", " #b ")"))
#define EXPECT_NEAR(a, b, tol) \
  WEFT_GTEST_NONFATAL_(WEFT_GTEST_NEAR_(a, b, tol, "EXPECT_NEAR(" #a ", " #b ", " #tol ")"))

#define ASSERT_TRUE(c) WEFT_GTEST_FATAL_(WEFT_GTEST_TRUE_(c, "ASSERT_TRUE(" #c ")"))
#define ASSERT_FALSE(c) WEFT_GTEST_FATAL_(WEFT_GTEST_TRUE_(!(c), "ASSERT_FALSE(" #c ")"))
#define ASSERT_EQ(a, b) WEFT_GTEST_FATAL_(WEFT_GTEST_CMP_(eq, a, b, "ASSERT_EQ(" #a ", " #b ")"))
#define ASSERT_NE(a, b) WEFT_GTEST_FATAL_(WEFT_GTEST_CMP_(ne, a, b, "ASSERT_NE(" #a ", " #b ")"))
#define ASSERT_LT(a, b) WEFT_GTEST_FATAL_(WEFT_GTEST_CMP_(lt, a, b, "ASSERT_LT(" #a ", " #b ")"))
#define ASSERT_LE(a, b) WEFT_GTEST_FATAL_(WEFT_GTEST_CMP_(le, a, b, "ASSERT_LE(" #a ", " #b ")"))
#define ASSERT_GT(a, b) WEFT_GTEST_FATAL_(WEFT_GTEST_CMP_(gt, a, b, "ASSERT_GT(" #a ", " #b ")"))
#define ASSERT_GE(a, b) WEFT_GTEST_FATAL_(WEFT_GTEST_CMP_(ge, a, b, "ASSERT_GE(" #a ", " #b ")"))
#define ASSERT_STREQ(a, b) WEFT_GTEST_FATAL_(WEFT_GTEST_STREQ_(a, b, "ASSERT_STREQ(" #a ", " #b ")"))

#define SUCCEED() static_cast<void>(0)
