#include "lwip_socket_port.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include "core/log.hpp"
#include "lwip_compat.hpp"

namespace weft::lwip {

namespace {

void log_endpoint(const char* what, const Endpoint& e, const char* why) {
  char where[Endpoint::kMaxText];
  (void)e.format(where);
  WEFT_LOG_ERROR("%s(%s): %s", what, where, why);
}

}  // namespace

// lwIP's callbacks: `arg` is the LwipSocket (tcp_arg), cleared before the socket lets go of its pcb.
struct Callbacks {
  static err_t on_recv(void* arg, tcp_pcb* pcb, pbuf* p, err_t err) {
    auto* s = static_cast<LwipSocket*>(arg);
    if (p == nullptr) {  // the peer's FIN
      s->fin_ = true;
      s->notify(kReadable);
      return ERR_OK;
    }
    if (err != ERR_OK) {  // lwIP 1.4 may report a failed segment; the data is not ours to keep
      tcp_recved(pcb, p->tot_len);
      pbuf_free(p);
      return ERR_OK;
    }
    s->rx_bytes_ += p->tot_len;
    (s->rx_tail_ != nullptr ? s->rx_tail_->next : s->rx_head_) = p;
    while (p->next != nullptr)
      p = p->next;
    s->rx_tail_ = p;
    s->notify(kReadable);
    return ERR_OK;
  }

  static err_t on_sent(void* arg, tcp_pcb* /*pcb*/, u16_t /*len*/) {
    static_cast<LwipSocket*>(arg)->notify(kWritable);
    return ERR_OK;
  }

  // Called by lwIP every ~1 s while the connection lives: the one case tcp_sent cannot cover is a write
  // refused for lack of pbuf memory with nothing in flight; retry it.
  static err_t on_poll(void* arg, tcp_pcb* /*pcb*/) {
    auto* s = static_cast<LwipSocket*>(arg);
    if (s->write_pending()) s->notify(kWritable);
    return ERR_OK;
  }

  static err_t on_connected(void* arg, tcp_pcb* /*pcb*/, err_t /*err*/) {
    auto* s = static_cast<LwipSocket*>(arg);
    s->state_ = LwipSocket::State::connected;
    s->notify(kWritable);
    return ERR_OK;
  }

  // lwIP has already freed the pcb: forget it, never touch it again.
  static void on_err(void* arg, err_t err) {
    auto* s = static_cast<LwipSocket*>(arg);
    if (s == nullptr) return;
    bool connecting = s->state_ == LwipSocket::State::connecting;
    s->pcb_ = nullptr;
    s->state_ = LwipSocket::State::failed;
    Errc e = errc_from_lwip(err, connecting);
    s->error_ = e == Errc::ok ? Errc::closed : e;
    s->notify(kReadable | kWritable);
  }

  static err_t on_accept(void* arg, tcp_pcb* newpcb, err_t err) {
    auto* listener = static_cast<LwipSocket*>(arg);
    if (err != ERR_OK || newpcb == nullptr) return ERR_OK;  // lwIP could not allocate the connection
    LwipSocket* s = listener->port_->take_socket("an incoming connection");
    if (s == nullptr) {
      tcp_abort(newpcb);
      return ERR_ABRT;
    }
    s->state_ = LwipSocket::State::connected;
    s->attach(newpcb);
    (listener->pending_tail_ != nullptr ? listener->pending_tail_->next_pending_ : listener->pending_head_) =
        s;
    listener->pending_tail_ = s;
    tcp_accepted(listener->pcb_);
    listener->notify(kReadable);
    return ERR_OK;
  }

  static void on_dns(const char* /*name*/, DnsAnswer address, void* arg) {
    auto* job = static_cast<LwipSocketPort::Lookup*>(arg);
    ResolveOp* op = job->op;
    job->op = nullptr;
    job->busy = false;
    if (op == nullptr) return;  // cancelled: the late answer is dropped
    op->port_data = nullptr;
    LwipSocketPort* port = job->port;
    if (address == nullptr) {
      op->complete(Errc::name_not_found);
    } else {
      op->complete(Endpoint{from_lwip(*address), op->port()});
    }
    port->wake();
  }
};

// --- LwipSocket -------------------------------------------------------------------------------------------

void LwipSocket::attach(tcp_pcb* pcb) {
  pcb_ = pcb;
  tcp_arg(pcb, this);
  tcp_recv(pcb, &Callbacks::on_recv);
  tcp_sent(pcb, &Callbacks::on_sent);
  tcp_err(pcb, &Callbacks::on_err);
  tcp_poll(pcb, &Callbacks::on_poll, 2);
  tcp_nagle_disable(pcb);  // small request/response messages go out at once (TCP_NODELAY on Linux)
}

void LwipSocket::detach_pcb() {
  tcp_arg(pcb_, nullptr);
  tcp_recv(pcb_, nullptr);
  tcp_sent(pcb_, nullptr);
  tcp_err(pcb_, nullptr);
  tcp_poll(pcb_, nullptr, 0);
}

void LwipSocket::notify(unsigned readiness) {
  ready(readiness);
  port_->wake();
}

IoAttempt LwipSocket::read(char* dst, std::size_t n) {
  if (state_ == State::listening) return {0, Errc::invalid_argument};
  if (rx_bytes_ > 0) {
    std::size_t done = 0;
    while (done < n && rx_head_ != nullptr) {
      std::size_t take = std::min<std::size_t>(rx_head_->len - rx_offset_, n - done);
      std::memcpy(dst + done, static_cast<const char*>(rx_head_->payload) + rx_offset_, take);
      done += take;
      rx_offset_ += take;
      if (rx_offset_ == rx_head_->len) {
        pbuf* head = rx_head_;
        rx_head_ = head->next;  // the link held the reference on the next pbuf: it is ours now
        head->next = nullptr;
        head->tot_len = head->len;
        pbuf_free(head);
        rx_offset_ = 0;
        if (rx_head_ == nullptr) rx_tail_ = nullptr;
      }
    }
    rx_bytes_ -= done;
    consume(done);
    // Drained when the queue is empty and nothing (FIN, error) is left to report.
    return {done, Errc::ok, done < n && rx_bytes_ == 0 && !fin_ && error_ == Errc::ok};
  }
  if (error_ != Errc::ok) return {0, error_};
  if (fin_ || pcb_ == nullptr) return {0, Errc::closed};
  return {0, Errc::would_block};
}

// Opens the receive window by what the app consumed.
void LwipSocket::consume(std::size_t n) {
  if (pcb_ == nullptr) return;
  while (n > 0) {
    auto chunk = static_cast<u16_t>(std::min<std::size_t>(n, 0xFFFF));
    tcp_recved(pcb_, chunk);
    n -= chunk;
  }
}

IoAttempt LwipSocket::write(const char* src, std::size_t n) {
  if (error_ != Errc::ok) return {0, error_};
  if (state_ == State::listening) return {0, Errc::invalid_argument};
  if (pcb_ == nullptr) return {0, Errc::closed};
  if (state_ == State::connecting) return {0, Errc::would_block};
  std::size_t room = tcp_sndqueuelen(pcb_) >= TCP_SND_QUEUELEN ? 0 : tcp_sndbuf(pcb_);
  std::size_t k = std::min<std::size_t>({n, room, 0xFFFF});
  if (k == 0) return {0, Errc::would_block};  // tcp_sent reports the space acknowledgements free
  err_t e = tcp_write(pcb_, src, static_cast<u16_t>(k), TCP_WRITE_FLAG_COPY);
  if (e == ERR_MEM) return {0, Errc::would_block};  // no pbufs now: tcp_sent (or tcp_poll) retries
  if (e != ERR_OK) return {0, errc_from_lwip(e)};
  (void)tcp_output(pcb_);  // an error leaves the data queued: lwIP retransmits it
  return {k, Errc::ok};
}

Status LwipSocket::connect_status() {
  switch (state_) {
    case State::connecting:
      return Errc::would_block;
    case State::failed:
      return error_;
    default:
      return {};
  }
}

Result<NativeSocket*> LwipSocket::accept() {
  if (state_ != State::listening) return Errc::invalid_argument;
  LwipSocket* s = pending_head_;
  if (s == nullptr) return Errc::would_block;
  pending_head_ = s->next_pending_;
  if (pending_head_ == nullptr) pending_tail_ = nullptr;
  s->next_pending_ = nullptr;
  return static_cast<NativeSocket*>(s);
}

Status LwipSocket::shutdown_write() {
  if (error_ != Errc::ok) return error_;
  if (pcb_ == nullptr || state_ != State::connected) return Errc::closed;
  err_t e = tcp_shutdown(pcb_, 0, 1);
  if (e != ERR_OK) return errc_from_lwip(e);
  return {};
}

Result<Endpoint> LwipSocket::local_endpoint() const {
  if (pcb_ == nullptr) return error_ != Errc::ok ? error_ : Errc::closed;
  return Endpoint{from_lwip(pcb_->local_ip), pcb_->local_port};
}

Result<Endpoint> LwipSocket::peer_endpoint() const {
  if (state_ == State::listening) return Errc::invalid_argument;
  if (pcb_ == nullptr) return error_ != Errc::ok ? error_ : Errc::closed;
  return Endpoint{from_lwip(pcb_->remote_ip), pcb_->remote_port};
}

int LwipSocket::handle() const {
  return static_cast<int>(port_->index_of(*this));
}

void LwipSocket::free_received() {
  while (rx_head_ != nullptr) {
    pbuf* head = rx_head_;
    rx_head_ = head->next;
    head->next = nullptr;
    pbuf_free(head);
  }
  rx_tail_ = nullptr;
  rx_bytes_ = 0;
  rx_offset_ = 0;
}

void LwipSocket::destroy() {
  if (state_ == State::listening) {
    while (pending_head_ != nullptr) {  // accepted by lwIP, never taken by the app
      LwipSocket* s = pending_head_;
      pending_head_ = s->next_pending_;
      s->destroy();
    }
    tcp_arg(pcb_, nullptr);
    tcp_accept(pcb_, nullptr);
    (void)tcp_close(pcb_);  // a listening pcb is freed at once
  } else if (pcb_ != nullptr) {
    detach_pcb();
    // Graceful: FIN after the queued data (an RST if unread data is left, as on Linux). A pcb lwIP
    // cannot close for lack of memory is aborted rather than leaked.
    if (tcp_close(pcb_) != ERR_OK) tcp_abort(pcb_);
  }
  pcb_ = nullptr;
  free_received();
  port_->release(*this);
}

// --- LwipSocketPort ---------------------------------------------------------------------------------------

LwipSocketPort::LwipSocketPort(ClockPort& clock) : clock_(clock) {
  for (Lookup& l : lookups_)
    l.port = this;
  dns_lookup_ = reinterpret_cast<void (*)()>(stack_dns_lookup());
}

std::size_t LwipSocketPort::index_of(const LwipSocket& s) const {
  return static_cast<std::size_t>(reinterpret_cast<const unsigned char*>(&s) - storage_[0]) /
         sizeof(storage_[0]);
}

LwipSocket* LwipSocketPort::take_socket(const char* what) {
  for (std::size_t i = 0; i < kMaxSockets; ++i) {
    if (used_[i]) continue;
    used_[i] = true;
    ++in_use_;
    auto* s = new (storage_[i]) LwipSocket();
    s->port_ = this;
    return s;
  }
  WEFT_LOG_ERROR("lwIP socket port: all %u sockets are in use, %s is refused (WEFT_LWIP_MAX_SOCKETS)",
                 static_cast<unsigned>(kMaxSockets), what);
  return nullptr;
}

void LwipSocketPort::release(LwipSocket& s) {
  std::size_t i = index_of(s);
  s.~LwipSocket();
  used_[i] = false;
  --in_use_;
}

Result<NativeSocket*> LwipSocketPort::connect(const Endpoint& to) {
  if (to.port == 0) {
    log_endpoint("TcpStream::connect", to, "port 0 is not a destination");
    return Errc::invalid_argument;
  }
  ip_addr_t ip;
  if (!to_lwip(to.address, ip)) {
    log_endpoint("TcpStream::connect", to, "this lwIP is built without IPv6");
    return Errc::unreachable;
  }
  LwipSocket* s = take_socket("a new connection");
  if (s == nullptr) return Errc::no_memory;
  tcp_pcb* pcb = new_pcb_for(ip);
  if (pcb == nullptr) {
    release(*s);
    log_endpoint("TcpStream::connect", to, "lwIP has no free TCP pcb (MEMP_NUM_TCP_PCB)");
    return Errc::no_memory;
  }
  s->state_ = LwipSocket::State::connecting;
  s->attach(pcb);
  err_t e = tcp_connect(pcb, &ip, to.port, &Callbacks::on_connected);
  if (e != ERR_OK) {
    s->detach_pcb();
    if (tcp_close(pcb) != ERR_OK) tcp_abort(pcb);
    release(*s);
    Errc why = errc_from_lwip(e, true);
    log_endpoint("TcpStream::connect", to, to_string(why));
    return why;
  }
  return static_cast<NativeSocket*>(s);
}

Result<NativeSocket*> LwipSocketPort::listen(const Endpoint& at, int backlog) {
  ip_addr_t ip;
  if (!to_lwip(at.address, ip)) {
    log_endpoint("TcpListener::listen", at, "this lwIP is built without IPv6");
    return Errc::invalid_argument;
  }
  LwipSocket* s = take_socket("a new listener");
  if (s == nullptr) return Errc::no_memory;
  tcp_pcb* pcb = new_pcb_for(ip);
  if (pcb == nullptr) {
    release(*s);
    log_endpoint("TcpListener::listen", at, "lwIP has no free TCP pcb (MEMP_NUM_TCP_PCB)");
    return Errc::no_memory;
  }
  allow_address_reuse(pcb);
  err_t e = tcp_bind(pcb, &ip, at.port);
  if (e != ERR_OK) {
    (void)tcp_close(pcb);
    release(*s);
    log_endpoint("TcpListener::listen", at,
                 e == ERR_USE ? "address already in use (another server runs there?)" : "cannot bind");
    return e == ERR_USE ? Errc::io_error : errc_from_lwip(e);
  }
  tcp_pcb* listening = listen_pcb(pcb, static_cast<u8_t>(std::clamp(backlog, 1, 255)), &e);
  if (listening == nullptr) {  // the bound pcb is still ours
    (void)tcp_close(pcb);
    release(*s);
    log_endpoint("TcpListener::listen", at,
                 e == ERR_USE ? "address already in use (another server runs there?)"
                              : "lwIP has no free listening pcb (MEMP_NUM_TCP_PCB_LISTEN)");
    return e == ERR_USE ? Errc::io_error : Errc::no_memory;
  }
  s->pcb_ = listening;
  s->state_ = LwipSocket::State::listening;
  tcp_arg(listening, s);
  tcp_accept(listening, &Callbacks::on_accept);
  return static_cast<NativeSocket*>(s);
}

void LwipSocketPort::resolve(ResolveOp& op) {
  if (Result<IpAddress> numeric = IpAddress::parse(op.host()); numeric) {
    op.complete(Endpoint{*numeric, op.port()});
    return;
  }
  auto lookup = reinterpret_cast<DnsLookup>(dns_lookup_);
  if (lookup == nullptr) {
    WEFT_LOG_ERROR("resolve(%s): this lwIP has no DNS client (LWIP_DNS is 0): use a numeric address",
                   op.host());
    op.complete(Errc::name_not_found);
    return;
  }
  Lookup* job = nullptr;
  for (Lookup& l : lookups_) {
    if (!l.busy) {
      job = &l;
      break;
    }
  }
  if (job == nullptr) {
    WEFT_LOG_ERROR("resolve(%s): %u lookups already run (the pool is full); try again later", op.host(),
                   static_cast<unsigned>(kMaxLookups));
    op.complete(Errc::no_memory);
    return;
  }
  job->busy = true;
  job->op = &op;
  op.port_data = job;
  ip_addr_t address;
  err_t e = lookup(op.host(), &address, &Callbacks::on_dns, job);
  if (e == ERR_INPROGRESS) return;  // on_dns completes it
  if (job->op == nullptr) return;   // answered from inside the call
  job->busy = false;
  job->op = nullptr;
  op.port_data = nullptr;
  if (e == ERR_OK) {
    op.complete(Endpoint{from_lwip(address), op.port()});
    return;
  }
  WEFT_LOG_ERROR("resolve(%s): lwIP's DNS refused the lookup (%s)", op.host(),
                 e == ERR_MEM ? "its table is full" : "an invalid name, or DNS is not initialised");
  op.complete(e == ERR_MEM ? Errc::no_memory : Errc::name_not_found);
}

void LwipSocketPort::cancel_resolve(ResolveOp& op) {
  auto* job = static_cast<Lookup*>(op.port_data);
  if (job == nullptr) return;
  job->op = nullptr;  // lwIP keeps the job until it answers (it cannot take a lookup back)
  op.port_data = nullptr;
}

}  // namespace weft::lwip
