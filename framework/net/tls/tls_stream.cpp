#include "tls_stream.hpp"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/x509_crt.h>

#include <cstdio>
#include <cstring>

#include "core/log.hpp"
#include "core/loop.hpp"
#include "core/wait_for.hpp"
#include "io/resolver.hpp"
#include "mbedtls_compat.hpp"

namespace weft::net {
namespace {

constexpr std::size_t kMaxHost = 253;  // a DNS name's longest text

// One random generator for every connection, seeded on first use.
mbedtls_ctr_drbg_context* random_generator() {
  static mbedtls_entropy_context entropy;
  static mbedtls_ctr_drbg_context drbg;
  static bool seeded = false;
  if (!seeded) {
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    static const unsigned char kPersonal[] = "weft tls";
    int r = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, kPersonal, sizeof kPersonal);
    if (r != 0) {
      (void)tls_failure(r, "seeding the random generator");
      return nullptr;
    }
    seeded = true;
  }
  return &drbg;
}

// Clears a flag when the operation ends however it ends (even when its task frame is dropped).
class Claim {
 public:
  explicit Claim(bool& flag) : flag_(&flag) { flag = true; }
  ~Claim() { *flag_ = false; }
  Claim(const Claim&) = delete;
  Claim& operator=(const Claim&) = delete;

 private:
  bool* flag_;
};

Micros left_until(Micros deadline) {
  if (deadline == kForever) return kMaxDuration;
  return deadline - Loop::current().refresh_now();
}

Micros deadline_in(Micros timeout) {
  return timeout == kForever ? kForever : deadline_after(Loop::current().refresh_now(), timeout);
}

}  // namespace

Errc tls_failure(int e, const char* what) {
  char text[96];
  mbedtls_strerror(e, text, sizeof text);  // "" where the build has no error texts (the chip's)
  WEFT_LOG_ERROR("tls: %s failed: %s (-0x%04x)%s", what, text[0] != '\0' ? text : "mbedTLS error",
                 static_cast<unsigned>(-e), detail::tls_error_hint(e));
  return Errc::tls_error;
}

TlsStream::TlsStream() {
  mbedtls_ssl_init(&ssl_);
  mbedtls_ssl_config_init(&conf_);
}

TlsStream::~TlsStream() {
  tcp_.close();
  mbedtls_ssl_free(&ssl_);
  mbedtls_ssl_config_free(&conf_);
}

void TlsStream::reset() {
  close();
  mbedtls_ssl_free(&ssl_);
  mbedtls_ssl_config_free(&conf_);
  mbedtls_ssl_init(&ssl_);
  mbedtls_ssl_config_init(&conf_);
  rx_ = {};
  tx_ = {};
}

void TlsStream::close() {
  // No close_notify: it could not wait for the socket here, and a client's close_notify protects nothing
  // it reads. Waiting reads and writes end with Errc::closed.
  open_ = false;
  tcp_.close();
}

std::size_t TlsStream::max_record() const {
  return detail::tls_output_record_limit(ssl_);
}

Status TlsStream::setup(std::string_view host, const TlsConfig& config) {
  // A build with small record buffers (the chip) always asks for records that fit them.
  const unsigned fragment = config.max_fragment != 0 ? config.max_fragment : detail::kTlsRecordBytes;
  const int mfl = detail::tls_mfl_code(fragment);
  if (mfl < 0) {
    WEFT_LOG_ERROR("tls: max_fragment %u is not one of 0, 512, 1024, 2048, 4096", fragment);
    return Errc::invalid_argument;
  }
  if (detail::kTlsRecordBytes != 0 && fragment > detail::kTlsRecordBytes) {
    WEFT_LOG_ERROR(
        "tls: max_fragment %u is larger than this build's record buffers (%u: WEFT_TLS_RECORD_BYTES)",
        fragment, detail::kTlsRecordBytes);
    return Errc::invalid_argument;
  }
  char name[kMaxHost + 1];
  if (host.empty() || host.size() > kMaxHost) {
    WEFT_LOG_ERROR("tls: a host name of 1..253 characters is needed to verify the server");
    return Errc::invalid_argument;
  }
  std::memcpy(name, host.data(), host.size());
  name[host.size()] = '\0';
  const TlsTrust* trust = config.trust != nullptr ? config.trust : TlsTrust::system();
  if (!config.insecure && (trust == nullptr || trust->size() == 0)) {
    WEFT_LOG_ERROR("tls: no CA to verify %s against: give TlsConfig::trust (a CA bundle or the pinned CA)",
                   name);
    return Errc::cert_untrusted;
  }
  if (Status s = configure(MBEDTLS_SSL_IS_CLIENT); !s) return s;
  if (config.insecure) {
    WEFT_LOG_WARN("tls: INSECURE connection to %s: the certificate is NOT verified (TlsConfig::insecure)",
                  name);
    mbedtls_ssl_conf_authmode(&conf_, MBEDTLS_SSL_VERIFY_NONE);
  } else {
    mbedtls_ssl_conf_authmode(&conf_, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&conf_, trust->chain(), nullptr);
  }
  int r = mbedtls_ssl_conf_max_frag_len(&conf_, static_cast<unsigned char>(mfl));
  if (r != 0) return tls_failure(r, "asking for a max fragment length");
  if (Status s = attach(); !s) return s;
  r = mbedtls_ssl_set_hostname(&ssl_, name);
  if (r != 0) return tls_failure(r, "setting the host name");
  return {};
}

// What both sides set first: mbedTLS' defaults for `endpoint` (client or server) and the random generator.
Status TlsStream::configure(int endpoint) {
  mbedtls_ctr_drbg_context* rng = random_generator();
  if (rng == nullptr) return Errc::tls_error;
  const int r =
      mbedtls_ssl_config_defaults(&conf_, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
  if (r != 0) return tls_failure(r, "configuring");
  mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, rng);
  return {};
}

// And last: the session on that configuration, over this stream's BIO callbacks.
Status TlsStream::attach() {
  const int r = mbedtls_ssl_setup(&ssl_, &conf_);
  if (r != 0) return r == MBEDTLS_ERR_SSL_ALLOC_FAILED ? Errc::no_memory : tls_failure(r, "setting up");
  mbedtls_ssl_set_bio(&ssl_, this, &on_send, &on_recv, nullptr);
  return {};
}

Task<Status> TlsStream::connect(std::string_view host, std::uint16_t port, Micros timeout,
                                const TlsConfig& config, SocketPort& sockets) {
  reset();
  const Micros deadline = deadline_in(timeout);
  Result<Endpoint> at = co_await wait_for(resolve(host, port, sockets), timeout);
  if (!at) co_return at.error();
  const Micros left = left_until(deadline);
  if (left <= 0) co_return Errc::timed_out;
  Result<TcpStream> s = co_await TcpStream::connect(*at, left, sockets);
  if (!s) co_return s.error();
  Status h = co_await handshake(std::move(*s), host, config);
  co_return h;
}

Task<Status> TlsStream::handshake(TcpStream tcp, std::string_view host, const TlsConfig& config) {
  reset();
  Status s = setup(host, config);
  if (!s) co_return s;
  Status h = co_await run_handshake(std::move(tcp), host, config.handshake_timeout);
  co_return h;
}

Task<Status> TlsStream::accept(TcpStream tcp, const TlsIdentity& identity, Micros timeout) {
  reset();
  char peer[Endpoint::kMaxText] = "a client";
  if (Result<Endpoint> at = tcp.peer_endpoint(); at) (void)at->format(peer);
  Status s = setup_server(identity);
  if (!s) co_return s;
  Status h = co_await run_handshake(std::move(tcp), peer, timeout);
  co_return h;
}

Status TlsStream::setup_server(const TlsIdentity& identity) {
  if (!identity.ready()) {
    WEFT_LOG_ERROR("tls: no server certificate and key to accept with (TlsIdentity::load_files)");
    return Errc::invalid_argument;
  }
  if (Status s = configure(MBEDTLS_SSL_IS_SERVER); !s) return s;
  mbedtls_ssl_conf_authmode(&conf_, MBEDTLS_SSL_VERIFY_NONE);  // clients show no certificate
  const int r = mbedtls_ssl_conf_own_cert(&conf_, identity.chain(), identity.key());
  if (r != 0) return tls_failure(r, "setting the server certificate");
  return attach();
}

// Both sides: the handshake over `tcp` (adopted), `peer` naming the other side in log lines.
Task<Status> TlsStream::run_handshake(TcpStream tcp, std::string_view peer, Micros timeout) {
  tcp_ = std::move(tcp);
  open_ = true;
  Claim reading(reading_);
  Claim writing(writing_);
  const Micros deadline = deadline_in(timeout);
  // Step by step, yielding between steps: a step's public-key work (ECDHE, a signature check) runs in one
  // slice, but the steps do not add up into one (on the chip: seconds each, under the SDK's ~3 s watchdog).
  while (ssl_.state != MBEDTLS_SSL_HANDSHAKE_OVER) {
    const int r = mbedtls_ssl_handshake_step(&ssl_);
    if (r == 0) {
      Status turn = co_await yield();
      if (turn) continue;
      close();
      co_return turn;
    }
    Status step = co_await drive(r, deadline);
    if (step) continue;
    Errc e = step.error();
    if (e == Errc::timed_out) {
      WEFT_LOG_ERROR("tls: handshake with %.*s timed out", static_cast<int>(peer.size()), peer.data());
    } else if (r == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
      e = verify_failed(peer);
    }
    close();
    co_return e;
  }
  co_return Status{};
}

Task<Status> TlsStream::close_notify(Micros timeout) {
  if (!open_) co_return Errc::closed;
  if (writing_) co_return Errc::busy;
  Claim writing(writing_);
  const Micros deadline = deadline_in(timeout);
  for (;;) {
    const int r = mbedtls_ssl_close_notify(&ssl_);
    if (r == 0) break;
    Status step = co_await drive(r, deadline);
    if (!step) co_return step;
  }
  co_return tcp_.shutdown_write();
}

Errc TlsStream::verify_failed(std::string_view host) {
  const std::uint32_t flags = mbedtls_ssl_get_verify_result(&ssl_);
  char why[160];
  const int n = detail::tls_verify_text(why, sizeof why, flags);
  if (n > 0 && why[n - 1] == '\n') why[n - 1] = '\0';
  Errc e = Errc::cert_untrusted;
  const char* what = "untrusted (not signed by a CA in TlsConfig::trust)";
  if ((flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) == 0) {
    if ((flags & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE)) != 0) {
      e = Errc::cert_expired;
      what = "expired (or not yet valid)";
    } else if ((flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) != 0) {
      e = Errc::cert_wrong_host;
      what = "for another host";
    }
  }
  WEFT_LOG_ERROR("tls: the certificate of %.*s is %s: %s", static_cast<int>(host.size()), host.data(), what,
                 why);
  return e;
}

Task<Status> TlsStream::drive(int why, Micros deadline) {
  if (why == MBEDTLS_ERR_SSL_WANT_READ) {
    Status e = co_await fill(deadline);
    co_return e;
  }
  if (why == MBEDTLS_ERR_SSL_WANT_WRITE) {
    Status e = co_await flush(deadline);
    co_return e;
  }
  if (why == MBEDTLS_ERR_SSL_CONN_EOF || why == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) co_return Errc::closed;
  if (why == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) co_return Errc::cert_untrusted;  // refined by the caller
  co_return tls_failure(why, "a TLS record");
}

Task<Status> TlsStream::fill(Micros deadline) {
  if (rx_.at == nullptr) co_return Errc::tls_error;  // WANT_READ without a read asked for: cannot happen
  const Micros left = left_until(deadline);
  if (left <= 0) co_return Errc::timed_out;
  IoResult r = co_await wait_for(tcp_.read_some({reinterpret_cast<char*>(rx_.at), rx_.want}), left);
  rx_.done = r.count;
  if (r.count > 0) co_return Status{};
  co_return r.error;
}

Task<Status> TlsStream::flush(Micros deadline) {
  if (tx_.at == nullptr) co_return Errc::tls_error;
  if (flushing_) co_return Errc::busy;  // the other task's write holds the socket's write side
  Claim flushing(flushing_);
  const Micros left = left_until(deadline);
  if (left <= 0) co_return Errc::timed_out;
  std::string_view bytes(reinterpret_cast<const char*>(tx_.at), tx_.want);
  IoResult r = co_await wait_for(tcp_.write_all(bytes), left);
  tx_.done = r.count;
  if (r.count > 0) co_return Status{};
  co_return r.error;
}

int TlsStream::on_recv(void* self, unsigned char* buf, std::size_t len) {
  Pending& p = static_cast<TlsStream*>(self)->rx_;
  if (p.done > 0) {
    // mbedTLS retries a WANT_READ with the same place: the socket read already put the bytes there.
    if (buf != p.at || len < p.done) return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
    return static_cast<int>(std::exchange(p.done, 0));
  }
  p.at = buf;
  p.want = len;
  return MBEDTLS_ERR_SSL_WANT_READ;
}

int TlsStream::on_send(void* self, const unsigned char* buf, std::size_t len) {
  Pending& p = static_cast<TlsStream*>(self)->tx_;
  if (p.done > 0) {
    if (buf != p.at || len < p.done) return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
    return static_cast<int>(std::exchange(p.done, 0));
  }
  p.at = const_cast<unsigned char*>(buf);
  p.want = len;
  return MBEDTLS_ERR_SSL_WANT_WRITE;
}

Task<IoResult> TlsStream::read_some(std::span<char> into, Micros timeout) {
  if (!open_) co_return IoResult{0, Errc::closed};
  if (reading_) co_return IoResult{0, Errc::busy};
  if (into.empty()) co_return IoResult{};
  Claim reading(reading_);
  const Micros deadline = deadline_in(timeout);
  for (;;) {
    const int r = mbedtls_ssl_read(&ssl_, reinterpret_cast<unsigned char*>(into.data()), into.size());
    if (r > 0) co_return IoResult{static_cast<std::size_t>(r), Errc::ok};
    if (r == 0) co_return IoResult{0, Errc::closed};
    Status step = co_await drive(r, deadline);
    if (!step) co_return IoResult{0, step.error()};
  }
}

Task<IoResult> TlsStream::write_all(std::string_view data, Micros timeout) {
  if (!open_) co_return IoResult{0, Errc::closed};
  if (writing_) co_return IoResult{0, Errc::busy};
  Claim writing(writing_);
  const Micros deadline = deadline_in(timeout);
  std::size_t sent = 0;
  while (sent < data.size()) {
    const auto* at = reinterpret_cast<const unsigned char*>(data.data()) + sent;
    const int r = mbedtls_ssl_write(&ssl_, at, data.size() - sent);
    if (r > 0) {
      sent += static_cast<std::size_t>(r);
      continue;
    }
    Status step = co_await drive(r, deadline);
    if (!step) co_return IoResult{sent, step.error()};
  }
  co_return IoResult{sent, Errc::ok};
}

}  // namespace weft::net
