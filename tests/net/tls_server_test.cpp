// TlsStream's server side (accept with a TlsIdentity): against Python's ssl client and weft's own client,
// and a client that stalls or speaks no TLS; TlsIdentity's errors for bad certificate and key files.
#include <gtest/gtest.h>

#include <string>

#include "core/test_support.hpp"
#include "io/io_test_support.hpp"
#include "io/tcp_listener.hpp"
#include "net/tls/tls_identity.hpp"
#include "net/tls/tls_stream.hpp"
#include "tls_test_certs.hpp"

namespace weft::net {
namespace {

using test::LogCapture;

std::string joined(const LogCapture& log) {
  std::string all;
  for (const std::string& l : log.lines)
    all += l + "\n";
  return all;
}

std::string cert(const char* name) {
  return test::tls_cert_dir() + "/" + name;
}

class TlsServerTest : public test::IoTest {
 public:
  void SetUp() override {
    ASSERT_TRUE(identity.load_files(cert("server.pem").c_str(), cert("server.key").c_str()).ok());
    Result<TcpListener> l = TcpListener::listen(Endpoint::v4(127, 0, 0, 1, 0));
    ASSERT_TRUE(l.ok());
    listener = std::move(*l);
    port = listener.local_endpoint()->port;
  }
  // Accepts one connection and answers each line with "echo: <line>" until the client closes.
  Task<Status> echo_one(Micros handshake_timeout = sec(10)) {
    Result<TcpStream> c = co_await listener.accept();
    if (!c) co_return c.error();
    TlsStream tls;
    Status s = co_await tls.accept(std::move(*c), identity, handshake_timeout);
    if (!s) co_return s;
    std::string line;
    for (;;) {
      char buf[4096];
      Result<IoResult> r = co_await tls.read_some(buf, sec(10));
      if (!r || !*r) break;
      line.append(buf, r->count);
      for (std::size_t nl = line.find('\n'); nl != std::string::npos; nl = line.find('\n')) {
        Result<IoResult> w = co_await tls.write_all("echo: " + line.substr(0, nl + 1), sec(10));
        if (!w || !*w) co_return Errc::io_error;
        line.erase(0, nl + 1);
      }
    }
    co_return Status{};
  }
  // echo_one() in a task of its own, which expects it to succeed.
  Task<> serve_one() {
    Status s = co_await echo_one();
    EXPECT_TRUE(s.ok()) << to_string(s.error());
  }
  TlsIdentity identity;
  TcpListener listener;
  std::uint16_t port = 0;
};

TEST_F(TlsServerTest, APythonSslClientVerifiesTheServerAndTalksToIt) {
  run([](TlsServerTest& t) -> Task<> {
    Loop::current().spawn(t.serve_one());
    const std::string cmd = std::string(WEFT_PYTHON3) + " " + WEFT_TLS_CLIENT + " --port " +
                            std::to_string(t.port) + " --ca " + cert("ca.pem") + " --send 'hello tls\n'";
    Result<test::CommandResult> r = co_await test::run_command(cmd);
    CO_ASSERT(r.ok());
    EXPECT_EQ(r->status, 0) << r->output;
    EXPECT_NE(r->output.find("echo: hello tls\n"), std::string::npos) << r->output;
    EXPECT_NE(r->output.find("TLSv1.2"), std::string::npos) << r->output;
  }(*this));
}

TEST_F(TlsServerTest, WeftsClientGetsTheMaxFragmentItAsksFor) {
  run([](TlsServerTest& t) -> Task<> {
    Loop::current().spawn(t.serve_one());
    TlsTrust ca;
    CO_ASSERT(ca.add_file(cert("ca.pem").c_str()).ok());
    TlsStream tls;
    Status s =
        co_await tls.connect("localhost", t.port, sec(5), TlsConfig{.trust = &ca, .max_fragment = 512});
    CO_ASSERT(s.ok());
    EXPECT_EQ(tls.max_record(), 512u);
    const std::string big = std::string(3000, 'x') + "\n";  // six records each way
    Result<IoResult> w = co_await tls.write_all(big, sec(5));
    CO_ASSERT(w.ok() && w->ok());
    std::string got;
    while (got.size() < big.size() + 6) {
      char buf[700];
      Result<IoResult> r = co_await tls.read_some(buf, sec(5));
      CO_ASSERT(r.ok() && r->ok());
      EXPECT_LE(r->count, 512u);
      got.append(buf, r->count);
    }
    EXPECT_EQ(got, "echo: " + big);
  }(*this));
}

TEST_F(TlsServerTest, AClientThatStallsOrSpeaksNoTlsEndsTheHandshakeWithAReason) {
  LogCapture log;
  run([](TlsServerTest& t) -> Task<> {
    Result<TcpStream> stalled = co_await TcpStream::connect(Endpoint::v4(127, 0, 0, 1, t.port), sec(5));
    CO_ASSERT(stalled.ok());
    Status s = co_await t.echo_one(ms(300));
    EXPECT_EQ(s.error(), Errc::timed_out);

    Result<TcpStream> plain = co_await TcpStream::connect(Endpoint::v4(127, 0, 0, 1, t.port), sec(5));
    CO_ASSERT(plain.ok());
    IoResult w = co_await plain->write_all("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    CO_ASSERT(w.ok());
    Status refused = co_await t.echo_one();
    EXPECT_EQ(refused.error(), Errc::tls_error);
  }(*this));
  EXPECT_TRUE(log.contains("tls: handshake with 127.0.0.1:")) << joined(log);
  EXPECT_TRUE(log.contains("timed out")) << joined(log);
}

TEST(TlsIdentity, MissingUnreadableOrMismatchedFilesAreClearErrors) {
  struct Case {
    std::string cert_file;
    std::string key_file;
    Errc error;
    const char* log_line;
  };
  const Case cases[] = {
      {cert("nowhere.pem"), cert("server.key"), Errc::io_error,
       "cannot open the certificate file /tmp/weft-tls-test-"},
      {cert("server.pem"), cert("nowhere.key"), Errc::io_error, "nowhere.key: No such file or directory"},
      {cert("server.key"), cert("server.key"), Errc::invalid_argument, "holds no usable PEM certificate"},
      {cert("server.pem"), cert("ca.pem"), Errc::invalid_argument, "is not an unencrypted PEM private key"},
      {cert("server.pem"), cert("ecdsa.key"), Errc::invalid_argument, "ecdsa.key is not the key of"},
      {cert("server.pem"), cert("ca.key"), Errc::invalid_argument, "(they do not match"},
  };
  for (const Case& c : cases) {
    LogCapture log;
    TlsIdentity identity;
    EXPECT_EQ(identity.load_files(c.cert_file.c_str(), c.key_file.c_str()).error(), c.error) << c.log_line;
    EXPECT_FALSE(identity.ready());
    EXPECT_TRUE(log.contains(c.log_line)) << joined(log);
  }
  TlsIdentity good;
  EXPECT_TRUE(good.load_files(cert("ecdsa.pem").c_str(), cert("ecdsa.key").c_str()).ok());
  EXPECT_TRUE(good.ready());
}

}  // namespace
}  // namespace weft::net
