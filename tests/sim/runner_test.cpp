#include "linux/sim/runner.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace weft::sim {
namespace {

std::string temp_path(const std::string& name) {
  return "/tmp/weft-runner-" + std::to_string(getpid()) + "-" + name;
}

std::string write_file(const std::string& name, const std::string& text) {
  std::string path = temp_path(name);
  std::ofstream(path) << text;
  return path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

RunOptions options(std::vector<std::string> command, const std::string& scenario, const std::string& output) {
  RunOptions o;
  o.command = std::move(command);
  o.clock = ClockMode::virtual_time;
  o.scenario = scenario;
  o.output = output;
  unlink(output.c_str());
  return o;
}

TEST(RunApp, CarriesTheDeviceThroughDeepSleepsWithResetCauseAndRtcMemory) {
  std::string scenario = write_file("sleep.scenario",
                                    "at 0.05s expect reset_cause power_on\n"
                                    "at 5s expect asleep\n"
                                    "at 10.15s expect reset_cause deep_sleep\n"
                                    "at 10.15s expect boots 2\n"
                                    "at 25s expect boots 3\n"
                                    "at 25s expect awake\n");
  std::string output = temp_path("sleep.out");
  RunOutcome r = run_app(options({WEFT_DEEP_SLEEP_APP}, scenario, output));
  std::string out = read_file(output);
  EXPECT_EQ(r.exit_code, 0) << out;
  EXPECT_EQ(r.starts, 3);
  EXPECT_TRUE(contains(out, "boot 1 reset_cause power-on counter 1")) << out;
  EXPECT_TRUE(contains(out, "boot 2 reset_cause deep-sleep counter 2")) << out;
  EXPECT_TRUE(contains(out, "boot 3 reset_cause deep-sleep counter 3")) << out;
  EXPECT_TRUE(contains(out, "passed: 6 expectation(s) held, 0 action(s), 3 boot(s), ended at 25.000 s"))
      << out;
}

TEST(RunApp, WorksWithTheRealClockToo) {
  std::string scenario = write_file("real.scenario", "at 3s expect boots 3\n");
  std::string output = temp_path("real.out");
  RunOptions o = options({WEFT_DEEP_SLEEP_APP, "300"}, scenario, output);
  o.clock = ClockMode::real;
  RunOutcome r = run_app(o);
  EXPECT_EQ(r.exit_code, 0) << read_file(output);
  EXPECT_EQ(r.starts, 3);
}

TEST(RunApp, RunsBlinkPotWithItsScenario) {
  std::string output = temp_path("blink_pot.out");
  RunOutcome r =
      run_app(options({WEFT_BLINK_POT}, WEFT_SOURCE_DIR "/apps/blink_pot/blink_pot.scenario", output));
  std::string out = read_file(output);
  EXPECT_EQ(r.exit_code, 0) << out;
  EXPECT_TRUE(contains(out, "blink_pot.scenario passed: 9 expectation(s) held")) << out;
}

TEST(RunApp, ExitsNonZeroNamingTheFirstFailedExpectation) {
  std::string scenario = write_file("bad.scenario",
                                    "adc 700\n"
                                    "at 0.5s expect pwm GPIO5 duty 700\n"
                                    "at 2.5s expect pwm GPIO5 duty 100\n"
                                    "at 4.5s expect pwm GPIO5 duty 42\n");
  std::string output = temp_path("bad.out");
  RunOutcome r = run_app(options({WEFT_BLINK_POT}, scenario, output));
  std::string out = read_file(output);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(
      out, scenario + ":3: expectation failed at 2.500 s: `at 2.5s expect pwm GPIO5 duty 100`: duty 700"))
      << out;
  EXPECT_FALSE(contains(out, ":4:")) << "the run stops at the first failure";
}

TEST(RunApp, RejectsAMalformedScenarioBeforeStartingTheProgram) {
  std::string scenario = write_file("malformed.scenario", "adc 1\nat 1s blink GPIO2\n");
  std::string output = temp_path("malformed.out");
  RunOutcome r = run_app(options({WEFT_BLINK_POT}, scenario, output));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.starts, 0);
  EXPECT_EQ(
      r.error,
      scenario + ":2: unknown action 'blink': use press, release, set, adc, wifi, reset, expect or end");
}

TEST(RunApp, FailsWhenTheProgramEndsBeforeTheScenario) {
  std::string scenario = write_file("long.scenario", "at 30s expect pwm GPIO5 duty 0\n");
  std::string output = temp_path("long.out");
  RunOutcome r = run_app(options({WEFT_BLINK_POT, "5"}, scenario, output));  // blink_pot runs 5 s
  std::string out = read_file(output);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      contains(out, "the program exited at 5.000 s, before the scenario's end at 30.000 s (next: line 1"))
      << out;
}

// A control client: connects (retrying while the program starts), sends a line, reads one line back.
struct Tool {
  int fd = -1;
  bool connect_to(const std::string& path) {
    for (int i = 0; i < 1000 && fd < 0; ++i) {
      int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_un a{};
      a.sun_family = AF_UNIX;
      std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
      if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
        fd = s;
        timeval tv{30, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        return true;
      }
      close(s);
      usleep(10000);
    }
    return false;
  }
  std::string ask(const std::string& line) {
    std::string l = line + "\n";
    if (write(fd, l.data(), l.size()) != static_cast<ssize_t>(l.size())) return "(write failed)";
    std::string reply;
    char c;
    while (read(fd, &c, 1) == 1 && c != '\n')
      reply += c;
    return reply;
  }
  ~Tool() {
    if (fd >= 0) close(fd);
  }
};

TEST(RunApp, AControlClientStepsAHeldProgramInVirtualTime) {
  std::string output = temp_path("held.out");
  std::string sock = temp_path("held.sock");
  RunOptions o = options({WEFT_BLINK_POT}, WEFT_SOURCE_DIR "/apps/blink_pot/blink_pot.scenario", output);
  o.control = sock;
  o.hold = true;
  RunOutcome r;
  std::thread runner([&] { r = run_app(o); });
  Tool tool;
  ASSERT_TRUE(tool.connect_to(sock));
  EXPECT_EQ(tool.ask(R"({"op":"time"})"), R"({"ok":true,"t_us":0,"uptime_us":0})") << "held at the boot";
  EXPECT_EQ(tool.ask(R"({"op":"advance","ms":2500,"id":1})"), R"({"id":1,"ok":true,"t_us":2500000})");
  EXPECT_EQ(
      tool.ask(R"({"op":"pin","pin":"D1"})"),
      R"({"ok":true,"state":{"pin":5,"label":"D1","level":0,"mode":"pwm","pull":"none","drive":"float","pwm_duty":700,"irq":false}})");
  EXPECT_EQ(tool.ask(R"({"op":"run"})"), R"({"ok":true,"t_us":2500000})");
  runner.join();
  EXPECT_EQ(r.exit_code, 0) << read_file(output);
}

TEST(RunApp, ReportsAProgramThatCannotStart) {
  std::string output = temp_path("missing.out");
  RunOutcome r = run_app(options({"/nonexistent/program"}, "", output));
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_TRUE(contains(read_file(output), "cannot start /nonexistent/program"));
}

}  // namespace
}  // namespace weft::sim
