// weft-cloud: the local Blynk server on its own (README.md in this directory). Serves the Blynk protocol and
// the REST API until Ctrl-C / SIGTERM, then saves its state (with --state) and exits 0.
#include <fcntl.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "blynk/protocol.hpp"
#include "blynk/token_text.hpp"
#include "cloud.hpp"
#include "core/log.hpp"
#include "core/loop.hpp"
#include "core/thread_safe_flag.hpp"
#include "linux/linux_clock.hpp"

namespace {

using weft::cloud::Cloud;
using weft::cloud::CloudOptions;
using weft::cloud::Store;

void usage(std::FILE* to) {
  std::fprintf(
      to,
      "usage: weft-cloud [options]\n"
      "  --port N              Blynk protocol port (default 8080; 0 picks a free one); also HTTP unless "
      "--http-port\n"
      "  --http-port N         the REST API on a port of its own (0 picks a free one)\n"
      "  --no-http             no REST API\n"
      "  --tls-port N          the Blynk protocol and the REST API (HTTPS) over TLS on this port too (0 "
      "picks\n"
      "                        a free one); needs --tls-cert and --tls-key\n"
      "  --tls-cert FILE       the server's certificate (PEM; intermediates after it)\n"
      "  --tls-key FILE        its private key (PEM, unencrypted; keep it mode 0600)\n"
      "  --address A           listen address (default 127.0.0.1; 0.0.0.0 serves devices on the network)\n"
      "  --project FILE        devices, widgets, initial values (format: board/linux/cloud/README.md)\n"
      "  --token TOKEN[=NAME]  add a device with this 32-character token (repeatable)\n"
      "  --devices N           add N devices with generated tokens\n"
      "  --auto-register       accept any well-formed token (a new device) instead of INVALID_TOKEN\n"
      "  --state FILE          keep pin values across restarts in FILE\n"
      "  --quota N             messages per second per device (default 100)\n"
      "  --notify-interval S   seconds between notifications of a device (default 5; 0: no limit)\n"
      "  --idle-factor F       disconnect after F x the device's heartbeat of silence (default 2.3)\n"
      "  --max-connections N   open connections at most (default 1024); beyond, new ones are refused\n"
      "  --admin-key KEY       the key that lists devices and events (default: $WEFT_CLOUD_ADMIN_KEY, else "
      "a\n"
      "                        random one, printed at start)\n"
      "  --host-name NAME      a name (besides localhost and IP addresses) the REST API answers to\n"
      "                        (repeatable)\n"
      "  --ready-file FILE     once listening, write `blynk=ADDR`, `http=ADDR`, `tls=ADDR` (with "
      "--tls-port),\n"
      "                        `admin_key=KEY` and `token=T` lines to FILE\n"
      "  --dashboard DIR       the dashboard's files (default: board/linux/cloud/dashboard of the source\n"
      "                        tree)\n"
      "  --log-level L         error | warning | info (default) | debug\n"
      "  --quiet               print no banner\n");
}

weft::ThreadSafeFlag* g_stop = nullptr;
void on_signal(int) {
  if (g_stop != nullptr) g_stop->set();
}

std::string text_of(const weft::Endpoint& e) {
  char t[weft::Endpoint::kMaxText];
  (void)e.format(t);
  return t;
}

bool parse_uint(const char* s, unsigned long max, unsigned long& out) {
  char* end = nullptr;
  errno = 0;
  out = std::strtoul(s, &end, 10);
  return *s != '\0' && *end == '\0' && errno == 0 && out <= max && s[0] != '-';
}

bool parse_double(const char* s, double& out) {
  char* end = nullptr;
  out = std::strtod(s, &end);
  return *s != '\0' && *end == '\0' && out >= 0;
}

weft::Task<> stop_on_signal(Cloud& cloud, weft::ThreadSafeFlag& flag) {
  co_await flag.wait();
  WEFT_LOG_INFO("cloud: stopping");
  cloud.stop();
}

}  // namespace

int main(int argc, char** argv) {
  CloudOptions o;
  o.dashboard_dir = WEFT_DASHBOARD_DIR;
  Store store;
  std::string project_file, ready_file, tls_cert, tls_key;
  std::vector<std::pair<std::string, std::string>> tokens;
  unsigned long generated = 0;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "weft-cloud: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    const auto bad = [&](const char* v, const char* what) {
      std::fprintf(stderr, "weft-cloud: %s '%s': %s\n", a.c_str(), v, what);
      std::exit(2);
    };
    unsigned long n = 0;
    double d = 0;
    if (a == "--port") {
      const char* v = value();
      if (!parse_uint(v, 65535, n)) bad(v, "a port number 0..65535");
      o.port = static_cast<std::uint16_t>(n);
    } else if (a == "--http-port") {
      const char* v = value();
      if (!parse_uint(v, 65535, n)) bad(v, "a port number 0..65535");
      o.http_port = static_cast<std::uint16_t>(n);
    } else if (a == "--tls-port") {
      const char* v = value();
      if (!parse_uint(v, 65535, n)) bad(v, "a port number 0..65535");
      o.tls_port = static_cast<std::uint16_t>(n);
    } else if (a == "--tls-cert") {
      tls_cert = value();
    } else if (a == "--tls-key") {
      tls_key = value();
    } else if (a == "--no-http") {
      o.http = false;
    } else if (a == "--address") {
      const char* v = value();
      weft::Result<weft::IpAddress> ip = weft::IpAddress::parse(v);
      if (!ip) bad(v, "an IP address such as 127.0.0.1 or 0.0.0.0");
      o.address = *ip;
    } else if (a == "--project") {
      project_file = value();
    } else if (a == "--token") {
      std::string t = value();
      const std::size_t eq = t.find('=');
      std::string name = eq == std::string::npos ? "" : t.substr(eq + 1);
      t = t.substr(0, eq);
      if (weft::blynk::TokenProblem p = weft::blynk::check_token(t); p != weft::blynk::TokenProblem::none)
        bad(t.c_str(), weft::blynk::to_string(p));
      tokens.emplace_back(t, name);
    } else if (a == "--devices") {
      const char* v = value();
      if (!parse_uint(v, 100000, generated)) bad(v, "a count 0..100000");
    } else if (a == "--auto-register") {
      o.auto_register = true;
    } else if (a == "--state") {
      o.state_file = value();
    } else if (a == "--quota") {
      const char* v = value();
      if (!parse_double(v, d) || d <= 0) bad(v, "messages per second > 0");
      o.quota_per_second = d;
    } else if (a == "--notify-interval") {
      const char* v = value();
      if (!parse_double(v, d)) bad(v, "seconds >= 0");
      o.notify_interval = static_cast<weft::Micros>(d * 1e6);
    } else if (a == "--idle-factor") {
      const char* v = value();
      if (!parse_double(v, d) || d < 1) bad(v, "a factor >= 1");
      o.idle_factor = d;
    } else if (a == "--max-connections") {
      const char* v = value();
      if (!parse_uint(v, 1000000, n) || n == 0) bad(v, "a count 1..1000000");
      o.max_connections = n;
    } else if (a == "--admin-key") {
      o.admin_key = value();
      if (o.admin_key.size() < 16) bad(o.admin_key.c_str(), "a key of at least 16 characters");
    } else if (a == "--host-name") {
      o.host_names.emplace_back(value());
    } else if (a == "--ready-file") {
      ready_file = value();
    } else if (a == "--dashboard") {
      o.dashboard_dir = value();
    } else if (a == "--log-level") {
      const std::string v = value();
      if (v == "error")
        weft::set_log_level(weft::LogLevel::error);
      else if (v == "warning" || v == "warn")
        weft::set_log_level(weft::LogLevel::warning);
      else if (v == "info")
        weft::set_log_level(weft::LogLevel::info);
      else if (v == "debug")
        weft::set_log_level(weft::LogLevel::debug);
      else
        bad(v.c_str(), "error, warning, info or debug");
    } else if (a == "--quiet") {
      quiet = true;
    } else if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else {
      std::fprintf(stderr, "weft-cloud: unknown option %s\n", a.c_str());
      usage(stderr);
      return 2;
    }
  }

  // TLS: all three options or none; the files are checked now (missing, unreadable, not PEM, mismatched).
  weft::net::TlsIdentity identity;
  if (o.tls_port || !tls_cert.empty() || !tls_key.empty()) {
    if (!o.tls_port || tls_cert.empty() || tls_key.empty()) {
      std::fprintf(
          stderr,
          "weft-cloud: TLS needs all of --tls-port N, --tls-cert FILE and --tls-key FILE (%s missing)\n",
          !o.tls_port        ? "--tls-port"
          : tls_cert.empty() ? "--tls-cert"
                             : "--tls-key");
      return 2;
    }
    if (!identity.load_files(tls_cert.c_str(), tls_key.c_str())) {
      std::fprintf(stderr, "weft-cloud: --tls-cert %s / --tls-key %s: unusable (the reason is above)\n",
                   tls_cert.c_str(), tls_key.c_str());
      return 2;
    }
    o.tls_identity = &identity;
  }

  std::string error;
  if (!project_file.empty()) {
    std::optional<weft::cloud::Project> p = weft::cloud::Project::load(project_file, error);
    if (!p || !store.add_project(*p, error)) {
      std::fprintf(stderr, "weft-cloud: %s\n", error.c_str());
      return 2;
    }
  }
  for (const auto& [token, name] : tokens) {
    if (store.find(token) != nullptr) continue;  // the project has it already
    const std::string n = name.empty() ? "device-" + std::to_string(store.devices().size() + 1) : name;
    (void)store.add(weft::cloud::DeviceSpec{.name = n, .token = token});
  }
  for (unsigned long i = 0; i < generated; ++i)
    (void)store.add(weft::cloud::DeviceSpec{.name = "device-" + std::to_string(store.devices().size() + 1)});
  if (!o.state_file.empty() && !store.load(o.state_file, error)) {
    std::fprintf(stderr, "weft-cloud: %s\n", error.c_str());
    return 2;
  }
  if (store.devices().empty() && !o.auto_register)
    (void)store.add(weft::cloud::DeviceSpec{.name = "device-1"});
  if (!o.state_file.empty() && !store.save(o.state_file, error)) {  // find out now, not at the first change
    std::fprintf(stderr, "weft-cloud: %s\n", error.c_str());
    return 2;
  }

  // One file descriptor per device: lift the soft limit to the hard one.
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &lim);
  }
  std::signal(SIGPIPE, SIG_IGN);

  if (o.admin_key.empty()) {
    if (const char* k = std::getenv("WEFT_CLOUD_ADMIN_KEY"); k != nullptr && *k != '\0') o.admin_key = k;
  }
  weft::Loop loop(weft::linux_board::linux_clock());
  loop.set_hog_threshold(weft::ms(50));
  Cloud cloud(store, o);
  if (!cloud.start()) {
    std::fprintf(stderr,
                 "weft-cloud: cannot listen (see above); pick other ports with --port, --http-port or "
                 "--tls-port\n");
    return 1;
  }
  const std::string blynk_at = text_of(cloud.blynk_endpoint());
  const std::string http_at = text_of(cloud.http_endpoint());
  const std::string tls_at = o.tls_port ? text_of(cloud.tls_endpoint()) : "";
  if (!quiet) {
    std::printf("weft-cloud: Blynk protocol on %s%s\n", blynk_at.c_str(),
                o.http && !o.http_port ? " (and the REST API: one port serves both)" : "");
    if (o.http && o.http_port) std::printf("weft-cloud: REST API on http://%s\n", http_at.c_str());
    if (o.tls_port)
      std::printf("weft-cloud: Blynk protocol over TLS on %s%s (certificate %s)\n", tls_at.c_str(),
                  o.http ? " (and the REST API: https://)" : "", tls_cert.c_str());
    // Tokens are never printed in full: the admin listing below (or the project file) has them.
    for (const auto& d : store.devices())
      std::printf("weft-cloud: device %-16s token %s\n", ("'" + d->name() + "'").c_str(),
                  weft::blynk::token_text(d->token()).c_str());
    if (o.http && !store.devices().empty()) {
      std::printf("weft-cloud: try  curl 'http://%s/TOKEN/update/V1?value=1'\n", http_at.c_str());
      std::printf("weft-cloud:      curl 'http://%s/TOKEN/get/V1'\n", http_at.c_str());
    }
    if (o.http) {
      std::printf("weft-cloud: admin key %s (lists every device and token)\n",
                  cloud.options().admin_key.c_str());
      std::printf("weft-cloud: try  curl -H 'Authorization: Bearer %s' http://%s/devices\n",
                  cloud.options().admin_key.c_str(), http_at.c_str());
    }
    if (o.http && !o.dashboard_dir.empty())
      std::printf("weft-cloud: dashboard  http://%s/#key=%s\n", http_at.c_str(),
                  cloud.options().admin_key.c_str());
    std::fflush(stdout);
  }
  if (!ready_file.empty()) {
    const std::string tmp = ready_file + ".tmp";
    // It holds the admin key: readable by this user only.
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::FILE* f = fd < 0 ? nullptr : ::fdopen(fd, "w");
    if (f == nullptr) {
      std::fprintf(stderr, "weft-cloud: cannot write %s: %s\n", tmp.c_str(), std::strerror(errno));
      return 1;
    }
    std::fprintf(f, "blynk=%s\nhttp=%s\n", blynk_at.c_str(), o.http ? http_at.c_str() : "");
    if (o.tls_port) std::fprintf(f, "tls=%s\n", tls_at.c_str());
    std::fprintf(f, "admin_key=%s\n", cloud.options().admin_key.c_str());
    for (const auto& d : store.devices())
      std::fprintf(f, "token=%s\n", d->token().c_str());
    std::fclose(f);
    std::rename(tmp.c_str(), ready_file.c_str());
  }

  weft::ThreadSafeFlag stop_flag(loop);
  g_stop = &stop_flag;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  loop.spawn(stop_on_signal(cloud, stop_flag), "cloud-signals");
  weft::AwaitResult<void> r = loop.run_until_complete(cloud.run(), "cloud");
  g_stop = nullptr;
  return r.ok() ? 0 : 1;
}
