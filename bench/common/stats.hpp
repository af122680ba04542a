// Medians and quantiles of the benchmarks' samples (nth_element: O(n), the sample reordered).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace weft::bench {

// The median of `v` (the upper one of an even count); T{} for an empty sample.
template <typename T>
T median(std::vector<T> v) {
  if (v.empty()) return T{};
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// The q-quantile (0..1) of `v` (reordered in place); 0 for an empty sample.
inline std::int64_t quantile(std::vector<std::int64_t>& v, double q) {
  if (v.empty()) return 0;
  auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  auto it = v.begin() + static_cast<std::ptrdiff_t>(i);
  std::nth_element(v.begin(), it, v.end());
  return *it;
}

}  // namespace weft::bench
