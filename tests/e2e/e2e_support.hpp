// Helpers for the end-to-end tests: real processes (weft-cloud, apps on the simulated board, the sim runner),
// a blocking HTTP client for the REST API and a blocking client for a device's control channel.
// Waits poll with generous limits (a loaded 2-core machine must not fail them); nothing asserts speed.
#pragma once
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

extern char** environ;

namespace weft::e2e {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A scratch directory for one test, removed with it.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/weft-e2e-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { (void)std::system(("rm -rf " + path_).c_str()); }
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Polls `done` every 50 ms until it holds or `seconds` pass.
inline bool eventually(const std::function<bool()>& done, double seconds = 10) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// A child process in its own process group, its stdout and stderr in `log`. Stopped (SIGTERM to the group,
// then SIGKILL) when destroyed.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env, std::string log)
      : log_(std::move(log)) {
    std::vector<std::string> envs;
    for (char** e = environ; *e != nullptr; ++e) {  // ours override the inherited ones of the same name
      const std::string_view inherited(*e);
      bool overridden = false;
      for (const std::string& mine : env)
        overridden |= inherited.substr(0, inherited.find('=') + 1) == mine.substr(0, mine.find('=') + 1);
      if (!overridden) envs.emplace_back(*e);
    }
    envs.insert(envs.end(), env.begin(), env.end());
    std::vector<char*> a, e;
    for (const std::string& s : argv)
      a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    for (const std::string& s : envs)
      e.push_back(const_cast<char*>(s.c_str()));
    e.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    if (posix_spawn(&pid_, a[0], &fa, &attr, a.data(), e.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
  }
  ~Child() { stop(); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  [[nodiscard]] bool started() const { return pid_ > 0; }
  // The exit status once it ended (128+N for signal N), -1 while it runs.
  int poll() {
    if (pid_ <= 0) return status_;
    int st = 0;
    if (waitpid(pid_, &st, WNOHANG) != pid_) return -1;
    pid_ = 0;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return status_;
  }
  // Waits for the exit status up to `seconds` (-1 if still running).
  int wait(double seconds) {
    int st = -1;
    eventually([&] { return (st = poll()) >= 0; }, seconds);
    return st;
  }
  // SIGTERM to the group, SIGKILL after 3 s; returns the exit status.
  int stop() {
    if (pid_ > 0) {
      kill(-pid_, SIGTERM);
      if (wait(3) < 0) {
        kill(-pid_, SIGKILL);
        (void)wait(3);
      }
    }
    return status_;
  }
  [[nodiscard]] std::string output() const { return read_text(log_); }
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  std::string log_;
  pid_t pid_ = -1;
  int status_ = -1;
};

// weft-cloud on a free port (or `port`), with the given extra arguments.
struct CloudProcess {
  CloudProcess(const TempDir& dir, const std::vector<std::string>& args, int port = 0,
               const std::string& name = "cloud")
      : ready(dir.file(name + ".ready")),
        proc(make_argv(args, port, dir.file(name + ".ready")), {}, dir.file(name + ".log")) {
    ok = proc.started() && eventually([&] { return access(ready.c_str(), F_OK) == 0; }, 10);
    if (!ok) return;
    std::istringstream in(read_text(ready));
    for (std::string line; std::getline(in, line);) {
      const std::size_t eq = line.find('=');
      const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
      if (key == "blynk") blynk = value;
      if (key == "http") http = value;
      if (key == "token") tokens.push_back(value);
      if (key == "admin_key") admin_key = value;
    }
    port_number = std::atoi(blynk.substr(blynk.rfind(':') + 1).c_str());
  }
  static std::vector<std::string> make_argv(const std::vector<std::string>& args, int port,
                                            const std::string& ready) {
    std::vector<std::string> a = {WEFT_CLOUD_BIN, "--port", std::to_string(port),
                                  "--ready-file", ready,    "--quiet"};
    a.insert(a.end(), args.begin(), args.end());
    return a;
  }
  std::string ready;
  Child proc;
  bool ok = false;
  std::string blynk, http, admin_key;
  std::vector<std::string> tokens;
  int port_number = 0;
};

struct HttpReply {
  int status = 0;
  std::string body;
};

// GET http://127.0.0.1:port/target, blocking, 5 s limit; status 0 when it failed.
inline HttpReply http_get(const std::string& host_port, const std::string& target) {
  HttpReply reply;
  const int port = std::atoi(host_port.substr(host_port.rfind(':') + 1).c_str());
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    close(fd);
    return reply;
  }
  const std::string req = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  (void)send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string all;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;)
    all.append(buf, static_cast<std::size_t>(n));
  close(fd);
  const std::size_t end = all.find("\r\n\r\n");
  if (all.size() < 12 || end == std::string::npos) return reply;
  reply.status = std::atoi(all.c_str() + 9);
  reply.body = all.substr(end + 4);
  return reply;
}

// Requests on a device's control channel (a unix socket), all in one write (the channel handles them back to back, with no task running between
// them) and returns the replies, one per request ("" for a missing one).
inline std::vector<std::string> control_batch(const std::string& socket_path,
                                              const std::vector<std::string>& requests) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, socket_path.c_str(), sizeof sa.sun_path - 1);
  std::vector<std::string> replies(requests.size());
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    close(fd);
    return replies;
  }
  std::string lines;
  for (const std::string& r : requests)
    lines += r + "\n";
  (void)send(fd, lines.data(), lines.size(), MSG_NOSIGNAL);
  char c = 0;
  for (std::string& reply : replies) {
    while (recv(fd, &c, 1, 0) == 1 && c != '\n')
      reply += c;
  }
  close(fd);
  return replies;
}

// One request on a device's control channel: the reply line, "" on failure.
inline std::string control(const std::string& socket_path, const std::string& request) {
  return control_batch(socket_path, {request}).front();
}

// The pad level of `pin` ("GPIO4") on a device, -1 when it cannot be read.
inline int level(const std::string& socket_path, const std::string& pin) {
  const std::string r = control(socket_path, R"({"op":"pin","pin":")" + pin + R"("})");
  const std::size_t at = r.find("\"level\":");
  return at == std::string::npos ? -1 : std::atoi(r.c_str() + at + 8);
}
// The PWM duty of `pin`, -1 when it has none or cannot be read.
inline int pwm_duty(const std::string& socket_path, const std::string& pin) {
  const std::string r = control(socket_path, R"({"op":"pin","pin":")" + pin + R"("})");
  const std::size_t at = r.find("\"pwm_duty\":");
  return at == std::string::npos ? -1 : std::atoi(r.c_str() + at + 11);
}

// An app on the simulated board, in its own process (the program reads WEFT_SIM_* itself), connected to a
// Blynk server with a token, its control channel on a unix socket in `dir`.
struct Device {
  Device(const TempDir& dir, const std::string& name, const std::string& program, const std::string& server,
         const std::string& token, const std::string& bridge_token = "")
      : control_path(dir.file(name + ".sock")),
        proc({program},
             {"WEFT_SIM_CONTROL=unix:" + control_path, "WEFT_BLYNK_TOKEN=" + token,
              "WEFT_BLYNK_SERVER=" + server, "WEFT_BLYNK_BRIDGE_TOKEN=" + bridge_token},
             dir.file(name + ".log")) {}
  std::string control_path;
  Child proc;
};

}  // namespace weft::e2e
