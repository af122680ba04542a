// dashboard_bench: how fast the browser dashboard sees what a device does, and the device what the dashboard
// does, on loopback against weft-cloud (its own process, like cloud_bench).
//
//   dashboard_bench                        500 writes each way, one every 5 ms (the figures of the README)
//   dashboard_bench --quick                50 writes each way (a smoke run: it builds, runs, prints)
//   dashboard_bench [--writes N] [--interval-ms MS] [--out=FILE] [--cloud PATH]
//
// Device -> dashboard: a raw Blynk device (TcpStream + the codec) writes HARDWARE `vw 5 w<i>`; a plain HTTP
// client holds `GET /api/stream` open with the admin key and timestamps the Server-Sent Event whose value is
// `w<i>`. Dashboard -> device: `GET /{token}/update/V1?value=r<i>` (what a widget change does, one connection
// per request, as the page's fetch may) until the device receives HARDWARE `vw 1 r<i>`. Latency = receive time
// - send time on this process's clock. --out writes a markdown table (bench/cloud/results/dashboard.md).
// Exit status 1 when the setup fails or an event is missing.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "args.hpp"
#include "blynk/codec.hpp"
#include "cloud_process.hpp"
#include "core/weft.hpp"
#include "host.hpp"
#include "io/io.hpp"
#include "linux/linux_clock.hpp"
#include "raw_device.hpp"

namespace {

using namespace weft;
using bench::frame;
using blynk::Command;

constexpr char kToken[] = "dashboardbench000000000000000001";
constexpr char kKey[] = "dashboardbenchkey0123456789abcdef";

struct Options {
  int writes = 500;
  int interval_ms = 5;
  std::string out;
  std::string cloud = WEFT_CLOUD_BIN;
};

struct Bench {
  Options o;
  Endpoint blynk, http;
  std::string host;                         // the Host header: the HTTP endpoint as text
  std::vector<Micros> sse_sent, sse_got;    // device write i -> its event on the stream
  std::vector<Micros> rest_sent, rest_got;  // REST update i -> the device's HARDWARE frame
  bool logged_in = false;
  Event login_answered;
};

// Parses `<prefix><number>` into the index, or -1.
int index_of(std::string_view v, char prefix, int n) {
  if (v.size() < 2 || v[0] != prefix) return -1;
  int k = 0;
  for (char c : v.substr(1)) {
    if (c < '0' || c > '9') return -1;
    k = k * 10 + (c - '0');
    if (k >= n) return -1;
  }
  return k;
}

Task<> device_reader(Bench& b, TcpStream& s) {
  return bench::read_frames(s, [&b](const blynk::Frame& f) {
    if (f.command == Command::response && f.id == 1) {
      b.logged_in = f.status() == blynk::StatusCode::ok;
      b.login_answered.set();
    } else if (f.command == Command::hardware) {
      blynk::BodyReader body(f.body);
      auto op = body.next();
      auto pin = body.next();
      auto value = body.next();
      if (!op || *op != "vw" || !pin || *pin != "1" || !value) return;
      const int k = index_of(*value, 'r', b.o.writes);
      if (k >= 0 && b.rest_got[static_cast<std::size_t>(k)] == 0)
        b.rest_got[static_cast<std::size_t>(k)] = Loop::current().refresh_now();
    }
  });
}

// Reads the event stream; timestamps each `"value":["w<i>"]` as its line completes.
Task<> stream_reader(Bench& b, TcpStream& s) {
  std::string seen;
  char buf[8192];
  const std::string_view marker = "\"value\":[\"w";
  for (;;) {
    IoResult r = co_await s.read_some(buf);
    if (!r) co_return;
    const Micros now = Loop::current().refresh_now();
    seen.append(buf, r.count);
    const std::size_t end = seen.rfind('\n');
    if (end == std::string::npos) continue;
    for (std::size_t at = seen.find(marker); at != std::string::npos && at < end;
         at = seen.find(marker, at + 1)) {
      const std::size_t v = at + marker.size() - 1;
      const std::size_t q = seen.find('"', v);
      if (q == std::string::npos) break;
      const int k = index_of(std::string_view(seen).substr(v, q - v), 'w', b.o.writes);
      if (k >= 0 && b.sse_got[static_cast<std::size_t>(k)] == 0) b.sse_got[static_cast<std::size_t>(k)] = now;
    }
    seen.erase(0, end + 1);
  }
}

struct Figures {
  std::size_t n = 0, got = 0;
  double p50 = 0, p99 = 0, max = 0;
};

Figures figures(const std::vector<Micros>& sent, const std::vector<Micros>& got) {
  Figures f;
  f.n = sent.size();
  std::vector<Micros> lat;
  for (std::size_t i = 0; i < sent.size(); ++i)
    if (got[i] != 0) lat.push_back(std::max<Micros>(0, got[i] - sent[i]));
  f.got = lat.size();
  if (lat.empty()) return f;
  std::sort(lat.begin(), lat.end());
  const auto pct = [&](double p) {
    return static_cast<double>(
               lat[std::min(lat.size() - 1, static_cast<std::size_t>(p * static_cast<double>(lat.size())))]) /
           1000.0;
  };
  f.p50 = pct(0.5);
  f.p99 = pct(0.99);
  f.max = static_cast<double>(lat.back()) / 1000.0;
  return f;
}

bool all_in(const std::vector<Micros>& got) {
  return std::all_of(got.begin(), got.end(), [](Micros t) { return t != 0; });
}

Task<> run(Bench& b, int& exit_code) {
  Loop& loop = Loop::current();
  const std::size_t n = static_cast<std::size_t>(b.o.writes);
  b.sse_sent.assign(n, 0);
  b.sse_got.assign(n, 0);
  b.rest_sent.assign(n, 0);
  b.rest_got.assign(n, 0);
  exit_code = 1;

  // The dashboard's stream, opened first.
  Result<TcpStream> stream = co_await TcpStream::connect(b.http, sec(5));
  if (!stream) {
    std::printf("dashboard_bench: cannot connect to the HTTP port\n");
    co_return;
  }
  const std::string get = "GET /api/stream?since=0 HTTP/1.1\r\nHost: " + b.host +
                          "\r\nAuthorization: Bearer " + kKey + "\r\nAccept: text/event-stream\r\n\r\n";
  IoResult w = co_await stream->write_all(get);
  if (!w) co_return;
  JoinHandle<void> sse = loop.spawn(stream_reader(b, *stream), "bench-sse");

  // The device.
  Result<TcpStream> dev = co_await TcpStream::connect(b.blynk, sec(5));
  if (!dev) {
    std::printf("dashboard_bench: cannot connect to the Blynk port\n");
    co_return;
  }
  JoinHandle<void> rx = loop.spawn(device_reader(b, *dev), "bench-device");
  w = co_await dev->write_all(frame(Command::hw_login, 1, kToken));
  Status answered = co_await wait_for(b.login_answered.wait(), sec(5));
  if (!w || !answered || !b.logged_in) {
    std::printf("dashboard_bench: the device could not log in\n");
    dev->close();
    stream->close();
    co_return;
  }
  co_await sleep_ms(100);  // the online event and the stream's headers are through

  // Device -> dashboard.
  std::uint16_t id = 2;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string value = "w" + std::to_string(i);
    const std::string body = std::string(
                                 "vw\0"
                                 "5\0",
                                 5) +
                             value;
    id = id == 65535 ? 2 : static_cast<std::uint16_t>(id + 1);
    b.sse_sent[i] = loop.refresh_now();
    IoResult sw = co_await dev->write_all(frame(Command::hardware, id, body));
    if (!sw) break;
    co_await sleep_ms(b.o.interval_ms);
  }
  for (int k = 0; k < 200 && !all_in(b.sse_got); ++k)
    co_await sleep_ms(10);

  // Dashboard -> device: a widget change through the REST API.
  for (std::size_t i = 0; i < n; ++i) {
    const std::string req = std::string("GET /") + kToken + "/update/V1?value=r" + std::to_string(i) +
                            " HTTP/1.1\r\nHost: " + b.host + "\r\nConnection: close\r\n\r\n";
    b.rest_sent[i] = loop.refresh_now();
    Result<TcpStream> c = co_await TcpStream::connect(b.http, sec(5));
    if (!c) break;
    IoResult cw = co_await c->write_all(req);
    if (!cw) break;
    char buf[1024];
    for (;;) {  // read the reply to its end (the server closes)
      IoResult cr = co_await wait_for(c->read_some(buf), sec(5));
      if (!cr || cr.count == 0) break;
    }
    c->close();
    co_await sleep_ms(b.o.interval_ms);
  }
  for (int k = 0; k < 200 && !all_in(b.rest_got); ++k)
    co_await sleep_ms(10);

  dev->close();
  stream->close();
  (void)co_await rx.join();
  (void)co_await sse.join();

  const Figures up = figures(b.sse_sent, b.sse_got), down = figures(b.rest_sent, b.rest_got);
  std::printf("  device write -> dashboard event  %zu/%zu  p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", up.got,
              up.n, up.p50, up.p99, up.max);
  std::printf("  REST update -> device HARDWARE   %zu/%zu  p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", down.got,
              down.n, down.p50, down.p99, down.max);
  const bool under = up.got == up.n && up.max < 100.0;
  std::printf("  requirement (under 100 ms on loopback): %s\n", under ? "met" : "NOT met");

  if (!b.o.out.empty()) {
    const std::string model = weft::bench::cpu_model();
    char date[32];
    const std::time_t t = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&t));
    std::FILE* f = std::fopen(b.o.out.c_str(), "w");
    if (f == nullptr) {
      std::fprintf(stderr, "dashboard_bench: cannot write %s: %s\n", b.o.out.c_str(), std::strerror(errno));
      co_return;
    }
    std::fprintf(f, "| %d writes, one every %d ms, loopback | received | p50 | p99 | max |\n", b.o.writes,
                 b.o.interval_ms);
    std::fprintf(f, "|---|---|---|---|---|\n");
    std::fprintf(f, "| device `vw` -> dashboard SSE event | %zu/%zu | %.2f ms | %.2f ms | %.2f ms |\n",
                 up.got, up.n, up.p50, up.p99, up.max);
    std::fprintf(f, "| REST `update` -> device HARDWARE | %zu/%zu | %.2f ms | %.2f ms | %.2f ms |\n",
                 down.got, down.n, down.p50, down.p99, down.max);
    std::fprintf(f, "\n%s, %s, `dashboard_bench` (bench/cloud/dashboard_bench.cpp).\n", model.c_str(), date);
    std::fclose(f);
  }
  exit_code = up.got == up.n && down.got == down.n ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  weft::bench::Args cli(
      argc, argv,
      "usage: dashboard_bench [--quick] [--writes N] [--interval-ms MS] [--out=FILE] [--cloud PATH]\n"
      "  --quick           50 writes each way (a smoke run)\n"
      "  --writes N        writes each way, 1 .. 100000 (default 500)\n"
      "  --interval-ms MS  pause between writes, 0 .. 10000 (default 5)\n"
      "  --out=FILE        also write the figures as a Markdown table to FILE\n"
      "  --cloud PATH      the weft-cloud program (default: the one built beside this bench)\n");
  while (cli.next()) {
    if (cli.flag("--quick")) {
      o.writes = 50;
    } else if (cli.is("--writes")) {
      o.writes = static_cast<int>(cli.count(100000));
    } else if (cli.is("--interval-ms")) {
      o.interval_ms = static_cast<int>(cli.count(10000, 0));
    } else if (cli.is("--out")) {
      o.out = cli.value();
      if (o.out.empty()) cli.fail("needs a file name");
    } else if (cli.is("--cloud")) {
      o.cloud = cli.value();
    } else {
      cli.unknown();
    }
  }
  signal(SIGPIPE, SIG_IGN);

  // A quota well above the bench's rate: what is measured is delivery, not the limiter.
  weft::bench::CloudProcess cloud;
  if (!cloud.start("dashboard_bench", o.cloud, "device d0 token " + std::string(kToken) + "\n",
                   {"--http-port", "0", "--quota", "100000", "--admin-key", kKey})) {
    return 1;
  }
  const std::string http_at = cloud.http();
  Result<Endpoint> blynk = Endpoint::parse(cloud.blynk());
  Result<Endpoint> http = Endpoint::parse(http_at);
  const pid_t cloud_pid = cloud.pid();
  int exit_code = 1;
  if (!blynk || !http) {
    std::fprintf(stderr, "dashboard_bench: the cloud's ready file names no address: '%s', '%s'\n",
                 cloud.blynk().c_str(), http_at.c_str());
  } else {
    std::printf(
        "dashboard_bench: %d writes each way, one every %d ms, against weft-cloud (pid %d) on loopback\n",
        o.writes, o.interval_ms, static_cast<int>(cloud_pid));
    std::fflush(stdout);
    Loop loop(linux_board::linux_clock());
    loop.set_hog_threshold(0);
    Bench b;
    b.o = o;
    b.blynk = *blynk;
    b.http = *http;
    b.host = http_at;
    (void)loop.run_until_complete(run(b, exit_code));
  }
  cloud.stop(!blynk || !http);  // a failed run keeps the log
  return exit_code;
}
