// blynk_config(cfg): the Blynk session's Config from the demo apps' settings (app_config.hpp): token,
// server, login kind, and the timing the environment overrides; everything else keeps the session's defaults.
// The Config views `cfg`: keep it alive.
#pragma once
#include "app_config.hpp"
#include "blynk/config.hpp"

inline weft::blynk::Config blynk_config(const AppConfig& cfg) {
  weft::blynk::Config c{
      .token = cfg.token,
      .host = cfg.host(),
      .port = cfg.port,
      .login = cfg.legacy_login ? weft::blynk::Login::legacy : weft::blynk::Login::hw_login};
  if (cfg.heartbeat_s != 0) c.heartbeat = weft::sec(cfg.heartbeat_s);
  if (cfg.retry_max_s != 0) c.retry_max = weft::sec(cfg.retry_max_s);
  return c;
}
