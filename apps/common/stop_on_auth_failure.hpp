// stop_on_auth_failure(blynk): a task for demo apps. When the server rejects the token, the session logs why
// and waits for a new one forever; a demo has no way to get one, so this ends the program with a clear
// message and exit code 3 instead of leaving a silent process behind (on the chip: halt until reset).
#pragma once
#include <cstdlib>

#include "blynk/session.hpp"
#include "blynk/token_text.hpp"
#include "core/log.hpp"
#include "core/sleep.hpp"

inline constexpr int kExitInvalidToken = 3;

inline weft::Task<> stop_on_auth_failure(const weft::blynk::Session& blynk) {
  while (blynk.state() != weft::blynk::State::auth_failed) {
    co_await weft::sleep_ms(250);  // the session has no event for it; four checks a second cost nothing
  }
  WEFT_LOG_ERROR(
      "app: the Blynk server rejected the token %s (INVALID_TOKEN): stopping. Put the device's "
      "token in the app's config section or in WEFT_BLYNK_TOKEN.",
      weft::blynk::token_text(blynk.config().token).c_str());
  std::exit(kExitInvalidToken);  // leaves the loop's tasks and the session as they are: nothing runs after
}
