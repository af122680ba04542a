// join_wifi(wlan, cfg): for the Blynk demo apps. On the chip nothing reaches the network until the station
// has joined one; on Linux the network is just there. With a network configured (cfg.wifi_ssid, see
// app_config.hpp) this starts joining it and keeps it joined (auto-reconnect with backoff) while the app
// runs; the Blynk session retries its connection meanwhile. Without one it logs that it uses the network as
// it is. Returns at once; the Wlan must live as long as the app.
#pragma once
#include <string_view>

#include "app_config.hpp"
#include "core/log.hpp"
#include "net/wlan.hpp"

inline void join_wifi(weft::net::Wlan& wlan, const AppConfig& cfg) {
  if (cfg.wifi_ssid.empty()) {
    WEFT_LOG_INFO("app: no Wi-Fi network configured (WEFT_WIFI_SSID): using the network as it is");
    return;
  }
  wlan.active(true);
  wlan.auto_reconnect(weft::net::Backoff{});
  if (weft::Status s = wlan.begin_connect(cfg.wifi_ssid, cfg.wifi_password); !s) return;  // logged
  WEFT_LOG_INFO("app: joining Wi-Fi network \"%.*s\"", static_cast<int>(cfg.wifi_ssid.size()),
                cfg.wifi_ssid.data());
}

// The Blynk demo apps' start: their settings (app_config.hpp; a malformed one is logged and its default kept)
// and the Wi-Fi network joined (join_wifi). The returned AppConfig is what host() views: keep it in main.
inline AppConfig start_app(std::string_view default_token, std::string_view default_server,
                           weft::net::Wlan& wlan) {
  const AppConfig cfg = app_config(default_token, default_server);
  if (cfg.error != nullptr) WEFT_LOG_WARN("app: %s", cfg.error);
  join_wifi(wlan, cfg);
  return cfg;
}
