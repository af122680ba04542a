#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../core/test_support.hpp"
#include "io_test_support.hpp"

namespace weft {
namespace {

using test::text;
using TcpListenerTest = test::IoTest;

Result<TcpListener> loopback_listener(int backlog = 16) {
  return TcpListener::listen(Endpoint::v4(127, 0, 0, 1, 0), backlog);
}

TEST_F(TcpListenerTest, ListensOnAnEphemeralPortAndReportsIt) {
  Result<TcpListener> l = loopback_listener();
  ASSERT_TRUE(l.ok());
  Result<Endpoint> at = l->local_endpoint();
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->address, IpAddress::loopback_v4());
  EXPECT_NE(at->port, 0);
  EXPECT_GE(l->native_handle(), 0);
}

TEST_F(TcpListenerTest, AcceptsAConnectionThatIsAlreadyWaiting) {
  Result<TcpListener> listener = loopback_listener();
  ASSERT_TRUE(listener.ok());
  int peer = test::raw_connect(*listener->local_endpoint());
  run([](TcpListener& l, int client) -> Task<> {
    Result<TcpStream> c = co_await l.accept();
    CO_ASSERT(c.ok());
    test::raw_send(client, "hi");
    char buf[2];
    EXPECT_TRUE((co_await c->read_exactly(buf)).ok());
    EXPECT_EQ(text(buf), "hi");
  }(*listener, peer));
  close(peer);
}

// An echo server: the accept loop spawns a task per connection.
Task<> echo(TcpStream s) {
  char buf[256];
  for (;;) {
    IoResult r = co_await s.read_some(buf);
    if (!r) co_return;
    if (!(co_await s.write_all({buf, r.count}))) co_return;
  }
}

Task<> accept_loop(TcpListener& l, int& accepted) {
  for (;;) {
    Result<TcpStream> c = co_await l.accept();
    if (!c) co_return;
    ++accepted;
    Loop::current().spawn(echo(std::move(*c)), "echo").detach();
  }
}

Task<> echo_client(Endpoint at, int id, int rounds, int& ok) {
  Result<TcpStream> s = co_await TcpStream::connect(at, sec(5));
  CO_ASSERT(s.ok());
  for (int i = 0; i < rounds; ++i) {
    std::string msg = "client " + std::to_string(id) + " round " + std::to_string(i) + ";";
    CO_ASSERT((co_await s->write_all(msg)).ok());
    std::string back(msg.size(), '\0');
    IoResult r = co_await s->read_exactly(back);
    CO_ASSERT(r.ok());
    EXPECT_EQ(back, msg);
  }
  ++ok;
}

TEST_F(TcpListenerTest, AnAcceptLoopServesManyConcurrentConnections) {
  constexpr int kClients = 200;
  Result<TcpListener> listener = loopback_listener(kClients);
  ASSERT_TRUE(listener.ok());
  int accepted_count = 0;
  int ok_count = 0;
  run([](TcpListener& l, int& accepted, int& ok) -> Task<> {
    Loop& here = Loop::current();
    auto server = here.spawn(accept_loop(l, accepted), "accept loop");
    std::vector<JoinHandle<void>> clients;
    for (int i = 0; i < kClients; ++i)
      clients.push_back(here.spawn(echo_client(*l.local_endpoint(), i, 5, ok)));
    for (auto& c : clients)
      co_await c.join();
    server.cancel();
    co_await server.join();
  }(*listener, accepted_count, ok_count));
  EXPECT_EQ(accepted_count, kClients);
  EXPECT_EQ(ok_count, kClients);
}

TEST_F(TcpListenerTest, ListeningWhereAnotherListenerIsFailsWithAClearMessage) {
  test::LogCapture log;
  Result<TcpListener> first = loopback_listener();
  ASSERT_TRUE(first.ok());
  Result<TcpListener> second = TcpListener::listen(*first->local_endpoint());
  EXPECT_EQ(second.error(), Errc::io_error);
  EXPECT_TRUE(log.contains("already in use"));
}

TEST_F(TcpListenerTest, ANegativeBacklogIsRejected) {
  test::LogCapture log;
  EXPECT_EQ(TcpListener::listen(Endpoint::v4(127, 0, 0, 1, 0), -1).error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("backlog"));
}

TEST_F(TcpListenerTest, ATimedOutAcceptTakesNoConnection) {
  Result<TcpListener> listener = loopback_listener();
  ASSERT_TRUE(listener.ok());
  run([](TcpListener& l) -> Task<> {
    Result<TcpStream> none = co_await wait_for(l.accept(), ms(20));
    EXPECT_EQ(none.error(), Errc::timed_out);
    int client = test::raw_connect(*l.local_endpoint());
    Result<TcpStream> c = co_await l.accept();
    EXPECT_TRUE(c.ok()) << "the next accept gets the connection";
    close(client);
  }(*listener));
}

TEST_F(TcpListenerTest, CancellingAWaitingAcceptLeavesTheListenerUsable) {
  Result<TcpListener> listener = loopback_listener();
  ASSERT_TRUE(listener.ok());
  run([](TcpListener& l) -> Task<> {
    auto acceptor = [](TcpListener& from, Errc& out) -> Task<> { out = (co_await from.accept()).error(); };
    Errc seen = Errc::ok;
    auto h = Loop::current().spawn(acceptor(l, seen), "acceptor");
    co_await sleep_ms(5);
    h.cancel();
    co_await h.join();
    EXPECT_EQ(seen, Errc::cancelled);
    int client = test::raw_connect(*l.local_endpoint());
    EXPECT_TRUE((co_await l.accept()).ok());
    close(client);
  }(*listener));
}

TEST_F(TcpListenerTest, ClosingTheListenerEndsAWaitingAcceptWithClosed) {
  Result<TcpListener> listener = loopback_listener();
  ASSERT_TRUE(listener.ok());
  run([](TcpListener& l) -> Task<> {
    auto closer = [](TcpListener& target) -> Task<> {
      co_await sleep_ms(5);
      target.close();
    };
    auto h = Loop::current().spawn(closer(l), "closer");
    EXPECT_EQ((co_await l.accept()).error(), Errc::closed);
    co_await h.join();
    EXPECT_EQ((co_await l.accept()).error(), Errc::closed);
    EXPECT_EQ(l.local_endpoint().error(), Errc::closed);
  }(*listener));
}

TEST_F(TcpListenerTest, ASecondConcurrentAcceptIsBusy) {
  Result<TcpListener> listener = loopback_listener();
  ASSERT_TRUE(listener.ok());
  run([](TcpListener& l) -> Task<> {
    auto acceptor = [](TcpListener& from) -> Task<> { (void)co_await from.accept(); };
    auto h = Loop::current().spawn(acceptor(l), "first");
    co_await sleep_ms(5);
    EXPECT_EQ((co_await l.accept()).error(), Errc::busy);
    h.cancel();
    co_await h.join();
  }(*listener));
}

TEST_F(TcpListenerTest, AcceptedStreamsOutliveTheirListener) {
  Result<TcpListener> listener = loopback_listener();
  ASSERT_TRUE(listener.ok());
  int peer = test::raw_connect(*listener->local_endpoint());
  run([](TcpListener& l, int client) -> Task<> {
    Result<TcpStream> c = co_await l.accept();
    CO_ASSERT(c.ok());
    l.close();
    test::raw_send(client, "still here");
    char buf[10];
    EXPECT_TRUE((co_await c->read_exactly(buf)).ok());
    EXPECT_EQ(text(buf), "still here");
  }(*listener, peer));
  close(peer);
}

}  // namespace
}  // namespace weft
