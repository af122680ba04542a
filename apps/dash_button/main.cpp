// dash_button: seed 003's Wi-Fi button (webhook on wake-up, error LEDs, deep sleep, debug jumper) in weft.
// What one boot does: dash_button.hpp. The configuration: config.hpp.
//
//   dash_button [WEBHOOK_URL]     WEBHOOK_URL replaces config.hpp's (the simulation's local "cloud")
//
// Run it on the simulated board, with a local webhook receiver, through a few presses of the button:
//   apps/dash_button/run_sim.sh            (see that script and dash_button.scenario)
#include <cstdio>

#include "../common/app_config.hpp"
#include "config.hpp"
#include "core/loop.hpp"
#include "dash_button.hpp"

int main(int argc, char** argv) {
  if (argc > 2) {
    std::fprintf(stderr, "usage: dash_button [WEBHOOK_URL]   (default: the one in config.hpp)\n");
    return 2;
  }
  dash_button::Config config = dash_button::kConfig;
  if (argc == 2) config.webhook_url = argv[1];
  const AppConfig credentials = app_config("", "127.0.0.1:8080");  // only its Wi-Fi settings are used here
  if (!credentials.wifi_ssid.empty()) {
    config.wifi_ssid = credentials.wifi_ssid;
    config.wifi_password = credentials.wifi_password;
  }
  weft::Loop loop;
  weft::Status s = loop.run_until_complete(dash_button::run(config));
  return s.ok() ? 0 : 1;
}
