// IpAddress and Endpoint: where a socket connects or listens. IPv4 and IPv6, plain values (no heap), with
// text parsing and formatting in standard notation. Portable: no OS types.
//
//   weft::Endpoint server = weft::Endpoint::v4(127, 0, 0, 1, 8080);
//   weft::Result<weft::Endpoint> e = weft::Endpoint::parse("[::1]:8080");    // or "10.0.0.7:80"
//   char text[weft::Endpoint::kMaxText]; e->format(text);                    // "[::1]:8080"
//
// Bad text is Errc::invalid_argument (parse never logs: the caller knows what it was parsing).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"

namespace weft {

enum class IpFamily : std::uint8_t { v4, v6 };

class IpAddress {
 public:
  static constexpr std::size_t kMaxText = 46;  // INET6_ADDRSTRLEN, with the NUL

  constexpr IpAddress() = default;  // 0.0.0.0
  [[nodiscard]] static constexpr IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                                              std::uint8_t d) {
    IpAddress r;
    r.bytes_ = {a, b, c, d};
    return r;
  }
  [[nodiscard]] static constexpr IpAddress v6(const std::array<std::uint8_t, 16>& bytes) {
    IpAddress r;
    r.family_ = IpFamily::v6;
    r.bytes_ = bytes;
    return r;
  }
  [[nodiscard]] static constexpr IpAddress loopback_v4() { return v4(127, 0, 0, 1); }
  [[nodiscard]] static constexpr IpAddress loopback_v6() {
    return v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  }
  [[nodiscard]] static constexpr IpAddress any_v4() { return {}; }

  // Dotted quad ("192.168.4.1") or IPv6 ("fe80::1", "::ffff:10.0.0.1"). No zone ids, no host names.
  [[nodiscard]] static Result<IpAddress> parse(std::string_view text);

  [[nodiscard]] constexpr IpFamily family() const { return family_; }
  [[nodiscard]] constexpr bool is_v4() const { return family_ == IpFamily::v4; }
  // Network byte order: 4 bytes for IPv4, 16 for IPv6.
  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return {bytes_.data(), is_v4() ? 4u : 16u}; }

  // Writes the text form and a NUL into `out` (RFC 5952 for IPv6: lower case, longest zero run as "::").
  // Returns the length without the NUL; Errc::too_large if `out` is shorter than the text plus NUL.
  Result<std::size_t> format(std::span<char> out) const;

  friend constexpr bool operator==(const IpAddress& a, const IpAddress& b) {
    return a.family_ == b.family_ && a.bytes_ == b.bytes_;
  }

 private:
  IpFamily family_ = IpFamily::v4;
  std::array<std::uint8_t, 16> bytes_{};  // IPv4 uses the first 4
};

struct Endpoint {
  static constexpr std::size_t kMaxText = IpAddress::kMaxText + 8;  // "[" addr "]:" port

  IpAddress address;
  std::uint16_t port = 0;

  [[nodiscard]] static constexpr Endpoint v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                                             std::uint16_t port) {
    return Endpoint{IpAddress::v4(a, b, c, d), port};
  }
  // "a.b.c.d:port" or "[v6]:port". The port is required (0 = any, for listeners).
  [[nodiscard]] static Result<Endpoint> parse(std::string_view text);
  // "a.b.c.d:port" or "[v6]:port" and a NUL. Errc::too_large if `out` is too short.
  Result<std::size_t> format(std::span<char> out) const;

  friend constexpr bool operator==(const Endpoint& a, const Endpoint& b) {
    return a.address == b.address && a.port == b.port;
  }
};

}  // namespace weft
