#include "fake_lwip.hpp"

#include <cstring>

#include "lx106_qemu/lx106.hpp"

namespace {

constexpr int kPcbs = 6;
constexpr int kListens = 2;
constexpr int kPbufs = 12;
constexpr std::size_t kPbufBytes = 256;

tcp_pcb g_pcbs[kPcbs];
bool g_pcb_used[kPcbs];
tcp_pcb_listen g_listens[kListens];
bool g_listen_used[kListens];
pbuf g_pbufs[kPbufs];
char g_pbuf_data[kPbufs][kPbufBytes];
bool g_pbuf_used[kPbufs];

char g_wire[8192];
std::size_t g_wire_len;
unsigned long g_recved;
int g_closes;
int g_aborts;
int g_closed_with_callbacks;
bool g_shut_tx;
err_t g_connect_error = ERR_OK;
tcp_pcb* g_last;
tcp_pcb* g_last_listener;

int pcb_index(tcp_pcb* p) {
  for (int i = 0; i < kPcbs; ++i)
    if (p == &g_pcbs[i]) return i;
  return -1;
}

int listen_index(tcp_pcb* p) {
  for (int i = 0; i < kListens; ++i)
    if (p == reinterpret_cast<tcp_pcb*>(&g_listens[i])) return i;
  return -1;
}

void free_pcb(tcp_pcb* p) {
  if (int i = pcb_index(p); i >= 0) g_pcb_used[i] = false;
  if (int i = listen_index(p); i >= 0) g_listen_used[i] = false;
}

tcp_pcb* alloc_pcb() {
  for (int i = 0; i < kPcbs; ++i) {
    if (g_pcb_used[i]) continue;
    g_pcb_used[i] = true;
    std::memset(&g_pcbs[i], 0, sizeof g_pcbs[i]);
    g_pcbs[i].state = CLOSED;
    g_pcbs[i].snd_buf = TCP_SND_BUF;
    g_pcbs[i].mss = TCP_MSS;
    g_last = &g_pcbs[i];
    return &g_pcbs[i];
  }
  return nullptr;
}

void note_release(tcp_pcb* p) {
  if (listen_index(p) < 0 && (p->recv != nullptr || p->sent != nullptr || p->errf != nullptr))
    ++g_closed_with_callbacks;
  if (p->callback_arg != nullptr) ++g_closed_with_callbacks;
}

}  // namespace

// --- The lwIP API the port calls (the SDK's declarations) --------------------------------------------------
extern "C" {

tcp_pcb* tcp_new(void) {
  return alloc_pcb();
}
void tcp_arg(tcp_pcb* pcb, void* arg) {
  pcb->callback_arg = arg;
}
void tcp_recv(tcp_pcb* pcb, tcp_recv_fn recv) {
  pcb->recv = recv;
}
void tcp_sent(tcp_pcb* pcb, tcp_sent_fn sent) {
  pcb->sent = sent;
}
void tcp_err(tcp_pcb* pcb, tcp_err_fn err) {
  pcb->errf = err;
}
void tcp_accept(tcp_pcb* pcb, tcp_accept_fn accept) {
  pcb->accept = accept;
}
void tcp_poll(tcp_pcb* pcb, tcp_poll_fn poll, u8_t interval) {
  pcb->poll = poll;
  pcb->pollinterval = interval;
}
void tcp_recved(tcp_pcb* /*pcb*/, u16_t len) {
  g_recved += len;
}

err_t tcp_bind(tcp_pcb* pcb, ip_addr_t* ipaddr, u16_t port) {
  for (int i = 0; i < kListens; ++i)
    if (g_listen_used[i] && g_listens[i].local_port == port) return ERR_USE;
  pcb->local_ip = *ipaddr;
  pcb->local_port = port;
  return ERR_OK;
}

err_t tcp_connect(tcp_pcb* pcb, ip_addr_t* ipaddr, u16_t port, tcp_connected_fn connected) {
  if (g_connect_error != ERR_OK) {
    err_t e = g_connect_error;
    g_connect_error = ERR_OK;
    return e;
  }
  pcb->remote_ip = *ipaddr;
  pcb->remote_port = port;
  pcb->local_port = 49152;
  pcb->connected = connected;
  pcb->state = SYN_SENT;
  return ERR_OK;
}

tcp_pcb* tcp_listen_with_backlog(tcp_pcb* pcb, u8_t /*backlog*/) {
  for (int i = 0; i < kListens; ++i) {
    if (g_listen_used[i]) continue;
    g_listen_used[i] = true;
    tcp_pcb_listen& l = g_listens[i];
    std::memset(&l, 0, sizeof l);
    l.state = LISTEN;
    l.local_ip = pcb->local_ip;
    l.local_port = pcb->local_port;
    l.callback_arg = pcb->callback_arg;
    free_pcb(pcb);
    g_last_listener = reinterpret_cast<tcp_pcb*>(&l);
    return g_last_listener;
  }
  return nullptr;
}

err_t tcp_write(tcp_pcb* pcb, const void* data, u16_t len, u8_t /*apiflags*/) {
  if (pcb->state != ESTABLISHED && pcb->state != CLOSE_WAIT) return ERR_CONN;
  if (len > pcb->snd_buf || g_wire_len + len >= sizeof g_wire) return ERR_MEM;
  std::memcpy(g_wire + g_wire_len, data, len);
  g_wire_len += len;
  g_wire[g_wire_len] = '\0';
  pcb->snd_buf = static_cast<u16_t>(pcb->snd_buf - len);
  return ERR_OK;
}

err_t tcp_output(tcp_pcb* /*pcb*/) {
  return ERR_OK;
}

err_t tcp_shutdown(tcp_pcb* pcb, int /*shut_rx*/, int shut_tx) {
  if (shut_tx != 0) {
    g_shut_tx = true;
    pcb->state = FIN_WAIT_1;
  }
  return ERR_OK;
}

err_t tcp_close(tcp_pcb* pcb) {
  ++g_closes;
  note_release(pcb);
  free_pcb(pcb);  // lwIP would keep it through FIN_WAIT/TIME_WAIT, with the callbacks cleared
  return ERR_OK;
}

void tcp_abort(tcp_pcb* pcb) {
  ++g_aborts;
  tcp_err_fn errf = listen_index(pcb) < 0 ? pcb->errf : nullptr;
  void* arg = pcb->callback_arg;
  free_pcb(pcb);
  if (errf != nullptr) errf(arg, ERR_ABRT);  // as lwIP: the error callback runs on an abort
}

u8_t pbuf_free(pbuf* p) {
  u8_t freed = 0;
  while (p != nullptr) {
    if (--p->ref != 0) break;
    pbuf* next = p->next;
    for (int i = 0; i < kPbufs; ++i)
      if (p == &g_pbufs[i]) g_pbuf_used[i] = false;
    ++freed;
    p = next;
  }
  return freed;
}

err_t dns_gethostbyname(const char* /*hostname*/, ip_addr_t* /*addr*/, dns_found_callback /*found*/,
                        void* /*arg*/) {
  return ERR_ARG;  // the tests resolve numeric addresses, which never reach lwIP
}

}  // extern "C"

// --- The test's side of the network ------------------------------------------------------------------------
namespace fake_lwip {

void reset() {
  for (bool& u : g_pcb_used)
    u = false;
  for (bool& u : g_listen_used)
    u = false;
  for (bool& u : g_pbuf_used)
    u = false;
  g_wire_len = 0;
  g_wire[0] = '\0';
  g_recved = 0;
  g_closes = g_aborts = g_closed_with_callbacks = 0;
  g_shut_tx = false;
  g_connect_error = ERR_OK;
  g_last = nullptr;
}

int pcbs_in_use() {
  int n = 0;
  for (bool u : g_pcb_used)
    n += u ? 1 : 0;
  for (bool u : g_listen_used)
    n += u ? 1 : 0;
  return n;
}

int pbufs_in_use() {
  int n = 0;
  for (bool u : g_pbuf_used)
    n += u ? 1 : 0;
  return n;
}

tcp_pcb* last_pcb() {
  return g_last;
}
tcp_pcb* last_listener() {
  return g_last_listener;
}

void establish(tcp_pcb* pcb) {
  pcb->state = ESTABLISHED;
  if (pcb->connected != nullptr) pcb->connected(pcb->callback_arg, pcb, ERR_OK);
}

void deliver(tcp_pcb* pcb, const char* text) {
  std::size_t n = std::strlen(text);
  for (int i = 0; i < kPbufs; ++i) {
    if (g_pbuf_used[i] || n > kPbufBytes) continue;
    g_pbuf_used[i] = true;
    pbuf& p = g_pbufs[i];
    std::memset(&p, 0, sizeof p);
    std::memcpy(g_pbuf_data[i], text, n);
    p.payload = g_pbuf_data[i];
    p.len = p.tot_len = static_cast<u16_t>(n);
    p.ref = 1;
    if (pcb->recv(pcb->callback_arg, pcb, &p, ERR_OK) != ERR_OK) pbuf_free(&p);
    return;
  }
  // Dropping the text would leave the test waiting for data that never comes: stop with the reason instead.
  weft::lx106::fatal(weft::lx106::kExitTrap, n > kPbufBytes ? "fake lwIP: deliver() text longer than a pbuf"
                                                            : "fake lwIP: deliver() with every pbuf in use");
}

void deliver_fin(tcp_pcb* pcb) {
  pcb->state = CLOSE_WAIT;
  pcb->recv(pcb->callback_arg, pcb, nullptr, ERR_OK);
}

void ack(tcp_pcb* pcb, unsigned bytes) {
  pcb->snd_buf = static_cast<u16_t>(pcb->snd_buf + bytes);
  if (pcb->sent != nullptr) pcb->sent(pcb->callback_arg, pcb, static_cast<u16_t>(bytes));
}

void fail(tcp_pcb* pcb, err_t err) {
  tcp_err_fn errf = pcb->errf;
  void* arg = pcb->callback_arg;
  free_pcb(pcb);
  if (errf != nullptr) errf(arg, err);
}

tcp_pcb* accept_incoming(tcp_pcb* listener) {
  tcp_pcb* pcb = alloc_pcb();
  pcb->state = ESTABLISHED;
  pcb->local_ip = listener->local_ip;
  pcb->local_port = listener->local_port;
  IP4_ADDR(&pcb->remote_ip, 192, 168, 4, 2);
  pcb->remote_port = 50000;
  if (listener->accept(listener->callback_arg, pcb, ERR_OK) != ERR_OK) return nullptr;
  return pcb;
}

const char* wire() {
  return g_wire;
}
std::size_t wire_length() {
  return g_wire_len;
}
unsigned long recved_total() {
  return g_recved;
}
int closes() {
  return g_closes;
}
int aborts() {
  return g_aborts;
}
int closed_with_callbacks() {
  return g_closed_with_callbacks;
}
bool shut_tx() {
  return g_shut_tx;
}
void set_connect_error(err_t e) {
  g_connect_error = e;
}

}  // namespace fake_lwip
