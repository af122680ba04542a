// suite_libuv: libuv (Debian libuv1-dev), one uv_loop_t, default settings.
//   switch    libuv-idle: N uv_idle_t, each callback one switch (an idle handle makes every loop iteration
//             poll without blocking); libuv-timer0: N uv_timer_t re-armed with timeout 0 from their callback
//   timers    N uv_timer_t, each re-armed one-shot to its next absolute deadline. libuv timers count whole ms
//             of the loop's cached clock, so the deadlines are whole ms of that clock (drift-free, never
//             early)
//   pingpong  two uv_tcp_t on one loop: uv_write, then uv_read_start callbacks until the message is complete
//   memory    bytes per uv_timer_t handle (the application allocates handles; libuv allocates nothing per
//             handle)
// No hand-off: libuv has no same-thread wait primitive (uv_async_t is for waking the loop from other
// threads).
#include <uv.h>

#include "suite_common.hpp"

namespace {

using namespace suite;

void check(const char* what, int err) {
  if (err >= 0) return;
  std::fprintf(stderr, "suite_libuv: %s: %s\n", what, uv_strerror(err));
  std::exit(1);
}

uv_handle_t* as_handle(void* h) {
  return static_cast<uv_handle_t*>(h);
}

// Closes every handle and the loop.
template <typename H>
void close_all(uv_loop_t& loop, std::vector<H>& handles) {
  for (H& h : handles)
    uv_close(as_handle(&h), nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);
  check("uv_loop_close", uv_loop_close(&loop));
}

void on_switch(uv_loop_t* loop) {
  auto* c = static_cast<SwitchCounter*>(loop->data);
  c->tick();
  if (c->finished) uv_stop(loop);
}

void on_idle(uv_idle_t* h) {
  on_switch(h->loop);
}

// libuv 1.44 runs a timer re-armed with timeout 0 again in the same uv__run_timers pass (uv_stop is only seen
// between passes), so a finished run must stop re-arming.
void on_timer0(uv_timer_t* h) {
  on_switch(h->loop);
  if (!static_cast<SwitchCounter*>(h->loop->data)->finished) uv_timer_start(h, on_timer0, 0, 0);
}

void libuv_switch(const Options& o) {
  for (std::uint32_t n : o.tasks) {
    SwitchCounter c(n, o.switches);
    uv_loop_t loop;
    check("uv_loop_init", uv_loop_init(&loop));
    loop.data = &c;
    std::vector<uv_idle_t> idles(n);
    for (uv_idle_t& h : idles) {
      uv_idle_init(&loop, &h);
      check("uv_idle_start", uv_idle_start(&h, on_idle));
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    close_all(loop, idles);
    emit_switch("libuv-idle", n, c.ns_per_switch());
  }
  for (std::uint32_t n : o.tasks) {
    SwitchCounter c(n, o.switches);
    uv_loop_t loop;
    check("uv_loop_init", uv_loop_init(&loop));
    loop.data = &c;
    std::vector<uv_timer_t> timers(n);
    for (uv_timer_t& h : timers) {
      uv_timer_init(&loop, &h);
      check("uv_timer_start", uv_timer_start(&h, on_timer0, 0, 0));
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    close_all(loop, timers);
    emit_switch("libuv-timer0", n, c.ns_per_switch());
  }
}

struct Ticker {
  uv_timer_t timer;
  std::int64_t due_ms;  // on the loop's clock (uv_now)
};

void on_tick(uv_timer_t* h) {
  auto* t = reinterpret_cast<Ticker*>(h);  // timer is the first member
  auto* log = static_cast<PeriodicLog*>(h->loop->data);
  std::int64_t next_ns = log->tick(t->due_ms * 1'000'000);
  if (log->over(next_ns)) return;
  t->due_ms = next_ns / 1'000'000;
  uv_update_time(h->loop);
  auto now_ms = static_cast<std::int64_t>(uv_now(h->loop));
  uv_timer_start(h, on_tick, static_cast<std::uint64_t>(std::max<std::int64_t>(0, t->due_ms - now_ms)), 0);
}

void libuv_timers(const Options& o) {
  for (std::uint32_t n : o.tasks) {
    uv_loop_t loop;
    check("uv_loop_init", uv_loop_init(&loop));
    PeriodicLog log(o, n);
    loop.data = &log;
    // The loop's clock is CLOCK_MONOTONIC (or its coarse variant) in whole ms: deadlines on whole ms of it.
    uv_update_time(&loop);
    auto first_ms = static_cast<std::int64_t>(uv_now(&loop)) + o.period_ms;
    std::vector<Ticker> tickers(n);
    for (Ticker& t : tickers) {
      t.due_ms = first_ms;
      uv_timer_init(&loop, &t.timer);
      check("uv_timer_start", uv_timer_start(&t.timer, on_tick, static_cast<std::uint64_t>(o.period_ms), 0));
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    for (Ticker& t : tickers)
      uv_close(as_handle(&t.timer), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    check("uv_loop_close", uv_loop_close(&loop));
    emit_lateness("libuv", n, o, log);
  }
}

// One side of the ping-pong: reads a whole message, then answers (the pinger writes first).
struct Peer {
  uv_tcp_t tcp;
  uv_write_t write_req;
  std::vector<char> out, in;
  std::size_t got = 0;
  std::uint64_t rounds_left = 0;
  bool pinger = false;
  bool writing = false;
};

void send_message(Peer& p) {
  if (p.writing) {
    std::fprintf(stderr, "suite_libuv: a write was still pending when the next one began\n");
    std::exit(1);
  }
  p.writing = true;
  uv_buf_t b = uv_buf_init(p.out.data(), static_cast<unsigned>(p.out.size()));
  check("uv_write",
        uv_write(&p.write_req, reinterpret_cast<uv_stream_t*>(&p.tcp), &b, 1, [](uv_write_t* r, int s) {
          check("write", s);
          static_cast<Peer*>(r->data)->writing = false;
        }));
}

void on_read(uv_stream_t* s, ssize_t n, const uv_buf_t*) {
  auto& p = *static_cast<Peer*>(s->data);
  check("read", static_cast<int>(std::min<ssize_t>(n, 0)));
  p.got += static_cast<std::size_t>(n);
  if (p.got < p.out.size()) return;
  p.got = 0;
  if (p.pinger && --p.rounds_left == 0) {
    uv_read_stop(s);
    uv_stop(s->loop);  // the listener would keep the loop running
    return;
  }
  if (!p.pinger && --p.rounds_left == 0) uv_read_stop(s);
  send_message(p);
}

void start_peer(uv_loop_t& loop, Peer& p, const Options& o, bool pinger) {
  p.out.assign(o.size, pinger ? 'p' : 'q');
  p.in.resize(4096);
  p.rounds_left = o.rounds;
  p.pinger = pinger;
  p.tcp.data = &p;
  p.write_req.data = &p;
  check("uv_tcp_nodelay", uv_tcp_nodelay(&p.tcp, 1));
  check("uv_read_start", uv_read_start(
                             reinterpret_cast<uv_stream_t*>(&p.tcp),
                             [](uv_handle_t* h, std::size_t, uv_buf_t* b) {
                               auto& peer = *static_cast<Peer*>(h->data);
                               *b = uv_buf_init(peer.in.data(), static_cast<unsigned>(peer.in.size()));
                             },
                             on_read));
  (void)loop;
}

void libuv_pingpong(const Options& o) {
  uv_loop_t loop;
  check("uv_loop_init", uv_loop_init(&loop));
  uv_tcp_t listener;
  Peer client, server;
  uv_tcp_init(&loop, &listener);
  uv_tcp_init(&loop, &client.tcp);
  uv_tcp_init(&loop, &server.tcp);
  sockaddr_in any{};
  check("uv_ip4_addr", uv_ip4_addr("127.0.0.1", 0, &any));
  check("uv_tcp_bind", uv_tcp_bind(&listener, reinterpret_cast<const sockaddr*>(&any), 0));
  sockaddr_storage bound{};
  int len = sizeof bound;
  check("uv_tcp_getsockname", uv_tcp_getsockname(&listener, reinterpret_cast<sockaddr*>(&bound), &len));
  listener.data = &server;
  check("uv_listen", uv_listen(reinterpret_cast<uv_stream_t*>(&listener), 1, [](uv_stream_t* l, int s) {
          check("listen", s);
          check("uv_accept", uv_accept(l, reinterpret_cast<uv_stream_t*>(&static_cast<Peer*>(l->data)->tcp)));
          uv_stop(l->loop);
        }));
  uv_connect_t connect;
  check("uv_tcp_connect", uv_tcp_connect(&connect, &client.tcp, reinterpret_cast<const sockaddr*>(&bound),
                                         [](uv_connect_t*, int s) { check("connect", s); }));
  uv_run(&loop, UV_RUN_DEFAULT);  // until accepted
  uv_run(&loop, UV_RUN_NOWAIT);   // and the connect callback
  start_peer(loop, server, o, false);
  start_peer(loop, client, o, true);
  std::int64_t start = mono_ns();
  send_message(client);
  uv_run(&loop, UV_RUN_DEFAULT);
  std::int64_t elapsed = mono_ns() - start;
  for (uv_tcp_t* h : {&listener, &client.tcp, &server.tcp})
    uv_close(as_handle(h), nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);
  check("uv_loop_close", uv_loop_close(&loop));
  emit_pingpong("libuv", o.size, static_cast<double>(elapsed) / static_cast<double>(o.rounds));
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  if (o.mode == "switch") {
    libuv_switch(o);
  } else if (o.mode == "timers") {
    libuv_timers(o);
  } else if (o.mode == "pingpong") {
    libuv_pingpong(o);
  } else if (o.mode == "memory") {
    emit_memory("libuv", sizeof(uv_timer_t), "uv_timer_t handle (application memory)");
  } else {
    unsupported(argv[0], o.mode);
  }
  return 0;
}
