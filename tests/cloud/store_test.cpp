// Store: values kept as on the wire, bounded events, and the state file a restarted cloud reads back.
#include "store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace weft::cloud {
namespace {

std::string temp_file(const char* name) {
  return "/tmp/weft-store-" + std::to_string(getpid()) + "-" + name;
}

TEST(Store, RefusesASecondDeviceWithTheSameToken) {
  Store s;
  ASSERT_NE(s.add(DeviceSpec{.name = "a", .token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}), nullptr);
  EXPECT_EQ(s.add(DeviceSpec{.name = "b", .token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}), nullptr);
  EXPECT_EQ(s.find("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")->name(), "a");
  EXPECT_EQ(s.find("nope"), nullptr);
}

TEST(Store, GeneratesDistinctWellFormedTokens) {
  const std::string a = Store::generate_token(), b = Store::generate_token();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            std::string::npos);
}

TEST(Store, KeepsOnlyTheNewestEvents) {
  Store s;
  for (std::size_t i = 0; i < Store::kMaxEvents + 5; ++i)
    s.record(CloudEvent{.seq = 0,
                        .unix_ms = 0,
                        .device = "d",
                        .token = "t",
                        .kind = "notify",
                        .text = std::to_string(i),
                        .status = "ok"});
  EXPECT_EQ(s.events().size(), Store::kMaxEvents);
  EXPECT_EQ(s.events().front().text, "5");
  EXPECT_EQ(s.events().back().seq, Store::kMaxEvents + 5);
}

TEST(Store, ARestartedStoreReadsBackValuesPropertiesAndDevices) {
  const std::string path = temp_file("state");
  {
    Store s;
    Device* d = s.add(DeviceSpec{.name = "a\tb", .token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"});
    s.set_value(*d, PinRef{PinType::virtual_pin, 1}, std::string("x\ty\0z\\n", 7));
    s.set_value(*d, PinRef{PinType::digital, 2}, "1");
    std::string why;
    EXPECT_TRUE(s.set_property(*d, PinRef{PinType::virtual_pin, 1}, "label", "new\nline", why));
    EXPECT_TRUE(s.dirty());
    std::string error;
    ASSERT_TRUE(s.save(path, error)) << error;
    EXPECT_FALSE(s.dirty());
  }
  Store s;
  std::string error;
  ASSERT_TRUE(s.load(path, error)) << error;
  Device* d = s.find("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->name(), "a\tb");
  EXPECT_EQ(d->values.at(PinRef{PinType::virtual_pin, 1}), std::string("x\ty\0z\\n", 7));
  EXPECT_EQ(d->values.at(PinRef{PinType::digital, 2}), "1");
  EXPECT_EQ(d->properties.at(PinRef{PinType::virtual_pin, 1}).at("label"), "new\nline");
  std::remove(path.c_str());
}

TEST(Store, BoundsPropertyNamesSoTheStateStaysSmall) {
  Store s;
  Device* d = s.add(DeviceSpec{.name = "a", .token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"});
  std::string why;
  const PinRef v1{PinType::virtual_pin, 1};
  EXPECT_FALSE(s.set_property(*d, v1, std::string(Store::kMaxPropertyName + 1, 'n'), "x", why));
  EXPECT_NE(why.find("at most"), std::string::npos) << why;
  for (std::size_t i = 0; i < Store::kMaxPropertiesPerDevice; ++i)
    ASSERT_TRUE(s.set_property(*d, PinRef{PinType::virtual_pin, static_cast<std::uint8_t>(i % 200)},
                               "p" + std::to_string(i), "x", why))
        << why;
  EXPECT_FALSE(s.set_property(*d, v1, "one-more", "x", why));
  EXPECT_NE(why.find("the most it may have"), std::string::npos) << why;
  EXPECT_FALSE(d->properties.at(v1).contains("one-more"));
  EXPECT_TRUE(s.set_property(*d, v1, "p1", "changed", why));  // a known name: still fine
}

TEST(Store, IsDirtyOnlyWhenAValueOrPropertyChanged) {
  const std::string path = temp_file("dirty");
  Store s;
  Device* d = s.add(DeviceSpec{.name = "a", .token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"});
  std::string why, error;
  s.set_value(*d, PinRef{PinType::virtual_pin, 1}, "5");
  ASSERT_TRUE(s.set_property(*d, PinRef{PinType::virtual_pin, 1}, "label", "L", why));
  ASSERT_TRUE(s.save(path, error)) << error;
  s.set_value(*d, PinRef{PinType::virtual_pin, 1}, "5");
  ASSERT_TRUE(s.set_property(*d, PinRef{PinType::virtual_pin, 1}, "label", "L", why));
  EXPECT_FALSE(s.dirty());  // the same again: nothing to write
  s.set_value(*d, PinRef{PinType::virtual_pin, 2}, "");
  EXPECT_TRUE(s.dirty());  // a new pin, even empty
  std::remove(path.c_str());
}

TEST(Store, AMissingStateFileIsAFreshStartAndABadOneIsReported) {
  Store s;
  std::string error;
  EXPECT_TRUE(s.load(temp_file("missing"), error));
  const std::string path = temp_file("bad");
  std::ofstream(path) << "# comment\nq\tsomething\n";
  EXPECT_FALSE(s.load(path, error));
  EXPECT_EQ(error, path + ":2: expected a `d`, `v` or `p` line (delete the file to start afresh)");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace weft::cloud
