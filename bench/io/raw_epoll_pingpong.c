/* The floor for io_bench: a TCP ping-pong over loopback written directly against epoll, in C, on one thread
 * (like two weft tasks on one loop). Level-triggered; each hop is one epoll_wait, one recv, one send, the
 * least a readiness-based event loop can do. */
#include "raw_epoll_pingpong.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reads exactly n bytes of a message that is (at least partly) there; more arrives with the next epoll_wait.
 */
static int recv_all(int fd, char* buf, size_t n, size_t* got) {
  while (*got < n) {
    ssize_t r = recv(fd, buf + *got, n - *got, 0);
    if (r <= 0) return r == 0 ? -1 : 0; /* EAGAIN: the rest comes later */
    *got += (size_t)r;
  }
  return 1;
}

long long raw_epoll_pingpong_ns(long rounds, size_t size) {
  char ping[65536];
  char pong[65536];
  if (size == 0 || size > sizeof ping) return -1;
  memset(ping, 'p', size);
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(listener, (struct sockaddr*)&a, sizeof a) != 0 || listen(listener, 1) != 0 ||
      getsockname(listener, (struct sockaddr*)&a, &len) != 0) {
    perror("raw ping-pong: listener");
    return -1;
  }
  int client = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(client, (struct sockaddr*)&a, sizeof a) != 0) {
    perror("raw ping-pong: connect");
    return -1;
  }
  int server = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
  close(listener);
  int one = 1;
  setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK);
  int ep = epoll_create1(0);
  struct epoll_event ev;
  ev.events = EPOLLIN;
  ev.data.fd = client;
  epoll_ctl(ep, EPOLL_CTL_ADD, client, &ev);
  ev.data.fd = server;
  epoll_ctl(ep, EPOLL_CTL_ADD, server, &ev);

  long done = 0;
  size_t got_server = 0, got_client = 0;
  long long start = mono_ns();
  send(client, ping, size, MSG_NOSIGNAL);
  while (done < rounds) {
    struct epoll_event events[2];
    int n = epoll_wait(ep, events, 2, -1);
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == server) {
        int r = recv_all(server, pong, size, &got_server);
        if (r < 0) return -1;
        if (r == 1) {
          got_server = 0;
          send(server, pong, size, MSG_NOSIGNAL);
        }
      } else {
        int r = recv_all(client, pong, size, &got_client);
        if (r < 0) return -1;
        if (r == 1) {
          got_client = 0;
          if (++done < rounds) send(client, ping, size, MSG_NOSIGNAL);
        }
      }
    }
  }
  long long elapsed = mono_ns() - start;
  close(ep);
  close(client);
  close(server);
  return elapsed;
}
