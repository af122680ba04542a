// suite_asio: Boost.Asio (Debian libboost-dev, header-only), one thread, io_context(1) (the single-threaded
// concurrency hint), C++20 coroutines (awaitable, co_spawn, use_awaitable).
//   switch    asio-post: N handlers, each re-posting itself (a post chain);
//             asio-co_await: N coroutines `for (;;) { co_await asio::post(ex, use_awaitable); }`
//   timers    N coroutines, each with a steady_timer: expires_at(next absolute deadline), co_await async_wait
//   pingpong  two coroutines on one io_context: async_write then async_read of the message (TCP_NODELAY)
//   memory    heap bytes per coroutine parked in co_await post (frames + queued operation), per pending
//             posted handler
// No hand-off: Boost 1.74 has no channel (experimental::channel arrived in 1.80).
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>: it comes first.
#include <utility>

#include <boost/asio.hpp>

#include "suite_common.hpp"

namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using namespace suite;

struct Poster {
  asio::io_context* io;
  SwitchCounter* c;
  void operator()() const {
    c->tick();
    if (!c->finished) asio::post(*io, *this);
  }
};

awaitable<void> co_yielder(SwitchCounter& c) {
  auto ex = co_await asio::this_coro::executor;
  while (!c.finished) {
    co_await asio::post(ex, use_awaitable);
    c.tick();
  }
}

void asio_switch(const Options& o) {
  for (std::uint32_t n : o.tasks) {
    SwitchCounter c(n, o.switches);
    asio::io_context io(1);
    for (std::uint32_t i = 0; i < n; ++i)
      asio::post(io, Poster{&io, &c});
    io.run();
    emit_switch("asio-post", n, c.ns_per_switch());
  }
  for (std::uint32_t n : o.tasks) {
    SwitchCounter c(n, o.switches);
    asio::io_context io(1);
    for (std::uint32_t i = 0; i < n; ++i)
      asio::co_spawn(io, co_yielder(c), asio::detached);
    io.run();
    emit_switch("asio-co_await", n, c.ns_per_switch());
  }
}

awaitable<void> co_ticker(PeriodicLog& log) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (std::int64_t due = log.first_due(); !log.over(due);) {
    timer.expires_at(asio::steady_timer::time_point(std::chrono::nanoseconds(due)));
    co_await timer.async_wait(use_awaitable);
    due = log.tick(due);
  }
}

void asio_timers(const Options& o) {
  for (std::uint32_t n : o.tasks) {
    asio::io_context io(1);
    PeriodicLog log(o, n);
    for (std::uint32_t i = 0; i < n; ++i)
      asio::co_spawn(io, co_ticker(log), asio::detached);
    io.run();
    emit_lateness("asio", n, o, log);
  }
}

awaitable<void> co_pinger(asio::ip::tcp::socket& s, const Options& o, bool first) {
  std::vector<char> buf(o.size, 'p');
  for (std::uint64_t i = 0; i < o.rounds; ++i) {
    if (first) co_await asio::async_write(s, asio::buffer(buf), use_awaitable);
    co_await asio::async_read(s, asio::buffer(buf), use_awaitable);
    if (!first) co_await asio::async_write(s, asio::buffer(buf), use_awaitable);
  }
}

void asio_pingpong(const Options& o) {
  asio::io_context io(1);
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::socket client(io), server(io);
  client.connect(acceptor.local_endpoint());
  acceptor.accept(server);
  client.set_option(asio::ip::tcp::no_delay(true));
  server.set_option(asio::ip::tcp::no_delay(true));
  asio::co_spawn(io, co_pinger(server, o, false), asio::detached);
  asio::co_spawn(io, co_pinger(client, o, true), asio::detached);
  std::int64_t start = mono_ns();
  io.run();
  emit_pingpong("asio", o.size, static_cast<double>(mono_ns() - start) / static_cast<double>(o.rounds));
}

void asio_memory(std::uint32_t n) {
  SwitchCounter c(n, 1);
  {
    asio::io_context io(1);
    std::size_t before = heap_in_use();
    for (std::uint32_t i = 0; i < n; ++i)
      asio::co_spawn(io, co_yielder(c), asio::detached);
    for (std::uint32_t i = 0; i < n; ++i)
      io.run_one();  // each coroutine runs to its first co_await post
    double per_task = static_cast<double>(heap_in_use() - before) / n;
    c.finished = true;
    io.run();
    emit_memory("asio-co_await", per_task, "coroutine frames + queued post operation (heap)");
  }
  asio::io_context io(1);
  std::size_t before = heap_in_use();
  for (std::uint32_t i = 0; i < n; ++i)
    asio::post(io, Poster{&io, &c});
  double per_task = static_cast<double>(heap_in_use() - before) / n;
  io.run();
  emit_memory("asio-post", per_task, "queued handler operation (heap)");
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  if (o.mode == "switch") {
    asio_switch(o);
  } else if (o.mode == "timers") {
    asio_timers(o);
  } else if (o.mode == "pingpong") {
    asio_pingpong(o);
  } else if (o.mode == "memory") {
    asio_memory(o.tasks.front());
  } else {
    unsupported(argv[0], o.mode);
  }
  return 0;
}
