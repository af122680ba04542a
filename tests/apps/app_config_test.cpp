// The demo apps' settings (apps/common/app_config.hpp): defaults, the environment over them, clear errors
// for malformed values with the default kept.
#include <gtest/gtest.h>

#include <cstdlib>

#include "../apps/common/app_config.hpp"

namespace {

constexpr char kToken[] = "YourAuthTokenFromTheBlynkApp0000";

class AppConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { clear(); }
  void TearDown() override { clear(); }
  static void clear() {
    for (const char* v : {"WEFT_WIFI_SSID", "WEFT_WIFI_PASSWORD", "WEFT_BLYNK_TOKEN", "WEFT_BLYNK_SERVER",
                          "WEFT_BLYNK_BRIDGE_TOKEN", "WEFT_BLYNK_LOGIN"})
      unsetenv(v);
  }
};

TEST_F(AppConfigTest, UsesTheAppsDefaultsWithoutAnEnvironment) {
  const AppConfig c = app_config(kToken, "127.0.0.1:8080");
  EXPECT_EQ(c.token, kToken);
  EXPECT_EQ(c.host(), "127.0.0.1");
  EXPECT_EQ(c.port, 8080);
  EXPECT_TRUE(c.wifi_ssid.empty());
  EXPECT_FALSE(c.legacy_login);
  EXPECT_EQ(c.error, nullptr);
}

TEST_F(AppConfigTest, TakesEverySettingFromTheEnvironmentOverTheDefaults) {
  setenv("WEFT_WIFI_SSID", "HomeAP", 1);
  setenv("WEFT_WIFI_PASSWORD", "password123", 1);
  setenv("WEFT_BLYNK_TOKEN", "abcdefghijklmnopqrstuvwxyz012345", 1);
  setenv("WEFT_BLYNK_SERVER", "blynk.cloud:80", 1);
  setenv("WEFT_BLYNK_LOGIN", "legacy", 1);
  const AppConfig c = app_config(kToken, "127.0.0.1:8080");
  EXPECT_EQ(c.wifi_ssid, "HomeAP");
  EXPECT_EQ(c.wifi_password, "password123");
  EXPECT_EQ(c.token, "abcdefghijklmnopqrstuvwxyz012345");
  EXPECT_EQ(c.host(), "blynk.cloud");
  EXPECT_EQ(c.port, 80);
  EXPECT_TRUE(c.legacy_login);
  EXPECT_EQ(c.error, nullptr);
}

TEST_F(AppConfigTest, KeepsHwLoginAndSaysWhyForAnUnknownLoginKind) {
  setenv("WEFT_BLYNK_LOGIN", "LOGIN", 1);
  const AppConfig c = app_config(kToken, "127.0.0.1:8080");
  EXPECT_FALSE(c.legacy_login);
  ASSERT_NE(c.error, nullptr);
  EXPECT_NE(std::string(c.error).find("hw or legacy"), std::string::npos);
}

TEST_F(AppConfigTest, KeepsTheDefaultServerAndSaysWhyForAMalformedOne) {
  setenv("WEFT_BLYNK_SERVER", "blynk.cloud", 1);  // no port
  const AppConfig c = app_config(kToken, "127.0.0.1:8080");
  EXPECT_EQ(c.host(), "127.0.0.1");
  EXPECT_EQ(c.port, 8080);
  ASSERT_NE(c.error, nullptr);
  EXPECT_NE(std::string(c.error).find("host:port"), std::string::npos);
}

}  // namespace
