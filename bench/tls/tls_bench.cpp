// tls_bench: what a TLS connection costs weft's client (framework/net/tls) on this machine.
//   handshake      TCP connect + TLS 1.2 handshake + verification against `openssl s_server` on loopback
//                  (the server's work is in the figure too), ECDHE-ECDSA (P-256) and ECDHE-RSA (2048-bit)
//   heap           bytes mbedTLS holds for one connection: peak during the handshake and after it, with and
//                  without MFLN 2048, counted by wrapping malloc/calloc/realloc/free in this program
//   chip estimate  the same contexts with the chip's record buffers (see the notes the bench prints)
// Certificates are made at start by tests/net/make_test_certs.sh. A program, not a test.
//   tls_bench [--quick] [--handshakes=N] [--out=FILE]   (--out: also write the markdown table to FILE)
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/weft.hpp"
#include "io/io.hpp"
#include "net/server_process.hpp"
#include "net/tls/tls_stream.hpp"

#include <mbedtls/ssl_internal.h>
#include <mbedtls/version.h>

// --- heap accounting: every allocation of this program goes through here -------------------------------
// Not in a sanitizer build: AddressSanitizer owns malloc, and wrapping it aborts at start.
namespace {
std::size_t g_live = 0;
std::size_t g_peak = 0;
}  // namespace
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCountsHeap = false;
#else
constexpr bool kCountsHeap = true;
extern "C" void* __libc_malloc(std::size_t);
extern "C" void* __libc_calloc(std::size_t, std::size_t);
extern "C" void* __libc_realloc(void*, std::size_t);
extern "C" void __libc_free(void*);
namespace {
void note_alloc(void* p) {
  if (p == nullptr) return;
  g_live += malloc_usable_size(p);
  g_peak = std::max(g_peak, g_live);
}
void note_free(void* p) {
  if (p != nullptr) g_live -= malloc_usable_size(p);
}
}  // namespace
extern "C" void* malloc(std::size_t n) {
  void* p = __libc_malloc(n);
  note_alloc(p);
  return p;
}
extern "C" void* calloc(std::size_t a, std::size_t b) {
  void* p = __libc_calloc(a, b);
  note_alloc(p);
  return p;
}
extern "C" void* realloc(void* old, std::size_t n) {
  note_free(old);
  void* p = __libc_realloc(old, n);
  note_alloc(p != nullptr ? p : (n == 0 ? nullptr : old));
  return p;
}
extern "C" void free(void* p) {
  note_free(p);
  __libc_free(p);
}
#endif

namespace {

using namespace weft;

// `openssl s_server` with one of make_test_certs.sh's certificates (through tls_server.py).
struct Server : test::ServerProcess {
  Server(const std::string& dir, const std::string& cert)
      : ServerProcess({"python3", WEFT_TLS_SERVER, "openssl", "--cert", dir + "/" + cert + ".pem", "--key",
                       dir + "/" + cert + ".key"}) {}
};

struct Heap {
  std::size_t peak = 0;    // during the handshake
  std::size_t steady = 0;  // after it, while connected
  std::size_t record = 0;  // the record limit negotiated
};

// One connection: heap figures (relative to before it) and its handshake time in ms (-1: failed).
double connect_once(std::uint16_t port, net::TlsConfig config, Heap* heap) {
  double ms = -1;
  Loop loop;
  const std::size_t base = g_live;
  g_peak = g_live;
  auto body = [](std::uint16_t p, net::TlsConfig c, Heap* h, double& out, std::size_t b) -> Task<> {
    net::TlsStream tls;
    auto start = std::chrono::steady_clock::now();
    Result<TcpStream> tcp = co_await TcpStream::connect(Endpoint::v4(127, 0, 0, 1, p), sec(10));
    if (!tcp) co_return;
    Status s = co_await tls.handshake(std::move(*tcp), "localhost", c);
    if (!s) co_return;
    out = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (h != nullptr) *h = {g_peak - b, g_live - b, tls.max_record()};
  };
  (void)loop.run_until_complete(body(port, config, heap, ms, base));
  return ms;
}

// The objects of the SDK's libmbedtls.a a TLS client links (RSA key exchange, AES-CBC, SHA-1/2, X.509,
// PEM CAs, CTR-DRBG): the sum of their text + data, as xtensa-lx106-elf-size reports them. An estimate of
// the flash TLS adds: the linker may drop unused functions inside them (and ECC/GCM are not in that
// library at all). Empty when the SDK or the tool is missing.
std::string chip_flash_row(const std::string& sdk) {
  static const char* const kClientObjects[] = {
      "aes.o",         "asn1parse.o",        "base64.o",  "bignum.o",  "cipher.o",
      "cipher_wrap.o", "ctr_drbg.o",         "dhm.o",     "entropy.o", "md.o",
      "md5.o",         "md_wrap.o",          "oid.o",     "pem.o",     "pk.o",
      "pk_wrap.o",     "pkparse.o",          "rsa.o",     "sha1.o",    "sha256.o",
      "sha512.o",      "ssl_ciphersuites.o", "ssl_cli.o", "ssl_tls.o", "x509.o",
      "x509_crt.o",    "esp_hardware.o"};
  const std::string cmd = "xtensa-lx106-elf-size " + sdk + "/lib/libmbedtls.a 2>/dev/null";
  std::FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {};
  char line[256];
  unsigned long total = 0, all = 0;
  int found = 0;
  while (std::fgets(line, sizeof line, p) != nullptr) {
    unsigned long text = 0, data = 0, bss = 0, dec = 0;
    char hex[32], name[128];
    if (std::sscanf(line, "%lu %lu %lu %lu %31s %127s", &text, &data, &bss, &dec, hex, name) != 6) continue;
    all += text + data;
    for (const char* o : kClientObjects) {
      if (std::strcmp(o, name) == 0) {
        total += text + data;
        ++found;
      }
    }
  }
  pclose(p);
  if (found == 0) return {};
  char row[240];
  std::snprintf(row, sizeof row,
                "| chip flash estimate: the %d client objects of the SDK's libmbedtls.a "
                "(2.2.1), text + data (whole library %lu B) | %lu B |\n",
                found, all, total);
  return row;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? -1 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int handshakes = 20;
  std::string out_file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") {
      handshakes = 2;
    } else if (a.rfind("--handshakes=", 0) == 0) {
      handshakes = std::max(1, std::atoi(a.c_str() + 13));
    } else if (a.rfind("--out=", 0) == 0) {
      out_file = a.substr(6);
    } else {
      std::fprintf(stderr, "usage: tls_bench [--quick] [--handshakes=N] [--out=FILE]\n");
      return 2;
    }
  }
  if (!kCountsHeap) {
    if (!out_file.empty()) {
      std::fprintf(stderr,
                   "tls_bench: --out needs a build without AddressSanitizer (heap is not counted here)\n");
      return 2;
    }
    std::printf("tls_bench: AddressSanitizer build: heap figures below are not counted (read as 0)\n");
  }
  const std::string dir = "/tmp/weft-tls-bench-" + std::to_string(getpid());
  if (std::system(("sh " WEFT_MAKE_TEST_CERTS " " + dir + " >/dev/null").c_str()) != 0) {
    std::fprintf(stderr, "tls_bench: make_test_certs.sh failed (is openssl installed?)\n");
    return 1;
  }
  net::TlsTrust trust;
  if (!trust.add_file((dir + "/ca.pem").c_str())) return 1;
  net::TlsConfig config{.trust = &trust};

  std::string table =
      "| TLS client (mbedTLS " MBEDTLS_VERSION_STRING ", x86-64, loopback) | figure |\n|---|---|\n";
  char row[200];
  for (const char* cert : {"ecdsa", "server"}) {
    Server server(dir, cert);
    if (server.port() == 0) {
      std::fprintf(stderr, "tls_bench: openssl s_server did not start\n");
      return 1;
    }
    std::vector<double> times;
    for (int i = 0; i < handshakes; ++i) {
      double ms = connect_once(server.port(), config, nullptr);
      if (ms < 0) {
        std::fprintf(stderr, "tls_bench: a handshake failed (%s)\n", cert);
        return 1;
      }
      times.push_back(ms);
    }
    std::snprintf(row, sizeof row, "| handshake, %s, median of %d | %.1f ms |\n",
                  std::strcmp(cert, "ecdsa") == 0 ? "ECDHE-ECDSA P-256" : "ECDHE-RSA 2048", handshakes,
                  median(times));
    table += row;
  }
  Server server(dir, "server");
  Heap plain, mfln;
  (void)connect_once(server.port(), config, &plain);
  config.max_fragment = 2048;
  (void)connect_once(server.port(), config, &mfln);
  // The two record buffers this mbedTLS allocates whatever MFLN says (no MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH).
  const std::size_t buffers = MBEDTLS_SSL_IN_BUFFER_LEN + MBEDTLS_SSL_OUT_BUFFER_LEN;
  // The chip's mbedTLS 2.2.1: each buffer is max_content_len + 13 (header) + 16 (IV) + 256 (CBC padding)
  // + 48 (MAC) bytes; max_content_len set to 2048.
  const std::size_t chip_buffers = 2 * (2048 + 13 + 16 + 256 + 48);
  for (auto [name, h] : {std::pair{"no MFLN", plain}, std::pair{"MFLN 2048", mfln}}) {
    std::snprintf(row, sizeof row,
                  "| heap per connection, %s (records of %zu B): handshake peak / connected | "
                  "%zu B / %zu B |\n",
                  name, h.record, h.peak, h.steady);
    table += row;
  }
  const std::size_t contexts = plain.steady > buffers ? plain.steady - buffers : 0;
  const std::size_t chip = contexts + chip_buffers;
  const std::size_t handshake_extra = plain.peak - plain.steady;
  std::snprintf(row, sizeof row,
                "| record buffers (2 x 16 KB, allocated with or without MFLN here) | %zu B |\n", buffers);
  table += row;
  std::snprintf(row, sizeof row,
                "| connected, without the record buffers (contexts, session, peer certificate) "
                "| %zu B |\n",
                contexts);
  table += row;
  std::snprintf(row, sizeof row,
                "| chip estimate (2 KB records: buffers %zu B + the above): connected / "
                "handshake peak | %zu B / %zu B |\n",
                chip_buffers, chip, chip + handshake_extra);
  table += row;
  const char* sdk = std::getenv("WEFT_NONOS_SDK");
  const std::string flash = chip_flash_row(sdk != nullptr ? sdk : WEFT_DEFAULT_SDK);
  if (flash.empty())
    std::fprintf(stderr, "tls_bench: no NONOS SDK (WEFT_NONOS_SDK): chip flash not estimated\n");
  table += flash;
  std::fputs(table.c_str(), stdout);
  if (!out_file.empty()) {
    std::FILE* f = std::fopen(out_file.c_str(), "w");
    if (f == nullptr) return 1;
    std::fputs(table.c_str(), f);
    std::fclose(f);
  }
  std::system(("rm -rf " + dir).c_str());
  return 0;
}
