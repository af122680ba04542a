// The session's connection life: login (HW_LOGIN / legacy), the info message, events, invalid token,
// timeouts, redirect, reconnection with backoff, explicit connect/disconnect, bad configuration.
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace weft::blynk::test {
namespace {

using weft::test::LogCapture;

TEST_F(SessionTest, LogsInWithHwLoginIdOneAndTheToken) {
  start();
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    ServerConn sc(*e);
    Result<ServerFrame> login = co_await sc.next();
    CO_ASSERT(login);
    EXPECT_EQ(login->command, Command::hw_login);
    EXPECT_EQ(login->id, 1);
    EXPECT_EQ(login->body, kToken);
    EXPECT_EQ(t.blynk->state(), State::logging_in);
  }(*this));
}

TEST_F(SessionTest, SendsLegacyLoginWhenConfigured) {
  config.login = Login::legacy;
  start();
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    ServerConn sc(*e);
    Result<ServerFrame> login = co_await sc.next();
    CO_ASSERT(login);
    EXPECT_EQ(login->command, Command::login);
    EXPECT_EQ(login->id, 1);
    EXPECT_EQ(login->body, kToken);
  }(*this));
}

TEST_F(SessionTest, SendsTheInfoMessageRightAfterTheLoginIsAccepted) {
  start();
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    ServerConn sc(*e);
    {
      Status ok_ = co_await sc.accept_login();
      CO_ASSERT(ok_);
    }
    const ServerFrame& info = sc.info();
    EXPECT_EQ(info.command, Command::internal);
    EXPECT_EQ(info.id, 2);
    EXPECT_EQ(
        info.text(),
        "ver|weft-0.1|h-beat|45|buff-in|256|dev|ESP8266|fw-type|TMPL4abc123|fw|1.2.3|build|Jan 1 2025|tmpl|"
        "TMPL4abc123");
  }(*this));
}

TEST_F(SessionTest, ReportsConnectedThroughStateEventAndAwaitable) {
  int connected = 0;
  start().on_connected([&connected] { ++connected; });
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    ServerConn sc(*e);
    {
      Status ok_ = co_await sc.accept_login();
      CO_ASSERT(ok_);
    }
    Status s = co_await wait_for(t.blynk->wait_connected(), sec(1));
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(t.blynk->connected());
    EXPECT_EQ(t.blynk->state(), State::connected);
  }(*this));
  EXPECT_EQ(connected, 1);
}

TEST_F(SessionTest, TreatsAlreadyRegisteredAsLoggedIn) {
  start();
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    ServerConn sc(*e);
    {
      Status ok_ = co_await sc.accept_login(StatusCode::already_registered);
      CO_ASSERT(ok_);
    }
    EXPECT_EQ(sc.info().command, Command::internal);
    EXPECT_TRUE(t.blynk->connected());
  }(*this));
}

TEST_F(SessionTest, StopsOnInvalidTokenWithAClearErrorAndDoesNotRetry) {
  LogCapture log;
  int disconnects = 0;
  start().on_disconnected([&disconnects](DisconnectReason) { ++disconnects; });
  run(
      [](SessionTest& t) -> Task<> {
        Result<MemoryEnd> e = co_await t.server.accept();
        CO_ASSERT(e);
        ServerConn sc(*e);
        {
          Status ok_ = co_await sc.accept_login(StatusCode::invalid_token);
          CO_ASSERT(ok_);
        }
        {
          Status ok_ = co_await sc.wait_closed(sec(5));
          EXPECT_TRUE(ok_);
        }
        co_await sleep_ms(3600 * 1000);  // an hour: no retry storm
      }(*this),
      sec(7200));
  EXPECT_EQ(blynk->state(), State::auth_failed);
  EXPECT_EQ(blynk->last_disconnect(), DisconnectReason::invalid_token);
  EXPECT_EQ(net.attempts.size(), 1u);
  EXPECT_EQ(disconnects, 0);  // never connected: on_disconnected is for links that were up
  EXPECT_TRUE(log.contains("rejected the auth token (INVALID_TOKEN)"));
  EXPECT_TRUE(log.contains("not retrying until connect()"));
}

TEST_F(SessionTest, ReportsEveryStateChangeAndTheTokenRefusalAsEvents) {
  std::string states;
  int refusals = 0;
  Blynk& b = start();
  b.on_state_changed([&states](State s) {
    states += to_string(s);
    states += '|';
  });
  b.on_auth_failed([&refusals] { ++refusals; });
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    {
      ServerConn sc(*e);
      Status ok_ = co_await sc.accept_login(StatusCode::invalid_token);
      CO_ASSERT(ok_);
    }
    co_await sleep_ms(60 * 1000);
    EXPECT_TRUE(t.blynk->set_token(kOtherToken));
    t.blynk->connect();
    Result<MemoryEnd> e2 = co_await t.server.accept(sec(5));
    CO_ASSERT(e2);
    ServerConn sc2(*e2);
    Status ok_ = co_await sc2.accept_login();
    CO_ASSERT(ok_);
  }(*this));
  EXPECT_EQ(refusals, 1);
  // No transient "waiting to reconnect" between the refusal and auth failed.
  EXPECT_EQ(states, "connecting|logging in|auth failed|idle|connecting|logging in|connected|");
}

TEST_F(SessionTest, RetriesWithANewTokenAfterConnect) {
  start();
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    {
      ServerConn sc(*e);
      {
        Status ok_ = co_await sc.accept_login(StatusCode::invalid_token);
        CO_ASSERT(ok_);
      }
    }
    co_await sleep_ms(60 * 1000);
    EXPECT_EQ(t.blynk->state(), State::auth_failed);
    EXPECT_TRUE(t.blynk->set_token(kOtherToken));
    t.blynk->connect();
    Result<MemoryEnd> e2 = co_await t.server.accept(sec(5));
    CO_ASSERT(e2);
    ServerConn sc2(*e2);
    Result<ServerFrame> login = co_await sc2.next();
    CO_ASSERT(login);
    EXPECT_EQ(login->body, kOtherToken);
  }(*this));
}

TEST_F(SessionTest, RetriesAfterALoginRejectedForAnotherReason) {
  start();
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    ServerConn sc(*e);
    {
      Status ok_ = co_await sc.accept_login(StatusCode::server_exception);
      CO_ASSERT(ok_);
    }
    Result<MemoryEnd> e2 = co_await t.server.accept(sec(10));
    CO_ASSERT(e2);
    EXPECT_EQ(t.blynk->last_disconnect(), DisconnectReason::login_rejected);
  }(*this));
}

TEST_F(SessionTest, GivesUpOnAnUnansweredLoginAfterTheLoginTimeoutAndRetries) {
  start();
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    ServerConn sc(*e);
    Result<ServerFrame> login = co_await sc.next();
    CO_ASSERT(login);
    const Micros sent = t.now();
    {
      Status ok_ = co_await sc.wait_closed(sec(60));
      EXPECT_TRUE(ok_);
    }
    EXPECT_EQ(t.now() - sent, sec(6));  // the login timeout
    EXPECT_EQ(t.blynk->last_disconnect(), DisconnectReason::login_timeout);
    Result<MemoryEnd> e2 = co_await t.server.accept(sec(10));
    EXPECT_TRUE(e2);
  }(*this));
}

TEST_F(SessionTest, FollowsARedirectToTheNewServerAndLogsInThere) {
  net.listen("fra1.blynk.cloud", 8080);
  start();
  run([](SessionTest& t) -> Task<> {
    MemoryNetwork::Listener& fra1 = t.net.listen("fra1.blynk.cloud", 8080);
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    ServerConn sc(*e);
    Result<ServerFrame> login = co_await sc.next();
    CO_ASSERT(login);
    const Micros redirected_at = t.now();
    const std::string redirect = frame(Command::redirect, 1, {"fra1.blynk.cloud", "8080"});
    co_await sc.send(redirect);  // (GCC 12: no braced lists inside a co_await expression)
    Result<MemoryEnd> e2 = co_await fra1.accept(sec(5));
    CO_ASSERT(e2);
    EXPECT_EQ(t.now(), redirected_at);  // a first redirect is followed at once
    ServerConn sc2(*e2);
    {
      Status ok_ = co_await sc2.accept_login();
      CO_ASSERT(ok_);
    }
    EXPECT_TRUE(t.blynk->connected());
  }(*this));
  ASSERT_EQ(net.attempts.size(), 2u);
  EXPECT_EQ(net.attempts[1].target, "fra1.blynk.cloud:8080");
}

TEST_F(SessionTest, BacksOffFromAServerThatRedirectsEveryLoginToItself) {
  start();
  run([](SessionTest& t) -> Task<> {
    // For 10 virtual minutes, every login is answered with REDIRECT to the same server.
    const Micros end = t.now() + sec(600);
    while (t.now() < end) {
      Result<MemoryEnd> e = co_await t.server.accept(end - t.now());
      if (!e) break;
      ServerConn sc(*e);
      Result<ServerFrame> login = co_await sc.next();
      if (!login) continue;
      const std::string redirect = frame(Command::redirect, login->id, {"blynk.cloud", "80"});
      co_await sc.send(redirect);
    }
  }(*this));
  // Two redirects at once, then the backoff: 2, 4, ... 120 s (jittered down to half): 14 attempts at most
  // in 10 minutes, where following every redirect at once would make thousands.
  EXPECT_GE(net.attempts.size(), 5u);
  EXPECT_LE(net.attempts.size(), 20u) << "attempts in 10 minutes";
  EXPECT_EQ(blynk->last_disconnect(), DisconnectReason::redirected);
}

TEST_F(SessionTest, GivesUpOnAConnectThatIsNeverAnsweredAfterTheConnectTimeout) {
  net.blackhole("blynk.cloud", 80);
  start();
  run([](SessionTest& t) -> Task<> {
    co_await sleep_ms(10'500);
    EXPECT_EQ(t.blynk->last_disconnect(), DisconnectReason::connect_failed);
    EXPECT_EQ(t.blynk->state(), State::waiting);
    co_return;
  }(*this));
  ASSERT_GE(net.attempts.size(), 1u);
  EXPECT_EQ(net.attempts[0].at, 0);
}

TEST_F(SessionTest, ReportsAnUnknownHostAsResolveFailed) {
  LogCapture log;
  net.unknown_host("blynk.cloud");
  start();
  run([](SessionTest&) -> Task<> { co_await sleep_ms(100); }(*this));
  EXPECT_EQ(blynk->last_disconnect(), DisconnectReason::resolve_failed);
  EXPECT_TRUE(log.contains("cannot connect to blynk.cloud:80: "));
}

TEST_F(SessionTest, BacksOffExponentiallyWithJitterUpToTheCap) {
  net.refuse("blynk.cloud", 80);
  start();
  run([](SessionTest&) -> Task<> { co_await sleep_ms(20 * 60 * 1000); }(*this), sec(3600));
  ASSERT_GE(net.attempts.size(), 10u);
  // Delays: nominal 2, 4, 8, 16, 32, 64, 120, 120 ... s, each drawn from [nominal / 2, nominal].
  Micros nominal = sec(2);
  for (std::size_t i = 1; i < net.attempts.size(); ++i) {
    const Micros delay = net.attempts[i].at - net.attempts[i - 1].at;
    EXPECT_GE(delay, nominal / 2) << "attempt " << i;
    EXPECT_LE(delay, nominal) << "attempt " << i;
    nominal = std::min(nominal * 2, sec(120));
  }
  // Jitter: not all delays at the cap are equal.
  bool differ = false;
  for (std::size_t i = 9; i < net.attempts.size(); ++i) {
    differ |= (net.attempts[i].at - net.attempts[i - 1].at) != (net.attempts[8].at - net.attempts[7].at);
  }
  EXPECT_TRUE(differ);
}

TEST_F(SessionTest, StartsBackoffAgainFromTheMinimumAfterASuccessfulLogin) {
  net.refuse("blynk.cloud", 80);
  start();
  run([](SessionTest& t) -> Task<> {
    co_await sleep_ms(100 * 1000);  // several failures: the nominal delay grew
    EXPECT_GE(t.blynk->next_retry_nominal(), sec(32));
    MemoryNetwork::Listener& l = t.net.listen("blynk.cloud", 80);
    Result<MemoryEnd> e = co_await l.accept(sec(200));
    CO_ASSERT(e);
    ServerConn sc(*e);
    {
      Status ok_ = co_await sc.accept_login();
      CO_ASSERT(ok_);
    }
    EXPECT_EQ(t.blynk->next_retry_nominal(), sec(2));
    sc.close();
    const Micros dropped = t.now();
    Result<MemoryEnd> e2 = co_await l.accept(sec(10));
    CO_ASSERT(e2);
    EXPECT_LE(t.now() - dropped, sec(2));
  }(*this));
}

TEST_F(SessionTest, ReconnectsWhenTheServerClosesAndReportsWhy) {
  std::vector<DisconnectReason> reasons;
  start().on_disconnected([&reasons](DisconnectReason r) { reasons.push_back(r); });
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    {
      ServerConn sc(*e);
      {
        Status ok_ = co_await sc.accept_login();
        CO_ASSERT(ok_);
      }
      sc.close();
    }
    Result<MemoryEnd> e2 = co_await t.server.accept(sec(5));
    CO_ASSERT(e2);
    ServerConn sc2(*e2);
    {
      Status ok_ = co_await sc2.accept_login();
      CO_ASSERT(ok_);
    }
    EXPECT_TRUE(t.blynk->connected());
  }(*this));
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0], DisconnectReason::closed_by_server);
  EXPECT_EQ(blynk->stats().connects, 2u);
}

TEST_F(SessionTest, DisconnectGoesOfflineUntilConnect) {
  std::vector<DisconnectReason> reasons;
  start().on_disconnected([&reasons](DisconnectReason r) { reasons.push_back(r); });
  run([](SessionTest& t) -> Task<> {
    Result<MemoryEnd> e = co_await t.server.accept();
    CO_ASSERT(e);
    ServerConn sc(*e);
    {
      Status ok_ = co_await sc.accept_login();
      CO_ASSERT(ok_);
    }
    t.blynk->disconnect();
    {
      Status ok_ = co_await sc.wait_closed(sec(1));
      EXPECT_TRUE(ok_);
    }
    co_await sleep_ms(600 * 1000);
    EXPECT_EQ(t.blynk->state(), State::idle);
    EXPECT_EQ(t.net.attempts.size(), 1u);
    t.blynk->connect();
    Result<MemoryEnd> e2 = co_await t.server.accept(sec(1));
    EXPECT_TRUE(e2);
  }(*this));
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0], DisconnectReason::user);
}

TEST_F(SessionTest, RefusesATokenThatIsNot32CharactersBeforeSendingAnything) {
  LogCapture log;
  config.token = "tooShortToken";
  start();
  run([](SessionTest& t) -> Task<> {
    Status r = co_await t.session.join();
    EXPECT_EQ(r.error(), Errc::invalid_argument);
  }(*this));
  EXPECT_EQ(blynk->state(), State::bad_config);
  EXPECT_TRUE(net.attempts.empty());
  EXPECT_TRUE(log.contains("auth token must be exactly 32 characters: this one is shorter"));
  EXPECT_TRUE(log.contains("got 13 characters"));
}

TEST_F(SessionTest, RefusesATokenWithCharactersBlynkNeverUses) {
  LogCapture log;
  config.token = "abcdefghijklmnopqrstuvwxyz01234\n";
  start();
  run([](SessionTest& t) -> Task<> { (void)co_await t.session.join(); }(*this));
  EXPECT_EQ(blynk->state(), State::bad_config);
  EXPECT_TRUE(net.attempts.empty());
  EXPECT_FALSE(log.lines.empty());
}

TEST_F(SessionTest, RefusesAHeartbeatOutsideItsRange) {
  LogCapture log;
  config.heartbeat = sec(7200);
  start();
  run([](SessionTest& t) -> Task<> { (void)co_await t.session.join(); }(*this));
  EXPECT_EQ(blynk->state(), State::bad_config);
  EXPECT_TRUE(log.contains("heartbeat"));
  EXPECT_TRUE(net.attempts.empty());
}

TEST_F(SessionTest, SetTokenRefusesABadTokenAndKeepsTheOldOne) {
  LogCapture log;
  blynk.emplace(config, transport);
  EXPECT_EQ(blynk->set_token("short").error(), Errc::invalid_argument);
  EXPECT_EQ(blynk->config().token, kToken);
  EXPECT_TRUE(log.contains("set_token: auth token must be exactly 32 characters"));
}

}  // namespace
}  // namespace weft::blynk::test
