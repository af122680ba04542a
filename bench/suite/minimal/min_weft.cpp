// The smallest useful weft app (the suite's "size of a minimal app"): one task toggling an LED every 500 ms,
// four times, on the board's default loop.
#include "core/loop.hpp"
#include "core/periodic.hpp"

volatile int g_led = 0;

weft::Task<> blink() {
  weft::Periodic tick(weft::ms(500));
  for (int i = 0; i < 4; ++i) {
    weft::Status s = co_await tick.next();
    if (!s) co_return;
    g_led = !g_led;
  }
}

int main() {
  weft::Loop loop;
  weft::Status s = loop.run_until_complete(blink());
  return s ? 0 : 1;
}
