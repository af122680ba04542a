// What the figures were measured on: the CPU model, the load, whether the build was optimised.
#pragma once
#include <string>

namespace weft::bench {

// "model name" of /proc/cpuinfo, or "unknown".
[[nodiscard]] std::string cpu_model();
// The 1-minute load average, or -1 when /proc is unavailable.
[[nodiscard]] double load_average();

// "optimised", or a warning that the figures are meaningless (a Debug or sanitizer build).
[[nodiscard]] constexpr const char* build_kind() {
#ifdef __OPTIMIZE__
  return "optimised";
#else
  return "NOT optimised (figures are meaningless; use the release preset)";
#endif
}

}  // namespace weft::bench
