#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

#include "core/errc.hpp"

namespace weft {
namespace {

TEST(Errc, EveryCodeHasItsOwnMessage) {
  std::set<std::string> seen;
  for (unsigned i = 0; i <= static_cast<unsigned>(Errc::tls_error); ++i) {
    const char* m = to_string(static_cast<Errc>(i));
    ASSERT_NE(m, nullptr);
    EXPECT_GT(std::strlen(m), 1u) << "code " << i;
    EXPECT_STRNE(m, "unknown error") << "code " << i;
    EXPECT_TRUE(seen.insert(m).second) << "code " << i << " repeats \"" << m << "\"";
  }
}

TEST(Errc, MessagesSayWhatWasWrongAndWhatToDo) {
  EXPECT_STREQ(to_string(Errc::ok), "ok");
  EXPECT_STREQ(to_string(Errc::timed_out), "timed out");
  EXPECT_STREQ(
      to_string(Errc::no_memory),
      "out of memory: the frame arena or a pool is full (raise WEFT_FRAME_ARENA_BYTES or the pool size)");
  EXPECT_STREQ(to_string(Errc::protocol_error), "protocol error");
  EXPECT_STREQ(to_string(Errc::tls_error), "TLS error (handshake or record failure)");
}

TEST(Errc, AValueOutsideTheEnumIsAnUnknownError) {
  EXPECT_STREQ(to_string(static_cast<Errc>(static_cast<unsigned>(Errc::tls_error) + 1)), "unknown error");
  EXPECT_STREQ(to_string(static_cast<Errc>(255)), "unknown error");
}

}  // namespace
}  // namespace weft
