// The minimal app as an Arduino-style polling loop ("blink without delay"): toggle every 500 ms, four times.
#include <time.h>

#include <cstdint>

volatile int g_led = 0;

static std::uint64_t millis() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000 + static_cast<std::uint64_t>(ts.tv_nsec) / 1'000'000;
}

int main() {
  std::uint64_t previous = millis();
  for (int toggles = 0; toggles < 4;) {  // loop()
    if (millis() - previous >= 500) {
      previous += 500;
      g_led = !g_led;
      ++toggles;
    }
  }
  return 0;
}
