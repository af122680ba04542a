// blynk_config(): the session Config of a demo app from its AppConfig (app_config.hpp): server, token and the
// timing the environment overrides; everything else keeps the session's defaults.
#pragma once
#include "app_config.hpp"
#include "blynk/config.hpp"

inline weft::blynk::Config blynk_config(const AppConfig& cfg) {
  weft::blynk::Config c{.token = cfg.token, .host = cfg.host(), .port = cfg.port};
  if (cfg.heartbeat_s != 0) c.heartbeat = weft::sec(cfg.heartbeat_s);
  if (cfg.retry_max_s != 0) c.retry_max = weft::sec(cfg.retry_max_s);
  return c;
}
