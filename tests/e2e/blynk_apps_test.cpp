// End to end: the demo apps on the simulated board, each in its own process, against the local cloud
// (weft-cloud) in another; curl's part is played by REST requests, the world is watched through the
// devices' control channels. And the `./weft sim` runner with each app's scenario file.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "e2e_support.hpp"

namespace weft::e2e {
namespace {

const std::string kSource = WEFT_SOURCE_DIR;
const std::string kGpioProject = kSource + "/apps/blynk_gpio/blynk_gpio.project";
const std::string kSensorProject = kSource + "/apps/blynk_sensor/blynk_sensor.project";
constexpr char kToken[] = "SensorDeviceToken000000000000001";

bool online(const CloudProcess& cloud, const std::string& token) {
  return http_get(cloud.http, "/" + token + "/isHardwareConnected").body == "true";
}

std::string value_of(const CloudProcess& cloud, const std::string& token, const std::string& pin) {
  HttpReply r = http_get(cloud.http, "/" + token + "/get/" + pin);
  return r.status == 200 ? r.body : "";
}

class BlynkGpio : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cloud.ok) << cloud.proc.output();
    ASSERT_EQ(cloud.tokens.size(), 2u);
    token = cloud.tokens[0];
    peer = cloud.tokens[1];
  }
  TempDir dir;
  CloudProcess cloud{dir, {"--project", kGpioProject}};
  std::string token, peer;
};

TEST_F(BlynkGpio, ARestUpdateOfV1RunsTheAppsHandlerAndTheLedFollows) {
  Device app(dir, "app", WEFT_BLYNK_GPIO_BIN, cloud.blynk, token, peer);
  ASSERT_TRUE(eventually([&] { return online(cloud, token); })) << app.proc.output();
  // V1 = 1 in the project: the app syncs it when it connects, and its handler lights the LED.
  EXPECT_TRUE(eventually([&] { return level(app.control_path, "GPIO4") == 1; })) << app.proc.output();
  EXPECT_EQ(http_get(cloud.http, "/" + token + "/update/V1?value=0").status, 200);
  EXPECT_TRUE(eventually([&] { return level(app.control_path, "GPIO4") == 0; })) << app.proc.output();
  EXPECT_NE(app.proc.output().find("V1 = 0 -> LED on GPIO4 off"), std::string::npos) << app.proc.output();
}

TEST_F(BlynkGpio, ARestUpdateOfAPhysicalPinDrivesTheGpioThroughGpioAuto) {
  Device app(dir, "app", WEFT_BLYNK_GPIO_BIN, cloud.blynk, token, peer);
  ASSERT_TRUE(eventually([&] { return online(cloud, token); })) << app.proc.output();
  EXPECT_EQ(http_get(cloud.http, "/" + token + "/update/D2?value=1").status, 200);
  EXPECT_TRUE(eventually([&] { return level(app.control_path, "GPIO2") == 1; })) << app.proc.output();
  EXPECT_EQ(http_get(cloud.http, "/" + token + "/update/D2?value=0").status, 200);
  EXPECT_TRUE(eventually([&] { return level(app.control_path, "GPIO2") == 0; })) << app.proc.output();
}

TEST_F(BlynkGpio, WhatTheAppWritesComesBackFromRestGet) {
  Device app(dir, "app", WEFT_BLYNK_GPIO_BIN, cloud.blynk, token, peer);
  ASSERT_TRUE(eventually([&] { return online(cloud, token); })) << app.proc.output();
  // The Ticker counts on V3 once a second; the LCD on V7 was printed at connect; the cloud reads V2 (uptime)
  // and D14 (the door contact, through gpio_auto) at the widgets' reading rates.
  EXPECT_TRUE(eventually([&] { return value_of(cloud, token, "V3") == "[\"2\"]"; }))
      << value_of(cloud, token, "V3");
  EXPECT_EQ(value_of(cloud, token, "V7"), R"(["p","0","0","weft blynk_gpio"])");
  EXPECT_TRUE(eventually([&] { return !value_of(cloud, token, "V2").empty(); }));
  control(app.control_path, R"({"op":"press","pin":"GPIO14"})");
  EXPECT_TRUE(eventually([&] { return value_of(cloud, token, "D14") == "[\"0\"]"; }))
      << value_of(cloud, token, "D14");
}

TEST_F(BlynkGpio, TheButtonNotifiesAndTheBridgeLightsTheSecondDevicesLed) {
  Device app(dir, "app", WEFT_BLYNK_GPIO_BIN, cloud.blynk, token, peer);
  Device other(dir, "peer", WEFT_BLYNK_GPIO_BIN, cloud.blynk, peer, token);
  ASSERT_TRUE(eventually([&] { return online(cloud, token) && online(cloud, peer); }));
  ASSERT_EQ(level(other.control_path, "GPIO4"), 0);  // the peer's V1 has no value: its LED is off
  control(app.control_path, R"({"op":"press","pin":"GPIO0"})");
  EXPECT_TRUE(eventually([&] { return level(other.control_path, "GPIO4") == 1; })) << other.proc.output();
  EXPECT_TRUE(eventually([&] { return value_of(cloud, token, "V4") == "[\"1\"]"; }));
  const std::string events = http_get(cloud.http, "/events?token=" + token).body;
  EXPECT_NE(events.find(R"("kind":"notify","text":"button pressed 1 times","status":"ok")"),
            std::string::npos)
      << events;
}

TEST_F(BlynkGpio, PressesInQuickSuccessionAreAllCountedOnV4) {
  Device app(dir, "app", WEFT_BLYNK_GPIO_BIN, cloud.blynk, token, peer);
  ASSERT_TRUE(eventually([&] { return online(cloud, token); })) << app.proc.output();
  // Five presses in one write: the board makes all ten edges before the button task runs again (it wakes
  // once); each press still counts.
  std::vector<std::string> clicks;
  for (int i = 0; i < 5; ++i) {
    clicks.emplace_back(R"({"op":"press","pin":"GPIO0"})");
    clicks.emplace_back(R"({"op":"release","pin":"GPIO0"})");
  }
  for (const std::string& reply : control_batch(app.control_path, clicks))
    ASSERT_NE(reply.find(R"("ok":true)"), std::string::npos) << reply;
  EXPECT_TRUE(eventually([&] { return value_of(cloud, token, "V4") == "[\"5\"]"; }))
      << value_of(cloud, token, "V4") << app.proc.output();
}

TEST(BlynkSensor, ReconnectsAndResyncsWhenTheLocalCloudRestarts) {
  TempDir dir;
  write_text(dir.file("one.project"), std::string("device sensor token ") + kToken + "\n  value V22 300\n");
  write_text(dir.file("two.project"), std::string("device sensor token ") + kToken + "\n  value V22 700\n");
  std::optional<CloudProcess> cloud(std::in_place, dir,
                                    std::vector<std::string>{"--project", dir.file("one.project")});
  ASSERT_TRUE(cloud->ok) << cloud->proc.output();
  const int port = cloud->port_number;
  const std::string server = cloud->blynk;
  Device app(dir, "app", WEFT_BLYNK_SENSOR_BIN, server, kToken);
  EXPECT_TRUE(eventually([&] { return pwm_duty(app.control_path, "GPIO5") == 300; })) << app.proc.output();

  EXPECT_EQ(cloud->proc.stop(), 0);  // SIGTERM: a clean stop
  cloud.emplace(dir, std::vector<std::string>{"--project", dir.file("two.project")}, port, "cloud2");
  ASSERT_TRUE(cloud->ok) << cloud->proc.output();
  // The device reconnects on its own (backoff) and syncs V22 again: the new cloud's value reaches the LED.
  EXPECT_TRUE(eventually([&] { return pwm_duty(app.control_path, "GPIO5") == 700; })) << app.proc.output();
  EXPECT_TRUE(eventually([&] { return !value_of(*cloud, kToken, "V5").empty(); }));  // and sends its readings
}

TEST(BlynkSensor, AnInvalidTokenStopsTheDeviceWithAClearMessage) {
  TempDir dir;
  CloudProcess cloud(dir, {"--project", kSensorProject});
  ASSERT_TRUE(cloud.ok) << cloud.proc.output();
  Device app(dir, "app", WEFT_BLYNK_SENSOR_BIN, cloud.blynk, "NotARegisteredToken0000000000000");
  EXPECT_EQ(app.proc.wait(10), 3) << app.proc.output();
  const std::string out = app.proc.output();
  const std::string token = "NotARegisteredToken0000000000000";
  // Both sides name the token by its first 4 characters and a hash (blynk/token_text.hpp), never in full.
  EXPECT_NE(out.find("rejected the token NotA\xE2\x80\xA6#"), std::string::npos) << out;
  EXPECT_NE(out.find("(INVALID_TOKEN): stopping"), std::string::npos) << out;
  EXPECT_EQ(out.find(token), std::string::npos) << out;
  const std::string cloud_log = cloud.proc.output();
  EXPECT_NE(cloud_log.find("unknown token NotA\xE2\x80\xA6#"), std::string::npos) << cloud_log;
  EXPECT_EQ(cloud_log.find(token), std::string::npos) << cloud_log;
}

TEST(WeftCloud, RefusesABadProjectFileNamingTheFileAndLine) {
  TempDir dir;
  write_text(dir.file("bad.project"), "device a\n  widget button V1 lable x\n");
  Child cloud({WEFT_CLOUD_BIN, "--project", dir.file("bad.project")}, {}, dir.file("cloud.log"));
  EXPECT_EQ(cloud.wait(10), 2);
  EXPECT_NE(
      cloud.output().find(
          "bad.project:2: unknown widget option 'lable' (options: label, mode, poll, min, max, action)"),
      std::string::npos)
      << cloud.output();
}

TEST(WeftCloud, KeepsPinValuesAcrossARestartWithAStateFile) {
  TempDir dir;
  const std::vector<std::string> args = {"--token", kToken, "--state", dir.file("cloud.state")};
  std::optional<CloudProcess> cloud(std::in_place, dir, args);
  ASSERT_TRUE(cloud->ok) << cloud->proc.output();
  EXPECT_EQ(http_get(cloud->http, std::string("/") + kToken + "/update/V7?value=kept&value=2").status, 200);
  EXPECT_EQ(cloud->proc.stop(), 0);
  cloud.emplace(dir, args, 0, "cloud2");
  ASSERT_TRUE(cloud->ok) << cloud->proc.output();
  EXPECT_EQ(value_of(*cloud, kToken, "V7"), R"(["kept","2"])");
}

// The runner (`./weft sim APP --scenario FILE` after the build) with each app's scenario file.
int run_sim(const TempDir& dir, const std::vector<std::string>& args, std::string& output) {
  std::vector<std::string> argv = {"/usr/bin/env", "python3", kSource + "/board/linux/cloud/run_sim.py"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--build-dir", WEFT_BUILD_DIR, "--port", "0", "--tls-port", "0", "--no-color"});
  Child runner(argv, {}, dir.file("runner.log"));
  const int status = runner.wait(30);
  output = runner.output();
  return status;
}

TEST(SimRunner, RunsBlynkGpioAndItsPeerWithTheScenarioAgainstTheLocalCloud) {
  TempDir dir;
  std::string out;
  EXPECT_EQ(
      run_sim(dir, {"blynk_gpio", "--peer", "--scenario", kSource + "/apps/blynk_gpio/blynk_gpio.scenario"},
              out),
      0)
      << out;
  EXPECT_NE(out.find("curl \"http://127.0.0.1:"), std::string::npos) << out;
  EXPECT_NE(out.find("./weft sim ctl 127.0.0.1:"), std::string::npos) << out;
  EXPECT_NE(out.find("blynk_gpio.scenario passed"), std::string::npos) << out;
  EXPECT_NE(out.find(" peer | "), std::string::npos) << out;
}

// `./weft sim blynk_gpio --tls`: both devices talk TLS to the cloud's TLS port, verified against the CA the
// runner made for this run.
TEST(SimRunner, RunsBlynkGpioOverTlsVerifiedAgainstTheLocalCaItMade) {
  TempDir dir;
  std::string out;
  EXPECT_EQ(run_sim(dir,
                    {"blynk_gpio", "--peer", "--tls", "--scenario",
                     kSource + "/apps/blynk_gpio/blynk_gpio.scenario"},
                    out),
            0)
      << out;
  EXPECT_NE(out.find("over TLS (verified against /tmp/weft-sim-"), std::string::npos) << out;
  EXPECT_NE(out.find("app | "), std::string::npos) << out;
  EXPECT_NE(out.find("I app: blynk_gpio connecting to localhost:"), std::string::npos) << out;
  EXPECT_NE(out.find("curl --cacert /tmp/weft-sim-"), std::string::npos) << out;
  EXPECT_NE(out.find("blynk_gpio.scenario passed"), std::string::npos) << out;
  EXPECT_EQ(out.find("tls: "), std::string::npos) << out;  // no TLS error or warning on either side
}

// The local CA: a certificate for localhost that openssl verifies against it; the server key mode 0600, the
// CA's key gone.
TEST(SimRunner, MakesALocalCaWhoseServerKeyOnlyItsUserCanRead) {
  TempDir dir;
  const std::string tls = dir.file("tls");
  const std::string make = "cd " + kSource +
                           "/board/linux/cloud && python3 -c 'import run_sim; run_sim.make_local_ca(\"" +
                           tls + "\")'";
  ASSERT_EQ(std::system(make.c_str()), 0);
  struct stat key {};
  ASSERT_EQ(stat((tls + "/server.key").c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);
  struct stat directory {};
  ASSERT_EQ(stat(tls.c_str(), &directory), 0);
  EXPECT_EQ(directory.st_mode & 0777, 0700u);
  EXPECT_NE(access((tls + "/ca.key").c_str(), F_OK), 0) << "the CA's key is deleted once it signed";
  const std::string verify = "openssl verify -CAfile " + tls + "/ca.pem -verify_hostname localhost " + tls +
                             "/server.pem >/dev/null 2>&1";
  EXPECT_EQ(std::system(verify.c_str()), 0);
}

TEST(SimRunner, RunsBlynkSensorWithItsScenarioAgainstTheLocalCloud) {
  TempDir dir;
  std::string out;
  EXPECT_EQ(
      run_sim(dir, {"blynk_sensor", "--scenario", kSource + "/apps/blynk_sensor/blynk_sensor.scenario"}, out),
      0)
      << out;
  EXPECT_NE(out.find("blynk_sensor.scenario passed"), std::string::npos) << out;
}

TEST(SimRunner, ReportsAFailedExpectationWithExitStatusOne) {
  TempDir dir;
  write_text(dir.file("wrong.scenario"),
             "at 2s expect pwm GPIO5 duty 100   # the cloud says 512\nat 2.5s end\n");
  std::string out;
  EXPECT_EQ(run_sim(dir, {"blynk_sensor", "--scenario", dir.file("wrong.scenario")}, out), 1) << out;
  EXPECT_NE(out.find("wrong.scenario:1: expectation failed"), std::string::npos) << out;
}

TEST(SimRunner, SaysWhatIsMissingForABadInvocation) {
  TempDir dir;
  std::string out;
  EXPECT_EQ(run_sim(dir, {"blynk_sensor", "--server", "127.0.0.1:1"}, out), 2) << out;
  EXPECT_NE(out.find("--server needs --token"), std::string::npos) << out;
}

// A process that no longer runs (gone, or a zombie waiting for init to reap it).
bool process_ended(int pid) {
  const std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t paren = stat.rfind(')');
  return stat.empty() || (paren != std::string::npos && stat.size() > paren + 2 && stat[paren + 2] == 'Z');
}

TEST(WeftSim, KillTermOnTheRunnerEndsTheAppProcessToo) {
  TempDir dir;
  const std::string pid_file = dir.file("app.pid");
  Child sim({WEFT_SIM_BIN, "--", "/bin/sh", "-c", "echo $$ > " + pid_file + "; exec sleep 600"}, {},
            dir.file("sim.log"));
  ASSERT_TRUE(eventually([&] { return read_text(pid_file).find('\n') != std::string::npos; }))
      << sim.output();
  const int app = std::atoi(read_text(pid_file).c_str());
  ASSERT_GT(app, 0);
  ASSERT_FALSE(process_ended(app));
  kill(sim.pid(), SIGTERM);  // the runner only, as `kill -TERM <pid of weft-sim>` does
  EXPECT_EQ(sim.wait(10), 128 + SIGTERM) << sim.output();
  EXPECT_TRUE(eventually([&] { return process_ended(app); })) << "the app process " << app << " was orphaned";
  if (!process_ended(app)) kill(app, SIGKILL);
}

}  // namespace
}  // namespace weft::e2e
