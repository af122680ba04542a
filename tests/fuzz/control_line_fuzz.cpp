// libFuzzer target for the simulator's control-channel requests (board/linux/sim/json_line.hpp: one flat
// JSON object per line). Invariants: a refused line has an error; an accepted one answers get() for any
// key, and the same line parses the same way twice.
#include <cstdint>
#include <string>
#include <string_view>

#include "cloud_files_common.hpp"
#include "json_line.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using weft::sim::JsonObject;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  JsonObject a;
  JsonObject b;
  std::string error_a;
  std::string error_b;
  const bool ok_a = JsonObject::parse(line, a, error_a);
  const bool ok_b = JsonObject::parse(line, b, error_b);
  CHECK(ok_a == ok_b);
  CHECK(error_a == error_b);
  if (!ok_a) {
    CHECK(!error_a.empty());
    return 0;
  }
  for (const char* key : {"op", "pin", "value", "level", ""}) {
    const weft::sim::JsonValue* va = a.get(key);
    const weft::sim::JsonValue* vb = b.get(key);
    CHECK((va == nullptr) == (vb == nullptr));
    if (va != nullptr) CHECK(va->text == vb->text && va->type == vb->type);
  }
  return 0;
}
