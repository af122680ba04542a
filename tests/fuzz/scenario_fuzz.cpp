// libFuzzer target for the simulator's scenario parser (board/linux/sim/scenario.cpp).
// Invariants: a refused text has an error naming the file and line ("fuzz:N: ..."); an accepted one has
// steps sorted by time, each from a line of the text with a valid pin and range, and an end time no earlier
// than its last step.
#include <cstdint>
#include <string>
#include <string_view>

#include "cloud_files_common.hpp"
#include "scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  weft::Result<weft::sim::Scenario> s = weft::sim::Scenario::parse(text, "fuzz", error);
  if (!s) {
    CHECK(error.rfind("fuzz:", 0) == 0);
    return 0;
  }
  weft::Micros last = 0;
  int lines = 1;
  for (char c : text)
    lines += c == '\n' ? 1 : 0;
  for (const weft::sim::Step& step : s->steps()) {
    CHECK(step.at >= last);
    last = step.at;
    CHECK(step.line >= 1 && step.line <= lines);
    CHECK(step.gpio >= -1 && step.gpio <= 16);
    CHECK(step.low <= step.high);
    CHECK(step.duration >= 0);
  }
  CHECK(s->end_time() >= last);
  return 0;
}
