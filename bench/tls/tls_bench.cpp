// tls_bench: what a TLS connection costs weft's client (framework/net/tls) on this machine.
//   handshake      TCP connect + TLS 1.2 handshake + verification against `openssl s_server` on loopback
//                  (the server's work is in the figure too), ECDHE-ECDSA (P-256) and ECDHE-RSA (2048-bit)
//   heap           bytes mbedTLS holds for one connection: peak during the handshake and after it, with and
//                  without MFLN 2048, counted by wrapping malloc/calloc/realloc/free in this program
// The chip's figures come from the chip's own mbedTLS build (bench/tls/chip: chip_ram.md, chip_handshake.md).
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
  for (auto [name, h] : {std::pair{"no MFLN", plain}, std::pair{"MFLN 2048", mfln}}) {
    std::snprintf(row, sizeof row,
                  "| heap per connection, %s (records of %zu B): handshake peak / connected | "
                  "%zu B / %zu B |\n",
                  name, h.record, h.peak, h.steady);
    table += row;
  }
  const std::size_t contexts = plain.steady > buffers ? plain.steady - buffers : 0;
  std::snprintf(row, sizeof row,
                "| record buffers (2 x 16 KB, allocated with or without MFLN here) | %zu B |\n", buffers);
  table += row;
  std::snprintf(row, sizeof row,
                "| connected, without the record buffers (contexts, session, peer certificate) "
                "| %zu B |\n",
                contexts);
  table += row;
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
