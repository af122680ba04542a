// Copy this file to apps/common/credentials.hpp (git ignores that name) and fill it in: every app built
// afterwards, for the chip or for Linux, uses these instead of its placeholders (app_config.hpp says how the
// environment and CMake options override them). Delete a line to keep the app's own default.
#pragma once

#define WEFT_WIFI_SSID "your-network"
#define WEFT_WIFI_PASSWORD "your-wifi-password"
#define WEFT_BLYNK_TOKEN "YourAuthTokenFromTheBlynkApp0000"
#define WEFT_BLYNK_SERVER "blynk.cloud:80"
