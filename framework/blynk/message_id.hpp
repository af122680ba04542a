// MessageIdGenerator: the ids a device puts on the frames it originates.
//
// Ids run 1, 2, ..., 65535, 1, ... : never 0 (a server drops a connection that sends id 0). reset() starts
// over at 1 for a new connection, so the LOGIN that opens it gets id 1 as the protocol expects. Answers to a
// server request (RESPONSE to a PING, `vw` to a `vr`) reuse the request's id and do not come from here.
//
// O(1), no allocation, constexpr.
#pragma once
#include <cstdint>

namespace weft::blynk {

class MessageIdGenerator {
 public:
  // The next id: 1 after construction or reset(), then counting up; 65535 wraps to 1.
  [[nodiscard]] constexpr std::uint16_t next() {
    last_ = last_ == 65535 ? std::uint16_t{1} : static_cast<std::uint16_t>(last_ + 1);
    return last_;
  }
  // The id next() returned last, or 0 if it has not been called since construction or reset().
  [[nodiscard]] constexpr std::uint16_t last() const { return last_; }
  // Start over: the following next() returns 1 (call on every new connection).
  constexpr void reset() { last_ = 0; }

 private:
  std::uint16_t last_ = 0;
};

}  // namespace weft::blynk
