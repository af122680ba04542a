#include "runner.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string_view>

#include "core/loop.hpp"
#include "scenario.hpp"
#include "sim_clock.hpp"

namespace weft::sim {
namespace {

// The program's environment: ours without any WEFT_SIM_*/WEFT_SCENARIO, plus the run's settings.
std::vector<std::string> environment(const RunOptions& o, const std::string& state_file) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view v(*e);
    if (v.rfind("WEFT_SIM_", 0) != 0 && v.rfind("WEFT_SCENARIO=", 0) != 0) env.emplace_back(v);
  }
  env.push_back(std::string("WEFT_SIM_CLOCK=") + (o.clock == ClockMode::virtual_time ? "virtual" : "real"));
  env.push_back("WEFT_SIM_STATE=" + state_file);
  if (!o.scenario.empty()) env.push_back("WEFT_SCENARIO=" + o.scenario);
  if (!o.control.empty()) env.push_back("WEFT_SIM_CONTROL=" + o.control);
  if (o.trace) env.emplace_back("WEFT_SIM_TRACE=1");
  if (o.hold) env.emplace_back("WEFT_SIM_HOLD=1");
  return env;
}

// `name` as execvp would find it on PATH (resolved before fork: the child may only make async-signal-safe
// calls).
std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = (end > start ? dirs.substr(start, end - start) : ".") + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return name;
}

}  // namespace

namespace {

// The program being run, and a stop signal weft-sim received: forwarded to the program, and no restart after.
volatile std::sig_atomic_t g_child = 0;
volatile std::sig_atomic_t g_stop_signal = 0;

void forward_stop(int sig) {
  g_stop_signal = sig;
  const pid_t child = g_child;
  if (child > 0) kill(child, sig);
}

// Installs forward_stop for SIGTERM, SIGINT and SIGHUP while alive; the previous handlers come back after.
class StopForwarding {
 public:
  StopForwarding() {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = forward_stop;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i)
      sigaction(kSignals[i], &sa, &old_[i]);
  }
  ~StopForwarding() {
    for (std::size_t i = 0; i < kSignals.size(); ++i)
      sigaction(kSignals[i], &old_[i], nullptr);
  }
  StopForwarding(const StopForwarding&) = delete;
  StopForwarding& operator=(const StopForwarding&) = delete;

 private:
  static constexpr std::array<int, 3> kSignals{SIGTERM, SIGINT, SIGHUP};
  std::array<struct sigaction, 3> old_{};
};

}  // namespace

RunOutcome run_app(const RunOptions& o) {
  RunOutcome out;
  if (o.command.empty()) {
    out.exit_code = kExitUsage;
    out.error = "no program to run";
    return out;
  }
  if (!o.scenario.empty()) {
    std::string why;
    if (!Scenario::load(o.scenario, why)) {
      out.exit_code = kExitUsage;
      out.error = why;
      return out;
    }
  }
  std::string state_file = o.state_file;
  std::string temp_dir;
  if (state_file.empty()) {
    char dir[] = "/tmp/weft-sim-XXXXXX";
    if (mkdtemp(dir) == nullptr) {
      out.exit_code = kExitUsage;
      out.error = std::string("cannot create a temporary directory: ") + std::strerror(errno);
      return out;
    }
    temp_dir = dir;
    state_file = temp_dir + "/state";
  }
  std::ofstream(state_file, std::ios::trunc);  // a fresh world: power-on
  std::string program = find_program(o.command[0]);
  std::string cannot_start = "weft-sim: cannot start " + o.command[0] + " (not found or not executable)\n";
  std::vector<std::string> env = environment(o, state_file);
  std::vector<char*> argv, envp;
  for (const std::string& a : o.command)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (std::string& e : env)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  // `kill -TERM weft-sim` (or Ctrl-C, a closed terminal) ends the program too, and a weft-sim that dies
  // any other way takes it along (PR_SET_PDEATHSIG): never an orphan retrying forever.
  const StopForwarding forwarding;
  const pid_t runner = getpid();
  for (;;) {
    if (g_stop_signal != 0) {
      out.exit_code = 128 + g_stop_signal;
      break;
    }
    if (out.starts >= o.max_starts) {
      out.exit_code = kExitUsage;
      out.error =
          "the program power-cycled " + std::to_string(out.starts) + " times: stopped (raise --max-starts)";
      break;
    }
    ++out.starts;
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid < 0) {
      out.exit_code = kExitUsage;
      out.error = std::string("fork failed: ") + std::strerror(errno);
      break;
    }
    if (pid == 0) {  // async-signal-safe calls only: the parent may have other threads
      (void)prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != runner) _exit(128 + SIGTERM);  // weft-sim died before prctl took effect
      if (!o.output.empty()) {
        int fd = open(o.output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
          dup2(fd, 1);
          dup2(fd, 2);
        }
      }
      execve(program.c_str(), argv.data(), envp.data());
      (void)!write(2, cannot_start.data(), cannot_start.size());
      _exit(127);
    }
    g_child = pid;
    if (g_stop_signal != 0) kill(pid, g_stop_signal);  // arrived between fork() and the line above
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    g_child = 0;
    if (g_stop_signal != 0) continue;  // stopped: no restart, whatever the program's exit code
    if (WIFEXITED(status) && WEXITSTATUS(status) == kExitPowerCycle) continue;
    out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    break;
  }
  if (!temp_dir.empty()) {
    std::remove(state_file.c_str());
    std::remove((state_file + ".tmp").c_str());
    rmdir(temp_dir.c_str());
  }
  return out;
}

DeviceRun run_device(World& world, const std::function<Task<>()>& app, Micros until) {
  DeviceRun run;
  for (;;) {
    world.wake_if_asleep();
    if (world.finished() || world.now() >= until) break;
    SimClock clock(world);
    Loop loop(clock);
    JoinHandle<void> main = loop.spawn(app(), "app");
    Status s = loop.run_until(until == kForever ? kForever : until - world.boot_time());
    if (world.power_cycle_pending() && !world.finished()) continue;
    bool app_ended = s.error() == Errc::deadlock && main.done();  // and nothing else can happen
    run.status = world.finished() || app_ended ? Status{} : s;
    break;
  }
  run.boots = world.boots();
  return run;
}

}  // namespace weft::sim
