#include "linux/sim/state_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace weft::sim {
namespace {

std::string temp_path(const char* name) {
  return "/tmp/weft-state-" + std::to_string(getpid()) + "-" + name;
}

TEST(StateFile, KeepsEverythingAPowerCycleMustNotLose) {
  World::Snapshot s;
  s.clock = ClockMode::virtual_time;
  s.now = sec(12);
  s.asleep = true;
  s.wake_at = sec(22);
  s.next_cause = machine::ResetCause::deep_sleep;
  s.boots = 3;
  s.cursor = 7;
  s.adc = 700;
  s.drives[14] = Drive::low;
  AccessPoint ap;
  ap.ssid = "Home AP \"quoted\"";
  ap.password = "secret123";
  ap.bssid = {1, 2, 3, 4, 5, 6};
  ap.up = false;
  ap.address = IpAddress::v4(10, 0, 0, 9);
  s.aps.push_back(ap);
  s.ap_essid = "MicroPython-x";
  s.ap_password = "";
  s.rtc[0] = 'w';
  s.rtc[511] = 0xff;
  std::string path = temp_path("roundtrip");
  std::string why;
  ASSERT_TRUE(save_state(s, path, why)) << why;
  World::Snapshot back;
  bool exists = false;
  ASSERT_TRUE(load_state(path, back, exists, why)) << why;
  EXPECT_TRUE(exists);
  EXPECT_EQ(back.now, sec(12));
  EXPECT_TRUE(back.asleep);
  EXPECT_EQ(back.wake_at, sec(22));
  EXPECT_EQ(back.next_cause, machine::ResetCause::deep_sleep);
  EXPECT_EQ(back.boots, 3u);
  EXPECT_EQ(back.cursor, 7u);
  EXPECT_EQ(back.adc, 700);
  EXPECT_EQ(back.drives[14], Drive::low);
  ASSERT_EQ(back.aps.size(), 1u);
  EXPECT_EQ(back.aps[0].ssid, ap.ssid);
  EXPECT_EQ(back.aps[0].bssid, ap.bssid);
  EXPECT_FALSE(back.aps[0].up);
  EXPECT_EQ(back.aps[0].address, ap.address);
  EXPECT_EQ(back.ap_essid, "MicroPython-x");
  EXPECT_EQ(back.rtc, s.rtc);
  unlink(path.c_str());
}

TEST(StateFile, AMissingOrEmptyFileMeansPowerOn) {
  World::Snapshot s;
  bool exists = true;
  std::string why;
  EXPECT_TRUE(load_state(temp_path("missing"), s, exists, why));
  EXPECT_FALSE(exists);
  std::string path = temp_path("empty");
  std::ofstream(path).flush();
  EXPECT_TRUE(load_state(path, s, exists, why));
  EXPECT_FALSE(exists);
  unlink(path.c_str());
}

TEST(StateFile, RejectsAMalformedFileSayingWhere) {
  std::string path = temp_path("bad");
  std::ofstream(path) << "weft-sim-state 1\nboots many\n";
  World::Snapshot s;
  bool exists = false;
  std::string why;
  EXPECT_FALSE(load_state(path, s, exists, why));
  EXPECT_EQ(why, path + ":2: bad value for 'boots' (delete the file to power on afresh)");
  std::ofstream(path) << "hello\n";
  EXPECT_FALSE(load_state(path, s, exists, why));
  EXPECT_EQ(why, path + ":1: not a weft-sim state file (version 1) (delete the file to power on afresh)");
  unlink(path.c_str());
}

}  // namespace
}  // namespace weft::sim
