// LoginThrottle: failed logins per peer address, as a token bucket (burst failures, then refill per second).
// An address over its budget has every login refused unchecked until the bucket refills, so guessing
// tokens runs at `refill` guesses per second at most, whatever the connection rate. Loopback peers share
// one address: a local flood delays local logins for as long as it lasts (devices already online keep
// working). At most max_addresses are tracked; when full, the ones back to a full bucket are forgotten
// (and if none is, all of them: a bounded table matters more than an attacker's spread of addresses).
#pragma once
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/time.hpp"

namespace weft::cloud {

class LoginThrottle {
 public:
  LoginThrottle(double burst, double refill_per_s, std::size_t max_addresses = 4096)
      : burst_(burst), refill_(refill_per_s), max_(max_addresses) {}

  // True when `address` may try a login now.
  [[nodiscard]] bool allowed(std::string_view address, Micros now) {
    auto it = buckets_.find(std::string(address));
    return it == buckets_.end() || level(it->second, now) >= 1.0;
  }
  // A login from `address` failed (unknown or malformed token).
  void failed(std::string_view address, Micros now) {
    if (buckets_.size() >= max_ && buckets_.find(std::string(address)) == buckets_.end()) forget_full(now);
    auto [it, fresh] = buckets_.try_emplace(std::string(address), Bucket{burst_, now});
    it->second.tokens = std::max(0.0, level(it->second, now) - 1.0);
    it->second.at = now;
  }
  [[nodiscard]] std::size_t tracked() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens;
    Micros at;
  };
  [[nodiscard]] double level(const Bucket& b, Micros now) const {
    return std::min(burst_, b.tokens + refill_ * static_cast<double>(now - b.at) / 1e6);
  }
  void forget_full(Micros now) {
    std::erase_if(buckets_, [&](const auto& kv) { return level(kv.second, now) >= burst_; });
    if (buckets_.size() >= max_) buckets_.clear();
  }

  double burst_;
  double refill_;
  std::size_t max_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace weft::cloud
