// libFuzzer target for the cloud's state file (Store::load_text, board/linux/cloud/store.hpp).
// Invariants: a refused file has an error naming the file and line; an accepted one leaves the store clean
// (nothing to save), with valid device tokens and properties within their bounds.
#include <cstdint>
#include <string>
#include <string_view>

#include "blynk/protocol.hpp"
#include "cloud_files_common.hpp"
#include "store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using weft::cloud::Store;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Store store;
  std::string error;
  if (!store.load_text(text, "fuzz", error)) {
    CHECK(error.rfind("fuzz:", 0) == 0);
    return 0;
  }
  CHECK(!store.dirty());
  for (const auto& d : store.devices()) {
    CHECK(weft::blynk::check_token(d->token()) == weft::blynk::TokenProblem::none);
    std::size_t properties = 0;
    for (const auto& [pin, props] : d->properties) {
      properties += props.size();
      for (const auto& [name, value] : props)
        CHECK(name.size() <= Store::kMaxPropertyName);
    }
    CHECK(properties <= Store::kMaxPropertiesPerDevice);
  }
  return 0;
}
