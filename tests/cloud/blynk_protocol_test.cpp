// The local cloud's Blynk side, against a device speaking the protocol by hand.
#include "cloud_test_support.hpp"

namespace weft::cloud::test {
namespace {

using blynk::Command;
using blynk::StatusCode;

class CloudLogin : public CloudTest {};
class CloudProtocol : public CloudTest {};
class CloudRouting : public CloudTest {};
class CloudRules : public CloudTest {};

Device& add(Store& store, const char* token, const char* name = "dev") {
  return *store.add(DeviceSpec{.name = name, .token = token});
}

TEST_F(CloudLogin, AcceptsAKnownTokenWithHwLogin) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    Result<StatusCode> s = co_await d.login(kTokenA);
    CO_ASSERT(s);
    EXPECT_EQ(*s, StatusCode::ok);
    EXPECT_TRUE(store.find(kTokenA)->online());
  }());
}

TEST_F(CloudLogin, AcceptsTheLegacyLogin) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    Result<StatusCode> s = co_await d.login(kTokenA, Command::login);
    CO_ASSERT(s);
    EXPECT_EQ(*s, StatusCode::ok);
  }());
}

TEST_F(CloudLogin, AnswersAnUnknownTokenWithInvalidTokenAndCloses) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    Result<StatusCode> s = co_await d.login(kTokenB);
    CO_ASSERT(s);
    EXPECT_EQ(*s, StatusCode::invalid_token);
    Status closed = co_await d.wait_closed();
    EXPECT_TRUE(closed.ok());
  }());
}

TEST_F(CloudLogin, AnswersAMalformedTokenWithInvalidToken) {
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    Result<StatusCode> s = co_await d.login("short");
    CO_ASSERT(s);
    EXPECT_EQ(*s, StatusCode::invalid_token);
  }());
}

TEST_F(CloudLogin, ClosesAConnectionThatSendsAnythingBeforeLoggingIn) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    CO_ASSERT(co_await d.send(Command::hardware, 1, "vw", "1", "2"));
    Status closed = co_await d.wait_closed();
    EXPECT_TRUE(closed.ok());
  }());
}

TEST_F(CloudLogin, ClosesAConnectionThatDoesNotLogInInTime) {
  add(store, kTokenA);
  start({.login_timeout = ms(300)});
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    Status closed = co_await d.wait_closed(sec(3));
    EXPECT_TRUE(closed.ok());
  }());
}

TEST_F(CloudLogin, SendsPinModesForThePhysicalWidgetsAfterLogin) {
  std::string error;
  std::optional<Project> p = Project::parse(
      "device d token AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
      "  widget button D2 mode out\n  widget display D14 mode pu\n  widget button V1\n",
      "test", error);
  ASSERT_TRUE(p) << error;
  ASSERT_TRUE(store.add_project(*p, error));
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    CO_ASSERT(co_await d.login(kTokenA));
    Result<Received> pm = co_await d.next_of(Command::hardware);
    CO_ASSERT(pm);
    EXPECT_EQ(pm->text(), "pm|2|out|14|pu");
  }());
}

TEST_F(CloudLogin, RedirectsADeviceThatHasARedirect) {
  Device& dev = add(store, kTokenA);
  dev.spec.redirect_host = "10.0.0.7";
  dev.spec.redirect_port = 9443;
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    CO_ASSERT(co_await d.send(Command::hw_login, 1, kTokenA));
    Result<Received> r = co_await d.next();
    CO_ASSERT(r);
    EXPECT_EQ(r->command, Command::redirect);
    EXPECT_EQ(r->text(), "10.0.0.7|9443");
    Status closed = co_await d.wait_closed();
    EXPECT_TRUE(closed.ok());
  }());
}

TEST_F(CloudLogin, RegistersUnknownTokensWhenAutoRegisterIsOn) {
  start({.auto_register = true});
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.connect(at()));
    Result<StatusCode> s = co_await d.login(kTokenB);
    CO_ASSERT(s);
    EXPECT_EQ(*s, StatusCode::ok);
    EXPECT_NE(store.find(kTokenB), nullptr);
  }());
}

TEST_F(CloudLogin, ASecondLoginOfTheSameDeviceReplacesTheFirst) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice first, second;
    CO_ASSERT(co_await first.come_online(at(), kTokenA));
    CO_ASSERT(co_await second.come_online(at(), kTokenA));
    Status closed = co_await first.wait_closed();
    EXPECT_TRUE(closed.ok());
    EXPECT_TRUE(store.find(kTokenA)->online());
  }());
}

TEST_F(CloudProtocol, AnswersPingWith200AndTheSameId) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::ping, 77));
    Result<Received> r = co_await d.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 77);
    EXPECT_EQ(r->status(), StatusCode::ok);
  }());
}

TEST_F(CloudProtocol, KeepsTheInfoMessage) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA, 30, 512));
    const Device& dev = *store.find(kTokenA);
    CO_ASSERT(dev.info.size() == 3u);
    EXPECT_EQ(dev.info[1].first, "h-beat");
    EXPECT_EQ(dev.info[1].second, "30");
    EXPECT_EQ(dev.connection->buff_in(), 512u);
  }());
}

TEST_F(CloudProtocol, AnswersRtcSyncWithTheEpochSecondsAndTheSameId) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::internal, 9, "rtc", "sync"));
    Result<Received> r = co_await d.next_of(Command::internal);
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 9);
    Result<std::int64_t> t = blynk::parse_rtc(r->body);
    CO_ASSERT(t);
    EXPECT_GT(*t, 1700000000);
  }());
}

TEST_F(CloudProtocol, StoresWhatTheDeviceWritesAndSyncsItBack) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::hardware, 3, "vw", "5", "21.5"));
    CO_ASSERT(co_await d.send(Command::hardware, 4, "vw", "6", "a", "b"));
    CO_ASSERT(co_await d.send(Command::hardware, 5, "dw", "2", "1"));
    CO_ASSERT(co_await d.send(Command::hardware_sync, 6, "vr", "6"));
    Result<Received> one = co_await d.next_of(Command::hardware);
    CO_ASSERT(one);
    EXPECT_EQ(one->text(), "vw|6|a|b");
    EXPECT_EQ(one->id, 6);
    CO_ASSERT(co_await d.send(Command::hardware_sync, 7));
    std::vector<std::string> all;
    for (int i = 0; i < 3; ++i) {
      Result<Received> r = co_await d.next_of(Command::hardware);
      CO_ASSERT(r);
      all.push_back(r->text());
    }
    EXPECT_EQ(all, (std::vector<std::string>{"dw|2|1", "vw|5|21.5", "vw|6|a|b"}));  // by pin: D, then V
  }());
}

TEST_F(CloudProtocol, AnswersAnUnknownHardwareOpWithIllegalCommand) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::hardware, 12, "xx", "1"));
    Result<Received> r = co_await d.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 12);
    EXPECT_EQ(r->status(), StatusCode::illegal_command);
    CO_ASSERT(co_await d.send(Command::hardware, 13, "vw", "abc"));
    r = co_await d.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->status(), StatusCode::illegal_command_body);
    CO_ASSERT(co_await d.send(static_cast<Command>(99), 14, "?"));
    r = co_await d.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->status(), StatusCode::illegal_command);
  }());
}

TEST_F(CloudProtocol, StoresPropertiesAndAnswers200) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::property, 8, "5", "color", "#D3435C"));
    Result<Received> r = co_await d.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->status(), StatusCode::ok);
    const std::string color = store.find(kTokenA)->properties[PinRef{PinType::virtual_pin, 5}]["color"];
    EXPECT_EQ(color, "#D3435C");
  }());
}

TEST_F(CloudProtocol, RecordsNotificationsAndRefusesOnesTooCloseTogether) {
  add(store, kTokenA);
  start({.notify_interval = sec(60)});
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::notify, 3, "door open"));
    CO_ASSERT(co_await d.send(Command::notify, 4, "door open again"));
    CO_ASSERT(co_await d.send(Command::email, 5, "me@x.org", "subject", "body"));
    CO_ASSERT(co_await d.send(Command::event_log, 6, "overheat", "81 C"));
    CO_ASSERT(co_await d.send(Command::notify, 7, ""));
    StatusCode answers[5];
    for (StatusCode& a : answers) {
      Result<Received> r = co_await d.next_of(Command::response);
      CO_ASSERT(r);
      a = r->status();
    }
    EXPECT_EQ(answers[0], StatusCode::ok);
    EXPECT_EQ(answers[1], StatusCode::quota_limit);
    EXPECT_EQ(answers[2], StatusCode::ok);
    EXPECT_EQ(answers[3], StatusCode::ok);
    EXPECT_EQ(answers[4], StatusCode::notification_invalid_body);
    const std::deque<CloudEvent>& e = store.events();
    CO_ASSERT(e.size() == 5u);
    EXPECT_EQ(e[0].kind, "notify");
    EXPECT_EQ(e[0].text, "door open");
    EXPECT_EQ(e[0].status, "ok");
    EXPECT_NE(e[1].status.find("QUOTA_LIMIT"), std::string::npos);
    EXPECT_EQ(e[2].text, "me@x.org | subject | body");
    EXPECT_EQ(e[3].kind, "log_event");
  }());
}

TEST_F(CloudRouting, AnAppWriteReachesTheDeviceAndIsStored) {
  Device& dev = add(store, kTokenA);
  start();
  run([this, &dev]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    std::string why;
    CO_ASSERT(cloud->app_write(dev, PinRef{PinType::virtual_pin, 1},
                               std::string("1\0"
                                           "2",
                                           3),
                               why));
    Result<Received> r = co_await d.next_of(Command::hardware);
    CO_ASSERT(r);
    EXPECT_EQ(r->text(), "vw|1|1|2");
    EXPECT_NE(r->id, 0);
    EXPECT_EQ((dev.values[PinRef{PinType::virtual_pin, 1}]), std::string("1\0"
                                                                         "2",
                                                                         3));
  }());
}

// The legacy server delivers a bridged write as BRIDGE (15) carrying the sender's message id.
TEST_F(CloudRouting, ABridgeDeliversToTheTargetDeviceAsBridgeWithTheSendersIdLikeTheLegacyServer) {
  add(store, kTokenA, "a");
  Device& b = add(store, kTokenB, "b");
  start();
  run([this, &b]() -> Task<> {
    RawDevice da, db;
    CO_ASSERT(co_await da.come_online(at(), kTokenA));
    CO_ASSERT(co_await db.come_online(at(), kTokenB));
    CO_ASSERT(co_await da.send(Command::bridge, 3, "64", "i", kTokenB));
    Result<Received> ok = co_await da.next_of(Command::response);
    CO_ASSERT(ok);
    EXPECT_EQ(ok->status(), StatusCode::ok);
    CO_ASSERT(co_await da.send(Command::bridge, 4, "64", "vw", "3", "open"));
    CO_ASSERT(co_await da.send(Command::bridge, 5, "64", "dw", "5", "1"));
    Result<Received> r = co_await db.next_of(Command::bridge);
    CO_ASSERT(r);
    EXPECT_EQ(r->text(), "vw|3|open");
    EXPECT_EQ(r->id, 4);
    r = co_await db.next_of(Command::bridge);
    CO_ASSERT(r);
    EXPECT_EQ(r->text(), "dw|5|1");
    EXPECT_EQ(r->id, 5);
    EXPECT_EQ((b.values[PinRef{PinType::virtual_pin, 3}]), "open");
  }());
}

TEST_F(CloudRouting, ABridgeWithoutItsTokenIsNotAllowedAndAnOfflineTargetIsNotInNetwork) {
  add(store, kTokenA, "a");
  add(store, kTokenB, "b");
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::bridge, 3, "1", "vw", "3", "x"));
    Result<Received> r = co_await d.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->status(), StatusCode::not_allowed);
    CO_ASSERT(co_await d.send(Command::bridge, 4, "1", "i", kTokenB));
    CO_ASSERT(co_await d.send(Command::bridge, 5, "1", "vw", "3", "x"));
    r = co_await d.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->status(), StatusCode::ok);
    r = co_await d.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 5);
    EXPECT_EQ(r->status(), StatusCode::device_not_in_network);
    CO_ASSERT(co_await d.send(Command::bridge, 6, "2", "i", "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"));
    r = co_await d.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->status(), StatusCode::invalid_token);
  }());
}

TEST_F(CloudRouting, DoesNotForwardAWriteLargerThanTheDevicesBuffIn) {
  Device& dev = add(store, kTokenA);
  start();
  run([this, &dev]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA, 45, 32));
    std::string why;
    Status big = cloud->app_write(dev, PinRef{PinType::virtual_pin, 1}, std::string(40, 'x'), why);
    EXPECT_EQ(big.error(), Errc::too_large);
    EXPECT_NE(why.find("32-byte buff-in"), std::string::npos) << why;
    CO_ASSERT(cloud->app_write(dev, PinRef{PinType::virtual_pin, 1}, "small", why));
    Result<Received> r = co_await d.next_of(Command::hardware);
    CO_ASSERT(r);
    EXPECT_EQ(r->text(), "vw|1|small");
    EXPECT_EQ(dev.stats.not_forwarded, 1u);
  }());
}

TEST_F(CloudRouting, ReadsWidgetsThatHaveAReadingRate) {
  Device& dev = add(store, kTokenA);
  dev.spec.widgets.push_back(Widget{.type = "display", .pin = {PinType::virtual_pin, 2}, .poll_s = 0.2});
  start();
  run([this, &dev]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    for (int i = 0; i < 2; ++i) {
      Result<Received> r = co_await d.next_of(Command::hardware);
      CO_ASSERT(r);
      EXPECT_EQ(r->text(), "vr|2");
      CO_ASSERT(co_await d.send(Command::hardware, r->id, "vw", "2", std::to_string(i)));
    }
    co_await sleep_ms(50);
    EXPECT_EQ((dev.values[PinRef{PinType::virtual_pin, 2}]), "1");
  }());
}

TEST_F(CloudRules, DisconnectsADeviceSilentForLongerThanItsHeartbeatTimesTheFactor) {
  add(store, kTokenA);
  start({.idle_factor = 1.5});
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA, 1));  // h-beat 1 s: dropped after 1.5 s of silence
    const Micros t0 = Loop::current().refresh_now();
    Status closed = co_await d.wait_closed(sec(6));
    EXPECT_TRUE(closed.ok());
    const Micros waited = Loop::current().refresh_now() - t0;
    EXPECT_GE(waited, ms(1400));
    EXPECT_FALSE(store.find(kTokenA)->online());
  }());
}

TEST_F(CloudRules, KeepsADeviceThatPingsWithinItsHeartbeat) {
  add(store, kTokenA);
  start({.idle_factor = 1.5});
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA, 1));
    for (std::uint16_t i = 0; i < 4; ++i) {
      co_await sleep_ms(500);
      CO_ASSERT(co_await d.send(Command::ping, static_cast<std::uint16_t>(10 + i)));
      Result<Received> r = co_await d.next_of(Command::response);
      CO_ASSERT(r);
    }
    EXPECT_TRUE(store.find(kTokenA)->online());
  }());
}

TEST_F(CloudRules, DropsMessagesOverTheQuotaAndSaysQuotaLimitOnce) {
  add(store, kTokenA);
  start({.quota_per_second = 5});
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    std::string burst;
    for (int i = 0; i < 20; ++i)
      burst += RawDevice::frame(Command::hardware, static_cast<std::uint16_t>(10 + i),
                                std::string("vw\0"
                                            "1\0",
                                            5) +
                                    std::to_string(i));
    CO_ASSERT(co_await d.send_raw(burst));
    Result<Received> r = co_await d.next_of(Command::response);
    CO_ASSERT(r);
    EXPECT_EQ(r->status(), StatusCode::quota_limit);
    EXPECT_EQ(r->id, 15);  // the sixth message: the first over a bucket of 5
    CO_ASSERT(co_await d.send(Command::ping, 99));
    r = co_await d.next_of(Command::response);  // PING is not counted: answered, no second QUOTA_LIMIT
    CO_ASSERT(r);
    EXPECT_EQ(r->id, 99);
    const Device& dev = *store.find(kTokenA);
    EXPECT_EQ((dev.values.at(PinRef{PinType::virtual_pin, 1})), "4");  // the last one let through
    EXPECT_GE(dev.stats.quota_dropped, 14u);
  }());
}

TEST_F(CloudRules, ClosesAConnectionThatAnnouncesAFrameOverTheLimit) {
  add(store, kTokenA);
  start({.max_body = 64});
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::hardware, 3, "vw", "1", std::string(100, 'x')));
    Status closed = co_await d.wait_closed();
    EXPECT_TRUE(closed.ok());
  }());
}

TEST_F(CloudRules, ClosesAConnectionThatSendsMessageIdZero) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    CO_ASSERT(co_await d.send(Command::ping, 0));
    Status closed = co_await d.wait_closed();
    EXPECT_TRUE(closed.ok());
  }());
}

TEST_F(CloudRules, StopClosesEveryConnectionAndRunReturns) {
  add(store, kTokenA);
  start();
  run([this]() -> Task<> {
    RawDevice d;
    CO_ASSERT(co_await d.come_online(at(), kTokenA));
    cloud->stop();
    Status closed = co_await d.wait_closed();
    EXPECT_TRUE(closed.ok());
    (void)co_await run_handle.join();
    EXPECT_FALSE(store.find(kTokenA)->online());
  }());
}

}  // namespace
}  // namespace weft::cloud::test
