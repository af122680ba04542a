/* The raw epoll ping-pong io_bench compares weft with (raw_epoll_pingpong.c). */
#pragma once
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Nanoseconds for `rounds` round trips of `size`-byte messages (1 .. 65536), or -1 on failure (printed). */
long long raw_epoll_pingpong_ns(long rounds, size_t size);

#ifdef __cplusplus
}
#endif
