// IoResult: what a read or write did. `count` bytes were moved whatever the outcome, so an operation that
// fails, times out or is cancelled half-way never loses data: the bytes it already read are in the caller's
// buffer, and the bytes it already wrote were sent.
//
//   weft::IoResult r = co_await weft::wait_for(stream.read_exactly(header), weft::ms(500));
//   if (!r) { /* r.error: timed_out, closed, reset, ...; header[0 .. r.count) is valid */ }
#pragma once
#include <cstddef>

#include "core/errc.hpp"

namespace weft {

struct [[nodiscard]] IoResult {
  std::size_t count = 0;  // bytes moved, valid whatever `error` is
  Errc error = Errc::ok;

  [[nodiscard]] bool ok() const { return error == Errc::ok; }
  explicit operator bool() const { return ok(); }
};

}  // namespace weft
