// The chip's TLS client under QEMU: weft's TlsStream, compiled for the lx106 against the ESP8266 build of mbedTLS
// (the NONOS SDK's 2.2.1 sources with board/esp8266/mbedtls's configuration), makes real handshakes with an
// mbedTLS server in the same program over an in-memory pipe, then exchanges records both ways. The server runs
// in a task of the same loop; the client's socket is a NativeSocket on that pipe, woken as the board would
// wake it. The heap the client takes (its calls to calloc, apart from the server's) is counted and checked
// against the 12 KB target.
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/weft.hpp"
#include "harness.hpp"
#include "io/socket_port.hpp"
#include "io/tcp_stream.hpp"
#include "lx106_qemu/lx106.hpp"
#include "net/tls/tls_stream.hpp"
#include "target_support.hpp"

namespace weft {
namespace {

// Test certificates (EC P-256, valid until 2126): a CA, a server certificate it signs for weft.test, the
// server's key, and a CA that signs nothing here.
constexpr char kCaPem[] = R"(-----BEGIN CERTIFICATE-----
MIIBhDCCASugAwIBAgIUA7xR7B/VAAH6DkvFjvsVesctkv8wCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMd2VmdCB0ZXN0IENBMCAXDTI2MTIwNTIyMjYwN1oYDzIxMjYx
MTExMjIyNjA3WjAXMRUwEwYDVQQDDAx3ZWZ0IHRlc3QgQ0EwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAS9OaCnuU2nQmlbjBif1oalnrQAGjDKmeVweR8mmcyP32E/
KH06L6QExyjVo5L771SZOYQbh1GxdQq8qHgu+efPo1MwUTAdBgNVHQ4EFgQUZnat
MYVfDXnnY6+UyDEoImfI+wIwHwYDVR0jBBgwFoAUZnatMYVfDXnnY6+UyDEoImfI
+wIwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBVw3Lsb5Ur0MhT
s1QhJjizmlM0VRs+jxByf+tiQGV2kwIgTfyshTWtScDv9gSKx/X4Sl8ISTTnwDqG
HOhBR4M0YsI=
-----END CERTIFICATE-----
)";
constexpr char kServerPem[] = R"(-----BEGIN CERTIFICATE-----
MIIBkjCCATigAwIBAgIUFdwua3l7i1834QkOFkqmljcoPi4wCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMd2VmdCB0ZXN0IENBMCAXDTI2MTIwNTIyMjYwOVoYDzIxMjYx
MTExMjIyNjA5WjAUMRIwEAYDVQQDDAl3ZWZ0LnRlc3QwWTATBgcqhkjOPQIBBggq
hkjOPQMBBwNCAAS+HQ4CH5O2AqTnWh7t3YoSZD3B2poStSbsEvcZu4uQa9tY0YPZ
qRHLxJtkFQtEV0PZNL1rD9AAnqKu7i09W9cKo2MwYTAUBgNVHREEDTALggl3ZWZ0
LnRlc3QwCQYDVR0TBAIwADAdBgNVHQ4EFgQUagCllDYpR9+z3YborFiyRTqjGmsw
HwYDVR0jBBgwFoAUZnatMYVfDXnnY6+UyDEoImfI+wIwCgYIKoZIzj0EAwIDSAAw
RQIhAPRgDXqUkpSDoeg0gyJMW7VG1vjdgwAq5UEVlPxdw5TxAiAqT1K59PfmC4bT
ocA6/cm9UQebJNnWgP5E1CLKZ4QH7Q==
-----END CERTIFICATE-----
)";
constexpr char kServerKey[] = R"(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIE3hx0792jHbhAvXg4opBv+0wxEdUgubG6ZAm12JI19xoAoGCCqGSM49
AwEHoUQDQgAEvh0OAh+TtgKk51oe7d2KEmQ9wdqaErUm7BL3GbuLkGvbWNGD2akR
y8SbZBULRFdD2TS9aw/QAJ6iru4tPVvXCg==
-----END EC PRIVATE KEY-----
)";
constexpr char kOtherCaPem[] = R"(-----BEGIN CERTIFICATE-----
MIIBgDCCASegAwIBAgIUBybSkjQcqcl1dmRFlWNqo6KHIrAwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKYW5vdGhlciBDQTAgFw0yNjEyMDUyMjI2MDhaGA8yMTI2MTEx
MTIyMjYwOFowFTETMBEGA1UEAwwKYW5vdGhlciBDQTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABKENyF8W7f/Wm9liBN3JLk/OX0Mdx0rpx9fMJ1TYHRU9Ygf74boF
do7RBNO8v8B//7jWUPqP4+javVyK2Dk8AiejUzBRMB0GA1UdDgQWBBSJh1Ejuihz
z2CF1ihqZFU4mq0kYzAfBgNVHSMEGDAWgBSJh1Ejuihzz2CF1ihqZFU4mq0kYzAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIFml4wFaenf8tS1rkRiM
QgJHIa35ROL90DsWw1pA+bUYAiBggH//Oi/zegN95nfpl6VuD+2cVnIDXjXGZKH2
CZQ0nA==
-----END CERTIFICATE-----
)";

// ---- The heap, per side: mbedTLS' calloc/free (linked with --wrap) -------------------------------------
enum Side : int { kClient = 0, kServer = 1 };
int g_side = kClient;  // who is calling mbedTLS now
struct Block {
  void* at;
  std::size_t bytes;
  int side;
};
Block g_blocks[128];
std::size_t g_heap_now[2];
std::size_t g_heap_peak[2];
bool g_heap_overflow = false;

void reset_peaks() {
  g_heap_peak[kClient] = g_heap_now[kClient];
  g_heap_peak[kServer] = g_heap_now[kServer];
}

}  // namespace
}  // namespace weft

extern "C" {
void* __real_calloc(std::size_t n, std::size_t size);
void __real_free(void* p);

void* __wrap_calloc(std::size_t n, std::size_t size) {
  using namespace weft;
  void* p = __real_calloc(n, size);
  if (p == nullptr) return p;
  for (Block& b : g_blocks) {
    if (b.at != nullptr) continue;
    b = {p, n * size, g_side};
    g_heap_now[g_side] += b.bytes;
    if (g_heap_now[g_side] > g_heap_peak[g_side]) g_heap_peak[g_side] = g_heap_now[g_side];
    return p;
  }
  g_heap_overflow = true;  // more live blocks than the table holds: the test fails
  return p;
}

void __wrap_free(void* p) {
  using namespace weft;
  for (Block& b : g_blocks) {
    if (b.at != p || p == nullptr) continue;
    g_heap_now[b.side] -= b.bytes;
    b = {};
    break;
  }
  __real_free(p);
}

// What the SDK gives mbedTLS on the chip, played here: its RNG (board/esp8266/tls_entropy.cpp reads it) and
// its byte reader for tables in flash (aes.c).
int os_get_random(unsigned char* buf, std::size_t len) {
  static std::uint32_t state = 0x2545F491u;
  for (std::size_t i = 0; i < len; ++i) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    buf[i] = static_cast<unsigned char>(state >> 24);
  }
  return 0;
}
std::uint8_t system_get_data_of_array_8(const std::uint8_t* array, std::uint32_t index) {
  return array[index];
}
}  // extern "C"

namespace weft {
namespace {

// ---- The in-memory connection ------------------------------------------------------------------------------
// One direction of it: a TCP segment's worth of bytes (the heap of this 80 KB board is shared by both sides).
struct Pipe {
  char bytes[1460];
  std::size_t head = 0;
  std::size_t size = 0;

  std::size_t put(const void* from, std::size_t n) {
    const auto* src = static_cast<const char*>(from);
    std::size_t k = 0;
    for (; k < n && size < sizeof bytes; ++k, ++size)
      bytes[(head + size) % sizeof bytes] = src[k];
    return k;
  }
  std::size_t take(void* into, std::size_t n) {
    auto* dst = static_cast<char*>(into);
    std::size_t k = 0;
    for (; k < n && size > 0; ++k, --size, head = (head + 1) % sizeof bytes)
      dst[k] = bytes[head];
    return k;
  }
};

Pipe g_to_server;
Pipe g_to_client;
bool g_server_closed = false;

// The client's socket: the board side of a TcpStream, on the pipes.
class MemSocket final : public NativeSocket {
 public:
  bool alive = false;

  // Readiness as a board reports it, from the server's task (loop context).
  void wake() {
    if (alive) ready(kReadable | kWritable);
  }

  IoAttempt read(char* dst, std::size_t n) override {
    const std::size_t k = g_to_client.take(dst, n);
    if (k > 0) return {k, Errc::ok, g_to_client.size == 0};
    if (g_server_closed) return {0, Errc::closed};
    return {0, Errc::would_block, true};
  }
  IoAttempt write(const char* src, std::size_t n) override {
    if (g_server_closed) return {0, Errc::reset};
    const std::size_t k = g_to_server.put(src, n);
    if (k > 0) return {k};
    return {0, Errc::would_block};
  }
  Status connect_status() override { return {}; }
  Result<NativeSocket*> accept() override { return Errc::invalid_argument; }
  Status shutdown_write() override { return {}; }
  [[nodiscard]] Result<Endpoint> local_endpoint() const override { return Errc::invalid_argument; }
  [[nodiscard]] Result<Endpoint> peer_endpoint() const override { return Errc::invalid_argument; }
  [[nodiscard]] int handle() const override { return -1; }
  void destroy() override { alive = false; }
};

MemSocket g_socket;

NativeSocket* fresh_socket() {
  g_to_server = {};
  g_to_client = {};
  g_server_closed = false;
  g_socket.alive = true;
  return &g_socket;
}

// ---- The server: mbedTLS' own, on the other ends of the pipes -------------------------------------------
int server_send(void*, const unsigned char* buf, std::size_t len) {
  const std::size_t k = g_to_client.put(buf, len);
  return k > 0 ? static_cast<int>(k) : MBEDTLS_ERR_SSL_WANT_WRITE;
}
int server_recv(void*, unsigned char* buf, std::size_t len) {
  const std::size_t k = g_to_server.take(buf, len);
  if (k > 0) return static_cast<int>(k);
  return g_socket.alive ? MBEDTLS_ERR_SSL_WANT_READ : MBEDTLS_ERR_SSL_CONN_EOF;
}

struct Server {
  mbedtls_ssl_context ssl;
  mbedtls_ssl_config conf;
  mbedtls_x509_crt cert;
  mbedtls_pk_context key;
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  int error = 0;           // the handshake's or a record's failure, 0 if none
  std::size_t echoed = 0;  // plaintext bytes sent back
  bool handshake_done = false;
  unsigned char echo[512];
  std::size_t pending = 0;  // bytes of `echo` to send back
  std::size_t sent = 0;

  Server() {
    g_side = kServer;
    mbedtls_ssl_init(&ssl);
    mbedtls_ssl_config_init(&conf);
    mbedtls_x509_crt_init(&cert);
    mbedtls_pk_init(&key);
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    g_side = kClient;
  }
  ~Server() {
    g_side = kServer;
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&conf);
    mbedtls_x509_crt_free(&cert);
    mbedtls_pk_free(&key);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
    g_side = kClient;
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int setup() {
    g_side = kServer;
    int r =
        mbedtls_x509_crt_parse(&cert, reinterpret_cast<const unsigned char*>(kServerPem), sizeof kServerPem);
    if (r == 0)
      r = mbedtls_pk_parse_key(&key, reinterpret_cast<const unsigned char*>(kServerKey), sizeof kServerKey,
                               nullptr, 0);
    if (r == 0) r = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, nullptr, 0);
    if (r == 0)
      r = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT);
    if (r == 0) {
      mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
      r = mbedtls_ssl_conf_own_cert(&conf, &cert, &key);
    }
    if (r == 0) r = mbedtls_ssl_setup(&ssl, &conf);
    if (r == 0) mbedtls_ssl_set_bio(&ssl, nullptr, server_send, server_recv, nullptr);
    g_side = kClient;
    return r;
  }

  // One turn: handshake, then echo what arrives. False once the connection is over.
  bool turn() {
    g_side = kServer;
    bool more = true;
    if (!handshake_done) {
      const int r = mbedtls_ssl_handshake(&ssl);
      if (r == 0) {
        handshake_done = true;
      } else if (r != MBEDTLS_ERR_SSL_WANT_READ && r != MBEDTLS_ERR_SSL_WANT_WRITE) {
        error = r;
        more = false;
      }
    } else {
      // Echo: one piece read, then written back; what the pipe cannot take now waits for the next turn
      // (mbedTLS wants the same bytes again after WANT_WRITE).
      if (pending == 0) {
        const int n = mbedtls_ssl_read(&ssl, echo, sizeof echo);
        if (n > 0) {
          pending = static_cast<std::size_t>(n);
          sent = 0;
        } else if (n != MBEDTLS_ERR_SSL_WANT_READ && n != MBEDTLS_ERR_SSL_WANT_WRITE) {
          if (n != MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY && n != MBEDTLS_ERR_SSL_CONN_EOF) error = n;
          more = false;
        }
      }
      while (more && sent < pending) {
        const int w = mbedtls_ssl_write(&ssl, echo + sent, pending - sent);
        if (w == MBEDTLS_ERR_SSL_WANT_WRITE) break;
        if (w < 0) {
          error = w;
          more = false;
          break;
        }
        sent += static_cast<std::size_t>(w);
        echoed += static_cast<std::size_t>(w);
      }
      if (sent == pending) pending = 0;
    }
    g_side = kClient;
    return more && g_socket.alive;
  }
};

// The longest slice of each side's task (the client's: weft's TlsStream driving mbedTLS), in virtual time.
Micros g_longest_slice[2];

void note_slices() {
  const Loop& loop = Loop::current();
  loop.for_each_task([&](const TaskHeader& t) {
    const int side =
        std::strcmp(t.task_name(), "server") == 0 ? kServer : kClient;  // "main", "reader": the client
    const Micros slice = loop.task_stats(t).max_slice_us;
    if (slice > g_longest_slice[side]) g_longest_slice[side] = slice;
  });
}

// The server's task: a turn, the client's socket woken, the loop's turn; until the connection is over.
Task<> serve(Server& s) {
  for (;;) {
    note_slices();
    const bool more = s.turn();
    g_socket.wake();
    if (!more) break;
    co_await sleep_ms(0);
  }
  g_server_closed = true;
  g_socket.wake();
}

constexpr std::size_t kChunk = 2600;          // more than one record of 2048 B
constexpr std::size_t kMessage = 2 * kChunk;  // written as two chunks, echoed back in records
char g_sent[kChunk];

struct ClientRun {
  Status handshake;
  std::size_t max_record = 0;
  IoResult wrote;
  std::size_t got = 0;
  std::size_t mismatches = 0;  // bytes read back that differ from those sent
  Errc read_error = Errc::ok;
};

Task<> read_back(net::TlsStream& tls, ClientRun& run) {
  while (run.got < kMessage) {
    char piece[256];
    auto r = co_await tls.read_some(piece, sec(60));
    if (!r.ok() || r->count == 0) {
      run.read_error = r.ok() ? r->error : r.error();
      break;
    }
    for (std::size_t i = 0; i < r->count && run.got + i < kMessage; ++i)
      run.mismatches += piece[i] != g_sent[(run.got + i) % kChunk] ? 1 : 0;
    run.got += r->count;
  }
}

// The client: weft's TlsStream, as an app uses it, on the socket fresh_socket() prepared.
Task<> client(net::TlsStream& tls, const char* host, const net::TlsConfig& config, bool exchange,
              ClientRun& run) {
  Status h = co_await tls.handshake(TcpStream(&g_socket), host, config);
  run.handshake = h;
  if (!h || !exchange) co_return;
  run.max_record = tls.max_record();
  for (std::size_t i = 0; i < kChunk; ++i)
    g_sent[i] = static_cast<char>('a' + i % 23);
  // One task reads what comes back while this one writes (a TlsStream takes one read and one write at once).
  JoinHandle<void> reader = Loop::current().spawn(read_back(tls, run), "reader");
  for (int chunk = 0; chunk < 2; ++chunk) {
    auto w = co_await tls.write_all({g_sent, kChunk}, sec(60));
    const IoResult wrote = w.ok() ? *w : IoResult{0, w.error()};
    run.wrote.count += wrote.count;
    run.wrote.error = wrote.error;
    if (wrote.error != Errc::ok) break;
  }
  (void)co_await reader.join();
  tls.close();
}

void long_test() {
  target::set_budget(sec(3000));   // ECDHE and ECDSA in software: a few seconds of the chip's time each
  lx106::set_hog_limit(sec(300));  // one handshake step is one slice
}

// Verification against `trust`, with time for a handshake whose public-key steps run in software.
net::TlsConfig verified_by(const net::TlsTrust* trust) {
  net::TlsConfig config{.trust = trust};
  config.handshake_timeout = sec(600);
  return config;
}

net::TlsTrust& test_ca() {
  static net::TlsTrust ca;
  if (ca.size() == 0) (void)ca.add_pem(kCaPem);
  return ca;
}

TEST(ChipTls, AHandshakeVerifiesTheServerNegotiatesMflnAndCarriesRecordsBothWays) {
  long_test();
  Loop loop(target::board_clock());
  const net::TlsConfig config = verified_by(&test_ca());  // max_fragment 0: the build's size (2048)
  g_longest_slice[kClient] = g_longest_slice[kServer] = 0;
  const Micros started = loop.refresh_now();
  Server server;
  ASSERT_EQ(server.setup(), 0);
  const std::size_t client_before = g_heap_now[kClient];
  reset_peaks();
  ClientRun run;
  {
    net::TlsStream tls;
    (void)fresh_socket();
    (void)loop.spawn(serve(server), "server");
    EXPECT_TRUE(loop.run_until_complete(client(tls, "weft.test", config, true, run)).ok());
    EXPECT_EQ(run.handshake.error(), Errc::ok);
    EXPECT_EQ(server.error, 0);
    EXPECT_EQ(run.max_record, std::size_t{2048});  // MFLN asked for and honoured
    EXPECT_TRUE(run.wrote.error == Errc::ok);
    EXPECT_EQ(run.wrote.count, kMessage);
    EXPECT_EQ(run.got, kMessage);
    EXPECT_EQ(run.mismatches, std::size_t{0});
    EXPECT_EQ(server.echoed, kMessage);
    const char* suite = mbedtls_ssl_get_ciphersuite(&server.ssl);
    EXPECT_TRUE(suite != nullptr && std::strstr(suite, "ECDHE-ECDSA") != nullptr &&
                std::strstr(suite, "GCM") != nullptr);
    const std::size_t peak = g_heap_peak[kClient] - client_before;
    target::print_str("chip TLS client (");
    target::print_str(suite != nullptr ? suite : "?");
    target::print_str(", MFLN ");
    target::print_unsigned(run.max_record);
    target::print_str("): heap ");
    target::print_unsigned(peak);
    target::print_str(" B at the peak of the handshake, ");
    target::print_unsigned(g_heap_now[kClient] - client_before);
    target::print_str(" B per connection after it; handshake and echo ");
    target::print_unsigned(static_cast<unsigned long long>((loop.refresh_now() - started) / 1000));
    target::print_str(" ms of QEMU time, longest client slice ");
    target::print_unsigned(static_cast<unsigned long long>(g_longest_slice[kClient] / 1000));
    target::print_str(" ms, server ");
    target::print_unsigned(static_cast<unsigned long long>(g_longest_slice[kServer] / 1000));
    target::print_str(" ms\n");
    EXPECT_LE(peak, std::size_t{12 * 1024});  // the issue's target with MFLN 2048
    EXPECT_FALSE(g_heap_overflow);
  }
  (void)loop.run_until(loop.refresh_now() + ms(10));  // the server's task sees the end
  EXPECT_EQ(g_heap_now[kClient], client_before);      // the connection gave back all it took
}

Status handshake_only(const char* host, const net::TlsConfig& config, Server* server) {
  Loop loop(target::board_clock());
  ClientRun run;
  net::TlsStream tls;
  (void)fresh_socket();
  if (server != nullptr) (void)loop.spawn(serve(*server), "server");
  EXPECT_TRUE(loop.run_until_complete(client(tls, host, config, false, run)).ok());
  tls.close();
  (void)loop.run_until(loop.refresh_now() + ms(10));  // the server's task sees the end
  return run.handshake;
}

TEST(ChipTls, ACertificateForAnotherHostIsRefusedWithCertWrongHost) {
  long_test();
  Server server;
  ASSERT_EQ(server.setup(), 0);
  Status s = handshake_only("other.test", verified_by(&test_ca()), &server);
  EXPECT_TRUE(s.error() == Errc::cert_wrong_host);
  EXPECT_FALSE(g_socket.alive);  // closed on failure
}

TEST(ChipTls, AServerSignedByAnUnknownCaIsRefusedWithCertUntrusted) {
  long_test();
  static net::TlsTrust other;
  if (other.size() == 0) {
    ASSERT_TRUE(other.add_pem(kOtherCaPem).ok());
  }
  Server server;
  ASSERT_EQ(server.setup(), 0);
  Status s = handshake_only("weft.test", verified_by(&other), &server);
  EXPECT_TRUE(s.error() == Errc::cert_untrusted);
}

TEST(ChipTls, WithoutATrustedCaNothingIsSentBecauseTheChipHasNoSystemBundle) {
  Status s = handshake_only("weft.test", net::TlsConfig{}, nullptr);
  EXPECT_TRUE(s.error() == Errc::cert_untrusted);
  EXPECT_EQ(g_to_server.size, std::size_t{0});
}

TEST(ChipTls, InsecureMustBeSpelledOutAndThenSkipsTheChecks) {
  long_test();
  Server server;
  ASSERT_EQ(server.setup(), 0);
  net::TlsConfig insecure{.insecure = true};  // logged as INSECURE
  insecure.handshake_timeout = sec(600);
  Status s = handshake_only("other.test", insecure, &server);
  EXPECT_TRUE(s.ok());
}

TEST(ChipTls, AServerThatNeverAnswersEndsTheHandshakeWithTimedOut) {
  long_test();
  net::TlsConfig config = verified_by(&test_ca());
  config.handshake_timeout = sec(2);
  Status s = handshake_only("weft.test", config, nullptr);
  EXPECT_TRUE(s.error() == Errc::timed_out);
  EXPECT_GT(g_to_server.size, std::size_t{0});  // the ClientHello went out
}

TEST(ChipTls, AMaxFragmentLargerThanTheRecordBuffersIsRefusedClearly) {
  net::TlsConfig config = verified_by(&test_ca());
  config.max_fragment = 4096;
  Status s = handshake_only("weft.test", config, nullptr);
  EXPECT_TRUE(s.error() == Errc::invalid_argument);
}

}  // namespace
}  // namespace weft
