// The minimal app with Boost.Asio: one coroutine toggling every 500 ms on a steady_timer, four times.
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>: it comes first.
#include <utility>

#include <boost/asio.hpp>

volatile int g_led = 0;

boost::asio::awaitable<void> blink() {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  auto due = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i) {
    due += std::chrono::milliseconds(500);
    timer.expires_at(due);
    co_await timer.async_wait(boost::asio::use_awaitable);
    g_led = !g_led;
  }
}

int main() {
  boost::asio::io_context io(1);
  boost::asio::co_spawn(io, blink(), boost::asio::detached);
  io.run();
  return 0;
}
