// Not a test itself: the deep-sleeping program that runner_test.cpp drives through weft-sim and asserts on
// (EXPECT_* there: boots, reset causes, RTC memory).
// A program for the runner tests: counts its boots in RTC memory and deep-sleeps between them (seed 003's
// shape: work, then machine.deepsleep()). After `boots` boots it stays awake.
//   deep_sleep_app [sleep_ms=10000] [boots=3]
#include <array>
#include <cstdlib>

#include "core/weft.hpp"
#include "machine/machine.hpp"

namespace {

weft::Task<> run(long sleep_ms, int boots) {
  std::array<std::uint8_t, 1> counter{0};
  weft::machine::rtc_memory_read(counter);
  ++counter[0];
  WEFT_LOG_INFO("boot %d reset_cause %s counter %d", counter[0],
                weft::machine::to_string(weft::machine::reset_cause()), counter[0]);
  (void)weft::machine::rtc_memory_write(counter);
  co_await weft::sleep_ms(100);  // the work of this boot
  if (counter[0] >= boots) {
    co_await weft::sleep_ms(24L * 3600 * 1000);
    co_return;
  }
  co_await weft::machine::deep_sleep(weft::ms(sleep_ms));
}

}  // namespace

int main(int argc, char** argv) {
  long sleep_ms = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 10000;
  int boots = argc > 2 ? std::atoi(argv[2]) : 3;
  weft::Loop loop;
  weft::Status s = loop.run_until_complete(run(sleep_ms, boots));
  return s.ok() ? 0 : 1;
}
