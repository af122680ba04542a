// stop_on_auth_failure(blynk): for the demo apps. When the server rejects the token, the session logs why
// and waits for a new one forever; a demo has no way to get one, so this ends the program with a clear
// message and exit code 3 instead of leaving a silent process behind (on the chip: a FATAL line and a
// restart, as exit() does there). Call it once, after creating the session.
#pragma once
#include <cstdlib>

#include "blynk/session.hpp"
#include "blynk/token_text.hpp"
#include "core/log.hpp"

inline constexpr int kExitInvalidToken = 3;

inline void stop_on_auth_failure(weft::blynk::Session& blynk) {
  blynk.on_auth_failed([&blynk] {
    WEFT_LOG_ERROR(
        "app: the Blynk server rejected the token %s (INVALID_TOKEN): stopping. Put the device's "
        "token in the app's config section or in WEFT_BLYNK_TOKEN.",
        weft::blynk::token_text(blynk.config().token).c_str());
    std::exit(kExitInvalidToken);  // leaves the loop's tasks and the session as they are: nothing runs after
  });
}
