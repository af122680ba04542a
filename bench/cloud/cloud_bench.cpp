// cloud_bench: N simulated devices in one process against the local Blynk cloud (weft-cloud, its own
// process), each sending M messages per second through a bridge to the next device, for S seconds:
// messages sent / received / lost, delivery latency (p50, p99, max), and the cloud's CPU and memory.
//
//   cloud_bench                       1000 devices x 10 msg/s for 30 s (the figures of the README)
//   cloud_bench --quick               50 devices x 10 msg/s for 2 s (a smoke run: it builds, runs, prints)
//   cloud_bench --devices N --rate M --seconds S [--cloud PATH]
//
// Each device is a raw protocol client on weft's loop (TcpStream + the codec: no client library, so the
// figures are the cloud's): HW_LOGIN, info, BRIDGE `64\0i\0<next device's token>`, then every 1/M s a
// BRIDGE `64\0vw\0 1\0<seq>\0<send time>` that the cloud delivers to the next device as HARDWARE `vw`.
// Latency = receive time - send time on this process's clock. Lost = sent - received after a drain of up
// to 5 s. Exit status 1 when the setup fails or a message is lost.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "args.hpp"
#include "blynk/codec.hpp"
#include "cloud_process.hpp"
#include "core/weft.hpp"
#include "io/io.hpp"
#include "linux/linux_clock.hpp"
#include "raw_device.hpp"

namespace {

using namespace weft;
using bench::frame;
using blynk::Command;

struct Options {
  int devices = 1000;
  double rate = 10;  // messages per second per device
  double seconds = 30;
  std::string cloud = WEFT_CLOUD_BIN;
};

std::string token_of(int i) {
  char t[33];
  std::snprintf(t, sizeof t, "benchdevice%021d", i);
  return t;
}

std::string fields(std::initializer_list<std::string_view> f) {
  std::string body;
  for (std::string_view s : f)
    body.append(s).push_back('\0');
  body.pop_back();
  return body;
}

struct Bench {
  Options o;
  Endpoint cloud;
  int online = 0;
  int failed = 0;
  Event all_online;
  Event stop_sending;
  Event done;
  std::uint64_t sent = 0, received = 0, errors = 0, quota = 0;
  std::vector<std::uint32_t> latency_us;
  Micros started_sending = 0;
};

// Reads what the cloud sends one device: the answers to its setup, and the bridged messages.
Task<> reader(Bench& b, TcpStream& s, int& answers) {
  return bench::read_frames(s, [&b, &answers](const blynk::Frame& f) {
    if (f.command == Command::response) {
      if (f.status() == blynk::StatusCode::ok) {
        ++answers;
      } else {
        ++b.errors;
        if (f.status() == blynk::StatusCode::quota_limit) ++b.quota;
      }
    } else if (f.command == Command::bridge) {  // bridged writes arrive as BRIDGE, as from the legacy server
      blynk::BodyReader body(f.body);
      (void)body.next();  // vw
      (void)body.next();  // pin
      (void)body.next();  // seq
      Result<std::int64_t> sent_at = body.next_int<std::int64_t>();
      if (sent_at) {
        const Micros now = Loop::current().refresh_now();
        b.latency_us.push_back(static_cast<std::uint32_t>(std::max<Micros>(0, now - *sent_at)));
        ++b.received;
        if (b.stop_sending.is_set() && b.received == b.sent) b.done.set();
      }
    }
  });
}

Task<> device(Bench& b, int i) {
  co_await sleep_ms(i / 4);  // 4 connections per millisecond: no SYN flood
  Result<TcpStream> s = co_await TcpStream::connect(b.cloud, sec(10));
  if (!s) {
    ++b.failed;
    co_return;
  }
  int answers = 0;
  JoinHandle<void> rx = Loop::current().spawn(reader(b, *s, answers), "bench-rx");
  const std::string setup =
      frame(Command::hw_login, 1, token_of(i)) +
      frame(Command::internal, 2, fields({"ver", "bench", "h-beat", "45", "buff-in", "256"})) +
      frame(Command::bridge, 3, fields({"64", "i", token_of((i + 1) % b.o.devices)}));
  IoResult w = co_await s->write_all(setup);
  for (int k = 0; w && answers < 3 && k < 1000; ++k)
    co_await sleep_ms(10);
  if (!w || answers < 3) {
    ++b.failed;
    s->close();
    co_return;
  }
  if (++b.online + b.failed == b.o.devices) {  // the last one in starts the clock for everyone
    b.started_sending = Loop::current().refresh_now() + ms(100);
    b.all_online.set();
  }
  co_await b.all_online.wait();

  const Micros period = static_cast<Micros>(1e6 / b.o.rate);
  Periodic tick(period, CatchUp::burst, b.started_sending + period * i / b.o.devices);  // spread the phases
  std::uint16_t id = 4;
  char body[64];
  for (std::uint64_t seq = 0; !b.stop_sending.is_set(); ++seq) {
    Status t = co_await tick.next();
    if (!t || b.stop_sending.is_set()) break;
    id = id == 65535 ? 1 : static_cast<std::uint16_t>(id + 1);
    const Micros now = Loop::current().refresh_now();
    const int n = std::snprintf(body, sizeof body, "64%cvw%c1%c%llu%c%lld", 0, 0, 0,
                                static_cast<unsigned long long>(seq), 0, static_cast<long long>(now));
    ++b.sent;
    IoResult sw = co_await s->write_all(
        frame(Command::bridge, id, std::string_view(body, static_cast<std::size_t>(n))));
    if (!sw) break;
  }
  co_await b.done.wait();
  s->close();
  (void)co_await rx.join();
}

struct ProcStat {
  double cpu_s = 0;
  long rss_kib = 0, peak_kib = 0;
};

ProcStat proc_stat(pid_t pid) {
  ProcStat p;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(stat)), {});
  const std::size_t close = s.rfind(')');
  if (close != std::string::npos) {
    std::istringstream rest(s.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int k = 3; k <= 15 && rest >> field; ++k) {
      if (k == 14) utime = std::stoull(field);
      if (k == 15) stime = std::stoull(field);
    }
    p.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) p.rss_kib = std::atol(line.c_str() + 6);
    if (line.rfind("VmHWM:", 0) == 0) p.peak_kib = std::atol(line.c_str() + 6);
  }
  return p;
}

Task<> run(Bench& b, pid_t cloud_pid, int& exit_code) {
  Loop& loop = Loop::current();
  const Micros t0 = loop.refresh_now();
  std::vector<JoinHandle<void>> devices;
  devices.reserve(static_cast<std::size_t>(b.o.devices));
  b.started_sending = kForever;
  for (int i = 0; i < b.o.devices; ++i)
    devices.push_back(loop.spawn(device(b, i), "bench-device"));
  Status up = co_await wait_for(b.all_online.wait(), sec(60));
  const Micros connected = loop.refresh_now() - t0;
  if (!up || b.failed > 0) {
    std::printf("cloud_bench: only %d of %d devices came online (%d failed)\n", b.online, b.o.devices,
                b.failed);
    exit_code = 1;
    b.stop_sending.set();
    b.done.set();
    co_return;
  }
  std::printf("  connected   %d devices logged in and bridged in %.2f s\n", b.online,
              static_cast<double>(connected) / 1e6);
  std::fflush(stdout);
  co_await sleep_until(b.started_sending);
  const ProcStat before = proc_stat(cloud_pid);
  rusage self0{};
  getrusage(RUSAGE_SELF, &self0);
  co_await sleep_until(b.started_sending + static_cast<Micros>(b.o.seconds * 1e6));
  const Micros window = loop.refresh_now() - b.started_sending;
  const ProcStat after = proc_stat(cloud_pid);
  rusage self1{};
  getrusage(RUSAGE_SELF, &self1);
  b.stop_sending.set();
  if (b.received < b.sent) (void)co_await wait_for(b.done.wait(), sec(5));
  b.done.set();
  for (JoinHandle<void>& d : devices)
    (void)co_await d.join();

  std::sort(b.latency_us.begin(), b.latency_us.end());
  const auto pct = [&](double p) -> double {
    if (b.latency_us.empty()) return 0;
    const std::size_t k = std::min(b.latency_us.size() - 1,
                                   static_cast<std::size_t>(p * static_cast<double>(b.latency_us.size())));
    return b.latency_us[k] / 1000.0;
  };
  const double secs = static_cast<double>(window) / 1e6;
  const auto cpu_of = [](const rusage& r) {
    return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
  };
  const std::uint64_t lost = b.sent - std::min(b.sent, b.received);
  std::printf(
      "  messages    sent %llu, received %llu, lost %llu (%.0f msg/s through the cloud; %llu error answers, "
      "%llu QUOTA_LIMIT)\n",
      static_cast<unsigned long long>(b.sent), static_cast<unsigned long long>(b.received),
      static_cast<unsigned long long>(lost), static_cast<double>(b.received) / secs,
      static_cast<unsigned long long>(b.errors), static_cast<unsigned long long>(b.quota));
  std::printf(
      "  delivery    p50 %.3f ms, p99 %.3f ms, max %.3f ms (device -> cloud -> device, one machine)\n",
      pct(0.5), pct(0.99), b.latency_us.empty() ? 0.0 : b.latency_us.back() / 1000.0);
  std::printf("  cloud       CPU %.1f%% of one core, RSS %.1f MiB (peak %.1f MiB)\n",
              100.0 * (after.cpu_s - before.cpu_s) / secs, static_cast<double>(after.rss_kib) / 1024.0,
              static_cast<double>(after.peak_kib) / 1024.0);
  std::printf("  devices     CPU %.1f%% of one core (this process: %d clients)\n",
              100.0 * (cpu_of(self1) - cpu_of(self0)) / secs, b.o.devices);
  if (lost > 0) exit_code = 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  weft::bench::Args cli(
      argc, argv,
      "usage: cloud_bench [--quick] [--devices N] [--rate MSG_PER_S] [--seconds S] [--cloud PATH]\n"
      "  --quick        50 devices x 10 msg/s for 2 s (a smoke run)\n"
      "  --devices N    simulated devices, 2 .. 20000 (default 1000)\n"
      "  --rate R       messages per second per device, up to 1000 (default 10)\n"
      "  --seconds S    length of the run (default 30)\n"
      "  --cloud PATH   the weft-cloud program (default: the one built beside this bench)\n");
  while (cli.next()) {
    if (cli.flag("--quick")) {
      o.devices = 50;
      o.seconds = 2;
    } else if (cli.is("--devices")) {
      o.devices = static_cast<int>(cli.count(20000, 2));
    } else if (cli.is("--rate")) {
      o.rate = cli.number(0.001, 1000);
    } else if (cli.is("--seconds")) {
      o.seconds = cli.number(0.001, 86400);
    } else if (cli.is("--cloud")) {
      o.cloud = cli.value();
    } else {
      cli.unknown();
    }
  }

  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    lim.rlim_cur = lim.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &lim);
    if (lim.rlim_cur < static_cast<rlim_t>(o.devices) + 64) {
      std::fprintf(stderr,
                   "cloud_bench: %d devices need %d file descriptors; the limit is %llu (ulimit -n)\n",
                   o.devices, o.devices + 64, static_cast<unsigned long long>(lim.rlim_cur));
      return 2;
    }
  }
  signal(SIGPIPE, SIG_IGN);

  // The cloud: its own process, a project with every device, a quota well above the bench's rate.
  std::string project;
  for (int i = 0; i < o.devices; ++i)
    project += "device d" + std::to_string(i) + " token " + token_of(i) + "\n";
  weft::bench::CloudProcess cloud;
  if (!cloud.start("cloud_bench", o.cloud, project, {"--quota", std::to_string(o.rate * 3 + 10)})) return 1;
  Result<Endpoint> at = Endpoint::parse(cloud.blynk());
  if (!at) {
    std::fprintf(stderr, "cloud_bench: the cloud's ready file names no address: '%s'\n",
                 cloud.blynk().c_str());
    return 1;
  }
  const pid_t cloud_pid = cloud.pid();
  std::printf(
      "cloud_bench: %d devices x %g msg/s for %g s, each bridged to the next, against weft-cloud (pid %d)\n",
      o.devices, o.rate, o.seconds, static_cast<int>(cloud_pid));
  std::fflush(stdout);

  int exit_code = 0;
  {
    Loop loop(linux_board::linux_clock());
    loop.set_hog_threshold(0);
    Bench b;
    b.o = o;
    b.cloud = *at;
    b.latency_us.reserve(static_cast<std::size_t>(o.devices * o.rate * o.seconds * 1.1));
    (void)loop.run_until_complete(run(b, cloud_pid, exit_code));
  }
  cloud.stop();
  return exit_code;
}
