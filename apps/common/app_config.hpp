// AppConfig: the Wi-Fi network a demo app joins and where its Blynk session connects.
//
//   WEFT_WIFI_SSID           the Wi-Fi network (none: the app uses the network as it is, as on Linux)
//   WEFT_WIFI_PASSWORD       its password ("" for an open network)
//   WEFT_BLYNK_TOKEN         the device's auth token (32 characters)
//   WEFT_BLYNK_SERVER        host:port (e.g. 127.0.0.1:8080, blynk.cloud:80)
//   WEFT_BLYNK_BRIDGE_TOKEN  the token of the device a bridge writes to (apps with a bridge)
//   WEFT_BLYNK_HEARTBEAT     seconds of silence before a ping (1..3600; a dead link is noticed after this
//                            + 6 s); tests shorten it to see lost links sooner
//   WEFT_BLYNK_RETRY_MAX     the longest wait between reconnection attempts, in seconds (2..3600)
//   WEFT_BLYNK_LOGIN         hw (HW_LOGIN, the default: Blynk IoT, current servers) or legacy (LOGIN: old
//                            local servers, what lib-python sends)
//   WEFT_BLYNK_TLS           1: the session over TLS, verified (app_transport.hpp; firmware: the app's pinned CA)
//
// Credentials never live in the source. Each setting comes from, last one winning:
//   1. the app's config section (placeholders: a token of zeros, the local cloud's address);
//   2. build time: apps/common/credentials.hpp, which you copy from credentials.example.hpp (git ignores it),
//      or the same names as CMake options / environment variables when configuring (cmake -DWEFT_WIFI_SSID=...;
//      ./weft firmware passes the environment's), which become macros of the same names;
//   3. run time (Linux, the simulation): the environment variables of the same names.
//
//   const AppConfig cfg = app_config(kToken, kServer);      // kServer: "host:port"
//   weft::blynk::Blynk blynk(blynk_config(cfg));             // blynk_config.hpp
//
// Framework-agnostic (only the C library): on a board without an environment (the chip) getenv() finds
// nothing and the defaults hold. A malformed server is reported in `error` and the default is kept.
// token and bridge_token view the environment or the defaults; host() views the AppConfig: keep it alive
// (a local in main) while the session uses it.
#pragma once
#if __has_include("credentials.hpp")
#include "credentials.hpp"
#endif
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

struct AppConfig {
  std::string_view wifi_ssid;  // "" when no network is configured
  std::string_view wifi_password;
  std::string_view token;
  std::uint16_t port = 0;
  std::string_view bridge_token;  // "" when not configured
  unsigned heartbeat_s = 0;       // 0: the session's default
  unsigned retry_max_s = 0;       // 0: the session's default
  bool legacy_login = false;      // WEFT_BLYNK_LOGIN=legacy
  const char* error = nullptr;    // a message when a setting was malformed (the default is kept)
  char host_storage[128] = {};    // the host, NUL-terminated (copied: the AppConfig is returned by value)

  [[nodiscard]] std::string_view host() const { return host_storage; }
};

// "host:port" -> host_storage / port. False when it is not that.
inline bool app_config_set_server(AppConfig& c, std::string_view server) {
  const std::size_t colon = server.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon >= sizeof c.host_storage) return false;
  unsigned long port = 0;
  const std::string_view digits = server.substr(colon + 1);
  if (digits.empty() || digits.size() > 5) return false;
  for (char d : digits) {
    if (d < '0' || d > '9') return false;
    port = port * 10 + static_cast<unsigned long>(d - '0');
  }
  if (port == 0 || port > 65535) return false;
  std::memcpy(c.host_storage, server.data(), colon);
  c.host_storage[colon] = '\0';
  c.port = static_cast<std::uint16_t>(port);
  return true;
}

// "N" with lo <= N <= hi -> out. False when it is not that.
inline bool app_config_seconds(const char* text, unsigned lo, unsigned hi, unsigned& out) {
  char* end = nullptr;
  const unsigned long n = std::strtoul(text, &end, 10);
  if (*text < '0' || *text > '9' || *end != '\0' || n < lo || n > hi) return false;
  out = static_cast<unsigned>(n);
  return true;
}

inline AppConfig app_config(std::string_view default_token, std::string_view default_server,
                            std::string_view default_bridge_token = {}) {
#ifdef WEFT_BLYNK_TOKEN
  default_token = WEFT_BLYNK_TOKEN;
#endif
#ifdef WEFT_BLYNK_SERVER
  default_server = WEFT_BLYNK_SERVER;
#endif
#ifdef WEFT_BLYNK_BRIDGE_TOKEN
  default_bridge_token = WEFT_BLYNK_BRIDGE_TOKEN;
#endif
  AppConfig c;
#ifdef WEFT_WIFI_SSID
  c.wifi_ssid = WEFT_WIFI_SSID;
#endif
#ifdef WEFT_WIFI_PASSWORD
  c.wifi_password = WEFT_WIFI_PASSWORD;
#endif
  const auto env = [](const char* name) -> const char* {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : nullptr;
  };
  if (env("WEFT_WIFI_SSID") != nullptr) c.wifi_ssid = env("WEFT_WIFI_SSID");
  if (env("WEFT_WIFI_PASSWORD") != nullptr) c.wifi_password = env("WEFT_WIFI_PASSWORD");
  c.token = env("WEFT_BLYNK_TOKEN") != nullptr ? std::string_view(env("WEFT_BLYNK_TOKEN")) : default_token;
  c.bridge_token = env("WEFT_BLYNK_BRIDGE_TOKEN") != nullptr
                       ? std::string_view(env("WEFT_BLYNK_BRIDGE_TOKEN"))
                       : default_bridge_token;
  std::string_view login = "hw";
#ifdef WEFT_BLYNK_LOGIN
  login = WEFT_BLYNK_LOGIN;
#endif
  if (env("WEFT_BLYNK_LOGIN") != nullptr) login = env("WEFT_BLYNK_LOGIN");
  if (login == "legacy") {
    c.legacy_login = true;
  } else if (login != "hw") {
    c.error = "WEFT_BLYNK_LOGIN must be hw or legacy: using hw (HW_LOGIN)";
  }
  const char* server = env("WEFT_BLYNK_SERVER");
  if (server != nullptr && !app_config_set_server(c, server)) {
    c.error = "WEFT_BLYNK_SERVER must be host:port (e.g. 127.0.0.1:8080): using the app's default server";
    server = nullptr;
  }
  if (const char* h = env("WEFT_BLYNK_HEARTBEAT");
      h != nullptr && !app_config_seconds(h, 1, 3600, c.heartbeat_s))
    c.error = "WEFT_BLYNK_HEARTBEAT must be seconds, 1..3600: using the default";
  if (const char* r = env("WEFT_BLYNK_RETRY_MAX");
      r != nullptr && !app_config_seconds(r, 2, 3600, c.retry_max_s))
    c.error = "WEFT_BLYNK_RETRY_MAX must be seconds, 2..3600: using the default";
  if (server == nullptr && !app_config_set_server(c, default_server))
    c.error = "the app's default server is not host:port";
  return c;
}
