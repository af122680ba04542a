// Lcd: the LCD widget in advanced mode (16 x 2 characters) on one virtual pin.
//
//   weft::blynk::Lcd lcd(blynk, 7);
//   lcd.clear();
//   lcd.print(0, 0, "Temperature");
//   lcd.print(0, 1, 21.5);                        // numbers print as the session formats them
//
// Wire: clear = `vw\0pin\0clr`, print = `vw\0pin\0p\0x\0y\0text`. Prints and clears are never coalesced
// (their order is the picture) and go through the outbox like every message: errors are the session's, plus
// invalid_argument for x outside 0..15 or y outside 0..1. A small value (a reference and a pin).
#pragma once
#include <string_view>

#include "body.hpp"
#include "core/log.hpp"
#include "session.hpp"

namespace weft::blynk {

class Lcd {
 public:
  Lcd(Session& session, int pin) : session_(&session), pin_(pin) {}

  Status print(int x, int y, std::string_view text) { return session_->lcd_print(pin_, x, y, text); }
  template <field_value V>
  requires(!text_like<V>) Status print(int x, int y, const V& value) {
    const Value v(value);
    if (!v.ok()) {
      WEFT_LOG_ERROR("Blynk: Lcd(V%d).print: the value is NaN, infinite or beyond 1e18", pin_);
      return v.error();
    }
    return session_->lcd_print(pin_, x, y, v.text());
  }
  Status clear() { return session_->lcd_clear(pin_); }
  [[nodiscard]] int pin() const { return pin_; }

 private:
  Session* session_;
  int pin_;
};

}  // namespace weft::blynk
