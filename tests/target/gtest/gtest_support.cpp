// What the GoogleTest files need on the target beyond gtest.h: EXPECT_NEAR's check, and the parts of
// libstdc++ that live in its library (not linked on this target: lx106.md), not in its headers.
#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace weft::target::gtest {

bool check_near(double a, double b, double tolerance, const char* what, const char* file, int line) {
  double diff = a > b ? a - b : b - a;
  if (diff <= tolerance) return true;
  begin_failure(file, line, what);
  print_str("\n    left:  ");
  print_double(a);
  print_str("\n    right: ");
  print_double(b);
  print_str("\n    differ by ");
  print_double(diff);
  end_failure();
  return false;
}

}  // namespace weft::target::gtest

// <string> declares std::string's members `extern template`: libstdc++.so/.a defines them. Here, once.
template class std::basic_string<char>;

// std::make_shared's control block asks whether a type_info is its tag (std::get_deleter): without RTTI,
// libstdc++ compares it with the tag's address (src/c++11/shared_ptr.cc).
bool std::_Sp_make_shared_tag::_S_eq(const std::type_info& ti) noexcept {
  return std::addressof(ti) == std::addressof(_S_ti());
}
