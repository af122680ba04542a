// A fake of exactly the lwIP raw calls board/esp8266/lwip uses, compiled against the NONOS SDK's lwIP 1.4
// headers (its struct tcp_pcb and pbuf), for the port's tests on the lx106 under QEMU. No heap: pcbs and
// pbufs come from small static pools, so a leak shows as a slot still in use.
//
// The test plays the network: establish() a connection, deliver() data, ack() sent bytes, fail() with an
// err_t (as lwIP's tcp_err: the pcb is freed first), accept_incoming() on a listener. What the port sent is
// in wire(); tcp_write refuses (ERR_MEM) beyond snd_buf like lwIP.
#pragma once
#include <cstddef>

#include "lwip_compat.hpp"

namespace fake_lwip {

void reset();  // frees everything, clears the records
[[nodiscard]] int pcbs_in_use();
[[nodiscard]] int pbufs_in_use();
[[nodiscard]] tcp_pcb* last_pcb();       // the last pcb tcp_new (or accept_incoming) handed out
[[nodiscard]] tcp_pcb* last_listener();  // the last pcb tcp_listen_with_backlog made

void establish(tcp_pcb* pcb);                  // SYN-ACK arrived: the connected callback
void deliver(tcp_pcb* pcb, const char* text);  // one pbuf of data: the recv callback
void deliver_fin(tcp_pcb* pcb);                // the peer's FIN
void ack(tcp_pcb* pcb, unsigned bytes);        // the peer acknowledged: snd_buf grows, the sent callback
void fail(tcp_pcb* pcb, err_t err);            // lwIP frees the pcb, then calls tcp_err
tcp_pcb* accept_incoming(tcp_pcb* listener);   // a connection on a listener: the accept callback

[[nodiscard]] const char* wire();  // every byte tcp_write took, in order (NUL-terminated)
[[nodiscard]] std::size_t wire_length();
[[nodiscard]] unsigned long recved_total();  // sum of tcp_recved()
[[nodiscard]] int closes();
[[nodiscard]] int aborts();
[[nodiscard]] int closed_with_callbacks();  // tcp_close/abort on a pcb whose callbacks were still set
[[nodiscard]] bool shut_tx();
void set_connect_error(err_t e);  // the next tcp_connect returns it

}  // namespace fake_lwip
