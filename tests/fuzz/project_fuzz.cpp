// libFuzzer target for project files (board/linux/cloud/project.hpp), then adding the project to a store.
// Invariants: a refused file has an error naming the file and line ("fuzz:N: ..."); an accepted one has
// devices whose tokens are valid and widgets on valid pins, and a store takes it (or says why not).
#include <cstdint>
#include <string>
#include <string_view>

#include "blynk/protocol.hpp"
#include "cloud_files_common.hpp"
#include "project.hpp"
#include "store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  std::optional<weft::cloud::Project> p = weft::cloud::Project::parse(text, "fuzz", error);
  if (!p) {
    CHECK(error.rfind("fuzz:", 0) == 0);
    return 0;
  }
  weft::cloud::Store store;
  std::string why;
  if (!store.add_project(*p, why)) {
    CHECK(!why.empty());
    return 0;
  }
  for (const auto& d : store.devices())
    CHECK(weft::blynk::check_token(d->token()) == weft::blynk::TokenProblem::none);
  return 0;
}
