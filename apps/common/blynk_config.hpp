// blynk_config(cfg): the Blynk session's Config from the demo apps' settings (app_config.hpp): token,
// server, login kind; everything else keeps the session's defaults. The Config views `cfg`: keep it alive.
#pragma once
#include "app_config.hpp"
#include "blynk/config.hpp"

inline weft::blynk::Config blynk_config(const AppConfig& cfg) {
  return {.token = cfg.token,
          .host = cfg.host(),
          .port = cfg.port,
          .login = cfg.legacy_login ? weft::blynk::Login::legacy : weft::blynk::Login::hw_login};
}
