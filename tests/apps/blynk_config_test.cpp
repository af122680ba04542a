// The demo apps' Blynk settings from the environment (apps/common/blynk_config.hpp): the timing overrides the
// hostile-peer tests use, and a clear error that keeps the default for a malformed value.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "../apps/common/blynk_config.hpp"

namespace {

struct Env {
  Env(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~Env() { unsetenv(name_); }
  const char* name_;
};

TEST(BlynkConfig, TakesTheHeartbeatAndTheLongestRetryWaitFromTheEnvironment) {
  Env h("WEFT_BLYNK_HEARTBEAT", "3");
  Env r("WEFT_BLYNK_RETRY_MAX", "8");
  const AppConfig cfg = app_config("YourAuthTokenFromTheBlynkApp0000", "127.0.0.1:8080");
  EXPECT_EQ(cfg.error, nullptr);
  const weft::blynk::Config c = blynk_config(cfg);
  EXPECT_EQ(c.heartbeat, weft::sec(3));
  EXPECT_EQ(c.retry_max, weft::sec(8));
  EXPECT_EQ(c.port, 8080);
}

TEST(BlynkConfig, KeepsTheDefaultsAndSaysWhyForAMalformedHeartbeat) {
  for (const char* bad : {"0", "3s", "-3", "3601", "x"}) {
    Env h("WEFT_BLYNK_HEARTBEAT", bad);
    const AppConfig cfg = app_config("YourAuthTokenFromTheBlynkApp0000", "127.0.0.1:8080");
    ASSERT_NE(cfg.error, nullptr) << bad;
    EXPECT_EQ(std::string(cfg.error), "WEFT_BLYNK_HEARTBEAT must be seconds, 1..3600: using the default");
    EXPECT_EQ(blynk_config(cfg).heartbeat, weft::blynk::Config{}.heartbeat) << bad;
  }
}

TEST(BlynkConfig, KeepsTheDefaultRetryWaitForAMalformedValue) {
  Env r("WEFT_BLYNK_RETRY_MAX", "1");
  const AppConfig cfg = app_config("YourAuthTokenFromTheBlynkApp0000", "127.0.0.1:8080");
  ASSERT_NE(cfg.error, nullptr);
  EXPECT_EQ(blynk_config(cfg).retry_max, weft::blynk::Config{}.retry_max);
}

}  // namespace
