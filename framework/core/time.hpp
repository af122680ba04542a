// One time type for all of weft: signed 64-bit microseconds.
// An instant is microseconds since the board's boot (the port's monotonic clock); a duration is a difference of
// instants. 2^63 us is ~292,000 years, so arithmetic on real deadlines never overflows; user-supplied durations
// are range-checked where they enter (sleep, timers) instead of wrapping silently.
#pragma once
#include <cstdint>

namespace weft {

using Micros = std::int64_t;

// A deadline that never comes: "wait for events only".
inline constexpr Micros kForever = INT64_MAX;

// Durations accepted by sleeps and timers: up to ~100 years; anything larger is a caller bug.
inline constexpr Micros kMaxDuration = Micros{100} * 365 * 24 * 3600 * 1000 * 1000;

[[nodiscard]] constexpr Micros us(std::int64_t n) {
  return n;
}
[[nodiscard]] constexpr Micros ms(std::int64_t n) {
  return n * 1000;
}
[[nodiscard]] constexpr Micros sec(std::int64_t n) {
  return n * 1000 * 1000;
}

// Converts a millisecond count to Micros; false when negative or beyond kMaxDuration.
[[nodiscard]] constexpr bool ms_to_micros(std::int64_t ms_count, Micros& out) {
  if (ms_count < 0 || ms_count > kMaxDuration / 1000) return false;
  out = ms_count * 1000;
  return true;
}

// now + d without overflow: saturates at kForever.
[[nodiscard]] constexpr Micros deadline_after(Micros now, Micros d) {
  return d >= kForever - now ? kForever : now + d;
}

}  // namespace weft
