// TlsStream and https:// against TLS servers weft did not write (tls_server.py: `openssl s_server` and
// Python's ssl module), with certificates made at test time (make_test_certs.sh).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "blynk/tls_transport.hpp"
#include "core/test_support.hpp"
#include "http_receiver.hpp"
#include "io/io_test_support.hpp"
#include "io/resolver.hpp"
#include "net/http/client.hpp"
#include "net/tls/tls_stream.hpp"
#include "server_process.hpp"
#include "tls_test_certs.hpp"

namespace weft::net {
namespace {

using test::LogCapture;

const std::string& cert_dir() {
  return test::tls_cert_dir();
}

// One tls_server.py process (MODE, a certificate of make_test_certs.sh), stopped with the test.
class TlsServer : public test::ServerProcess {
 public:
  TlsServer(const char* mode, const std::string& cert)
      : ServerProcess({WEFT_PYTHON3, WEFT_TLS_SERVER, mode, "--cert", cert_dir() + "/" + cert + ".pem",
                       "--key", cert_dir() + "/" + cert + ".key"}) {}
};

class TlsTest : public test::IoTest {
 public:
  void SetUp() override {
    ASSERT_TRUE(trust.add_file((cert_dir() + "/ca.pem").c_str()).ok());
    config.trust = &trust;
  }
  // Connects to 127.0.0.1:port and handshakes, verifying the name `host`.
  Task<Status> open(TlsStream& tls, std::uint16_t port, std::string_view host = "localhost") {
    Result<TcpStream> tcp = co_await TcpStream::connect(Endpoint::v4(127, 0, 0, 1, port), sec(5));
    if (!tcp) co_return tcp.error();
    Status s = co_await tls.handshake(std::move(*tcp), host, config);
    co_return s;
  }
  TlsTrust trust;
  TlsConfig config;
};

// Writes a line and reads the echo, one read_some at a time, until its newline.
Task<std::string> echo(TlsStream& tls, std::string_view line) {
  Result<IoResult> w = co_await tls.write_all(line, sec(5));
  if (!w || !*w) co_return "write failed";
  std::string got;
  while (got.find('\n') == std::string::npos) {
    char buf[64];
    Result<IoResult> r = co_await tls.read_some(buf, sec(5));
    if (!r || !*r) co_return got + "<" + to_string(r ? r->error : r.error()) + ">";
    got.append(buf, r->count);
  }
  co_return got;
}

TEST_F(TlsTest, TalksToOpensslSServerWithAVerifiedCertificate) {
  TlsServer server("openssl", "server");
  ASSERT_NE(server.port(), 0);
  run([](TlsTest& t, std::uint16_t port) -> Task<> {
    TlsStream tls;
    Status s = co_await t.open(tls, port);
    CO_ASSERT(s.ok());
    Result<IoResult> w = co_await tls.write_all("GET / HTTP/1.0\r\n\r\n");
    CO_ASSERT(w.ok() && w->ok());
    std::string page;
    for (;;) {
      char buf[512];
      Result<IoResult> r = co_await tls.read_some(buf, sec(5));
      CO_ASSERT(r.ok());
      if (!*r) {
        EXPECT_EQ(r->error, Errc::closed);
        break;
      }
      page.append(buf, r->count);
    }
    EXPECT_EQ(page.rfind("HTTP/1.0 200 ok", 0), 0u) << page.substr(0, 80);
  }(*this, server.port()));
}

TEST_F(TlsTest, RefusesAWrongHostAnExpiredCertificateAndAnUnknownCaAndSaysWhich) {
  struct Case {
    const char* cert;
    const char* host;
    Errc error;
    const char* log_line;
  };
  const Case cases[] = {
      {"server", "blynk.example", Errc::cert_wrong_host,
       "tls: the certificate of blynk.example is for another host"},
      {"expired", "localhost", Errc::cert_expired, "tls: the certificate of localhost is expired"},
      {"stranger", "localhost", Errc::cert_untrusted, "tls: the certificate of localhost is untrusted"},
  };
  for (const Case& c : cases) {
    TlsServer server("openssl", c.cert);
    ASSERT_NE(server.port(), 0) << server.error();
    LogCapture log;
    run([](TlsTest& t, std::uint16_t port, Case k) -> Task<> {
      TlsStream tls;
      Status s = co_await t.open(tls, port, k.host);
      EXPECT_EQ(s.error(), k.error) << k.cert;
      EXPECT_FALSE(tls.is_open());
    }(*this, server.port(), c));
    EXPECT_TRUE(log.contains(c.log_line)) << c.cert;
  }
}

TEST_F(TlsTest, InsecureMustBeSpelledOutAndIsLoggedLoudly) {
  TlsServer server("openssl", "stranger");
  ASSERT_NE(server.port(), 0);
  LogCapture log;
  run([](TlsTest& t, std::uint16_t port) -> Task<> {
    t.config.insecure = true;
    TlsStream tls;
    Status s = co_await t.open(tls, port);
    EXPECT_TRUE(s.ok());
  }(*this, server.port()));
  EXPECT_TRUE(log.contains("tls: INSECURE connection to localhost: the certificate is NOT verified"));
}

TEST_F(TlsTest, AServerStallingMidHandshakeTimesOut) {
  TlsServer server("stall", "server");
  ASSERT_NE(server.port(), 0);
  LogCapture log;
  run([](TlsTest& t, std::uint16_t port) -> Task<> {
    t.config.handshake_timeout = ms(300);
    TlsStream tls;
    Status s = co_await t.open(tls, port);
    EXPECT_EQ(s.error(), Errc::timed_out);
    EXPECT_FALSE(tls.is_open());
  }(*this, server.port()));
  EXPECT_TRUE(log.contains("tls: handshake with localhost timed out"));
}

TEST_F(TlsTest, EchoesOverPythonsSslAndAsksForSmallRecords) {
  TlsServer server("echo", "ecdsa");
  ASSERT_NE(server.port(), 0);
  run([](TlsTest& t, std::uint16_t port) -> Task<> {
    t.config.max_fragment = 2048;
    TlsStream tls;
    Status s = co_await t.open(tls, port);
    CO_ASSERT(s.ok());
    EXPECT_LE(tls.max_record(), 2048u);
    Result<std::string> got = co_await echo(tls, "hello over tls\n");
    EXPECT_EQ(*got, "echo: hello over tls\n");
    std::string big(5000, 'x');  // more than one 2 KB record each way
    got = co_await echo(tls, big + "\n");
    EXPECT_EQ(*got, "echo: " + big + "\n");
  }(*this, server.port()));
}

TEST_F(TlsTest, SurvivesOneByteTcpSegmentsFromTheServer) {
  TlsServer server("frag", "server");
  ASSERT_NE(server.port(), 0);
  run([](TlsTest& t, std::uint16_t port) -> Task<> {
    TlsStream tls;
    Status s = co_await t.open(tls, port);
    CO_ASSERT(s.ok());
    Result<std::string> got = co_await echo(tls, "one byte at a time\n");
    EXPECT_EQ(*got, "echo: one byte at a time\n");
  }(*this, server.port()));
}

TEST_F(TlsTest, AServerClosingMidRecordEndsTheReadWithAnError) {
  TlsServer server("cut", "server");
  ASSERT_NE(server.port(), 0);
  run([](TlsTest& t, std::uint16_t port) -> Task<> {
    TlsStream tls;
    Status s = co_await t.open(tls, port);
    CO_ASSERT(s.ok());
    char buf[256];
    Result<IoResult> r = co_await tls.read_some(buf, sec(5));
    CO_ASSERT(r.ok());
    EXPECT_EQ(r->count, 0u);  // half a record is never handed out
    EXPECT_TRUE(r->error == Errc::closed || r->error == Errc::reset) << to_string(r->error);
  }(*this, server.port()));
}

TEST_F(TlsTest, AReadTimeoutKeepsTheSessionUsable) {
  TlsServer server("echo", "server");
  ASSERT_NE(server.port(), 0);
  run([](TlsTest& t, std::uint16_t port) -> Task<> {
    TlsStream tls;
    Status s = co_await t.open(tls, port);
    CO_ASSERT(s.ok());
    char buf[16];
    Result<IoResult> r = co_await tls.read_some(buf, ms(50));  // nothing was asked: nothing comes
    CO_ASSERT(r.ok());
    EXPECT_EQ(r->error, Errc::timed_out);
    Result<std::string> got = co_await echo(tls, "still there\n");
    EXPECT_EQ(*got, "echo: still there\n");
  }(*this, server.port()));
}

TEST_F(TlsTest, ABadPemOrMaxFragmentIsAClearError) {
  LogCapture log;
  TlsTrust empty;
  EXPECT_EQ(empty.add_pem("not a certificate").error(), Errc::invalid_argument);
  EXPECT_TRUE(log.contains("tls: no CA certificate in the PEM text"));
  run([](TlsTest& t) -> Task<> {
    t.config.max_fragment = 1000;
    TlsStream tls;
    Status s = co_await tls.handshake(TcpStream{}, "localhost", t.config);
    EXPECT_EQ(s.error(), Errc::invalid_argument);
  }(*this));
  EXPECT_TRUE(log.contains("tls: max_fragment 1000 is not one of 0, 512, 1024, 2048, 4096"));
}

TEST_F(TlsTest, HttpClientPostsToAnHttpsUrlAndFollowsTheVerification) {
  test::HttpReceiver server(cert_dir() + "/server");
  ASSERT_TRUE(server.started()) << server.error();
  const std::string url = server.url("/trigger/button_pressed");
  run([](TlsTest& t, std::string u) -> Task<> {
    char buffer[1024];
    HttpOptions options;
    options.tls = &t.config;
    HttpClient http(buffer, options);
    Result<HttpResponse> r = co_await http.post(u, R"({"value1":"tls"})");
    CO_ASSERT(r.ok());
    EXPECT_EQ(r->status(), 200);
    Result<std::string_view> text = co_await r->body();
    CO_ASSERT(text.ok());
    EXPECT_EQ(*text, "Congratulations! You've fired the button_pressed event");
    // Without the test CA the same server is not trusted (the system bundle does not know it).
    http.options().tls = nullptr;
    Result<HttpResponse> refused = co_await http.post(u, "{}");
    EXPECT_EQ(refused.error(), Errc::cert_untrusted);
  }(*this, url));
  std::vector<std::string> records = server.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_NE(records[0].find(R"("body":"{\"value1\":\"tls\"}")"), std::string::npos) << records[0];
}

TEST_F(TlsTest, TheBlynkTlsTransportOpensVerifiesAndCarriesBytes) {
  TlsServer server("echo", "server");
  ASSERT_NE(server.port(), 0);
  LogCapture log;
  run([](TlsTest& t, std::uint16_t port) -> Task<> {
    blynk::TlsTransport transport(t.config);
    Status s = co_await transport.open("localhost", port, sec(5));
    CO_ASSERT(s.ok());
    EXPECT_TRUE(transport.is_open());
    Result<IoResult> w = co_await transport.write_all("ping\n", sec(5));
    CO_ASSERT(w.ok() && w->ok());
    char buf[32];
    std::string got;
    while (got.find('\n') == std::string::npos) {
      Result<IoResult> r = co_await transport.read_some(buf);
      CO_ASSERT(r.ok() && r->ok());
      got.append(buf, r->count);
    }
    EXPECT_EQ(got, "echo: ping\n");
    transport.close();
    EXPECT_FALSE(transport.is_open());
    // By default (no trust given) the system bundle is used, which does not know the test CA.
    blynk::TlsTransport strict;
    Status refused = co_await strict.open("localhost", port, sec(5));
    EXPECT_EQ(refused.error(), Errc::cert_untrusted);
  }(*this, server.port()));
  EXPECT_TRUE(log.contains("tls: the certificate of localhost is untrusted"));
}

}  // namespace
}  // namespace weft::net
