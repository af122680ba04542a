#include "sample_tasks.hpp"

#include "core/periodic.hpp"
#include "core/sleep.hpp"

namespace weft::bench {

Task<> yielder(SwitchCounter& c) {
  ++c.live;
  while (!c.finished) {
    co_await yield();
    c.tick();
  }
  if (--c.live == 0) Loop::current().stop();
}

Task<> ticker(LatenessLog& log, Micros first_due, std::int64_t boot_ns) {
  Periodic tick(ms(1), CatchUp::skip, first_due);
  std::uint32_t skipped = 0;
  for (;;) {
    Status s = co_await tick.next();  // not inside the if: GCC 12 miscompiles co_await in a condition
    if (!s) co_return;
    log.record(boot_ns + tick.due() * 1000);
    log.skipped += tick.missed() - skipped;
    skipped = tick.missed();
  }
}

Task<> blink(int& level) {
  for (;;) {
    level = 1;
    co_await sleep_ms(1000);
    level = 0;
    co_await sleep_ms(1000);
  }
}

Task<int> child_answer() {
  co_await sleep_ms(10);
  co_return 42;
}

Task<> parent_of_child(int& out) {
  Result<int> r = co_await child_answer();
  out = r.value_or(-1);
}

}  // namespace weft::bench
