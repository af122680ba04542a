// The cloud's TLS port (--tls-port): weft's Blynk client over TlsTransport logs in, gets a REST write made
// over HTTPS, and comes back after the cloud restarts; a device that trusts another CA is refused with
// cert_untrusted; Python's ssl client reads the REST API over HTTPS under the same Host rules.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "blynk/blynk.hpp"
#include "blynk/tls_transport.hpp"
#include "cloud_test_support.hpp"
#include "core/test_support.hpp"
#include "net/http/client.hpp"
#include "net/tls/tls_identity.hpp"
#include "net/tls_test_certs.hpp"

namespace weft::cloud::test {
namespace {

std::string cert(const char* name) {
  return weft::test::tls_cert_dir() + "/" + name;
}

class CloudTlsTest : public CloudTest {
 public:
  using CloudTest::store;  // for the coroutines below

  void SetUp() override {
    ASSERT_TRUE(identity.load_files(cert("server.pem").c_str(), cert("server.key").c_str()).ok());
    ASSERT_TRUE(ca.add_file(cert("ca.pem").c_str()).ok());
    ASSERT_TRUE(other_ca.add_file(cert("other-ca.pem").c_str()).ok());
    (void)store.add({.name = "tls device", .token = kTokenA});
  }
  void start_tls(std::uint16_t tls_port = 0) {
    CloudOptions o;
    o.tls_port = tls_port;
    o.tls_identity = &identity;
    start(o);
  }
  [[nodiscard]] std::uint16_t tls_port() const { return cloud->tls_endpoint().port; }
  [[nodiscard]] std::string https(const std::string& target) const {
    return "https://localhost:" + std::to_string(tls_port()) + target;
  }
  // A device on weft's Blynk client over TLS, trusting `trust`; quick retries for the restart test.
  [[nodiscard]] blynk::Config device_config() const {
    blynk::Config c;
    c.token = kTokenA;
    c.host = "localhost";
    c.port = tls_port();
    c.retry_min = ms(100);
    c.retry_max = ms(400);
    return c;
  }

  // Runs the device's session until the test ends it (end_device): the session must not outlive the test's
  // Blynk object, which the fixture's teardown would otherwise wake.
  void start_device(blynk::Blynk& device) { device_task = loop.spawn(device.run(), "device"); }
  void end_device() {
    device_task.cancel();
    run([](JoinHandle<Status>& h) -> Task<> { (void)co_await h.join(); }(device_task));
  }

  net::TlsIdentity identity;
  JoinHandle<Status> device_task;
  net::TlsTrust ca;
  net::TlsTrust other_ca;
};

Task<> wait_online(blynk::Blynk& device) {
  Status online = co_await wait_for(device.wait_connected(), sec(20));
  EXPECT_TRUE(online.ok());
}

Task<Status> wait_until(const bool& flag, Micros limit) {
  const Micros until = Loop::current().now() + limit;
  while (!flag) {
    if (Loop::current().refresh_now() > until) co_return Errc::timed_out;
    co_await sleep_ms(20);
  }
  co_return Status{};
}

TEST_F(CloudTlsTest, ADeviceLogsInOverTlsAndGetsARestWriteMadeOverHttps) {
  start_tls();
  blynk::TlsTransport transport(net::TlsConfig{.trust = &ca});
  blynk::Blynk device(device_config(), transport);
  std::string written;
  bool got = false;
  ASSERT_TRUE(device.on_write(1, [&](int, blynk::Values v) {
    written = std::string(v.text());
    got = true;
  }));
  start_device(device);
  run(
      [](CloudTlsTest& t, blynk::Blynk& d, const bool& got_write) -> Task<> {
        Status online = co_await wait_for(d.wait_connected(), sec(20));
        CO_ASSERT(online.ok());
        EXPECT_TRUE(t.store.find(kTokenA)->online());
        char buffer[1024];
        net::HttpOptions options;
        net::TlsConfig tls{.trust = &t.ca};
        options.tls = &tls;
        net::HttpClient http(buffer, options);
        Result<net::HttpResponse> r =
            co_await http.get(t.https(std::string("/") + kTokenA + "/update/V1?value=42"));
        CO_ASSERT(r.ok());
        EXPECT_EQ(r->status(), 200);
        Status delivered = co_await wait_until(got_write, sec(10));
        EXPECT_TRUE(delivered.ok());
      }(*this, device, got),
      sec(30));
  end_device();
  EXPECT_EQ(written, "42");
}

TEST_F(CloudTlsTest, ADeviceComesBackOverTlsAfterTheCloudRestarts) {
  start_tls();
  const std::uint16_t port = tls_port();
  blynk::TlsTransport transport(net::TlsConfig{.trust = &ca});
  blynk::Blynk device(device_config(), transport);
  int logins = 0;
  device.on_connected([&logins] { ++logins; });
  start_device(device);
  run(wait_online(device), sec(30));
  ASSERT_EQ(logins, 1);
  cloud->stop();
  run([](JoinHandle<void>& h) -> Task<> { (void)co_await h.join(); }(run_handle));
  cloud.reset();
  run([](blynk::Blynk& d) -> Task<> {
    while (d.connected())
      co_await sleep_ms(20);
  }(device));
  start_tls(port);  // the same port, a new cloud
  run(wait_online(device), sec(30));
  EXPECT_EQ(logins, 2);
  EXPECT_TRUE(store.find(kTokenA)->online());
  end_device();
}

TEST_F(CloudTlsTest, ADeviceThatTrustsAnotherCaIsRefusedWithCertUntrusted) {
  start_tls();
  weft::test::LogCapture log;
  run([](CloudTlsTest& t) -> Task<> {
    blynk::TlsTransport transport(net::TlsConfig{.trust = &t.other_ca});
    Status s = co_await transport.open("localhost", t.tls_port(), sec(5));
    EXPECT_EQ(s.error(), Errc::cert_untrusted);
    EXPECT_FALSE(transport.is_open());
    EXPECT_FALSE(t.store.find(kTokenA)->online());
  }(*this));
  EXPECT_TRUE(log.contains("tls: the certificate of localhost is untrusted"));
}

TEST_F(CloudTlsTest, PythonReadsTheRestApiOverHttpsUnderTheSameHostRules) {
  start_tls();
  run(
      [](CloudTlsTest& t) -> Task<> {
        const std::string client = std::string(WEFT_PYTHON3) + " " + WEFT_TLS_CLIENT + " --port " +
                                   std::to_string(t.tls_port()) + " --ca " + cert("ca.pem");
        Result<weft::test::CommandResult> set =
            co_await weft::test::run_command(client + " --https '/" + kTokenA + "/update/V2?value=hello'");
        CO_ASSERT(set.ok());
        EXPECT_EQ(set->output, "200 \n") << set->output;
        Result<weft::test::CommandResult> get =
            co_await weft::test::run_command(client + " --https '/" + kTokenA + "/get/V2'");
        CO_ASSERT(get.ok());
        EXPECT_EQ(get->output, "200 [\"hello\"]\n") << get->output;
        Result<weft::test::CommandResult> evil = co_await weft::test::run_command(
            client + " --host-header evil.example --https '/" + kTokenA + "/get/V2'");
        CO_ASSERT(evil.ok());
        EXPECT_EQ(evil->output.rfind("421 ", 0), 0u) << evil->output;
        Result<weft::test::CommandResult> admin =
            co_await weft::test::run_command(client + " --https /devices");
        CO_ASSERT(admin.ok());
        EXPECT_EQ(admin->output.rfind("401 ", 0), 0u) << admin->output;
        // A device with the wrong CA, in Python's words.
        Result<weft::test::CommandResult> stranger = co_await weft::test::run_command(
            std::string(WEFT_PYTHON3) + " " + WEFT_TLS_CLIENT + " --port " + std::to_string(t.tls_port()) +
            " --ca " + cert("other-ca.pem") + " --send x");
        CO_ASSERT(stranger.ok());
        EXPECT_EQ(stranger->status, 1);
        EXPECT_NE(stranger->output.find("CERTIFICATE_VERIFY_FAILED"), std::string::npos) << stranger->output;
      }(*this),
      sec(60));
}

}  // namespace
}  // namespace weft::cloud::test
