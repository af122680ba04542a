#!/usr/bin/env python3
"""CPython asyncio baseline for the weft benchmark suite: the same workloads and JSON-lines records as the
suite_*.cpp programs (see suite_common.hpp for the modes and options).

  switch    N tasks `while not done: await asyncio.sleep(0)` (one sleep(0) = one task switch)
  timers    N tasks, each `await asyncio.sleep(due - loop.time())` to its next absolute deadline (skip when
            late); asyncio rounds its epoll timeout up to whole ms
  handoff   two tasks ping-ponging through a pair of asyncio.Event (set/wait/clear) and of asyncio.Queue(1)
  pingpong  asyncio streams over loopback TCP (TCP_NODELAY): write + drain, readexactly
  memory    tracemalloc bytes per task parked in an Event wait
Default event loop (selector, epoll), one thread; no uvloop.
"""
import asyncio
import json
import socket
import sys
import time
import tracemalloc

USAGE = "usage: asyncio_bench.py MODE [--tasks=LIST] [--switches=N] [--period-ms=N] [--duration-ms=N] " \
        "[--rounds=N] [--size=N]   (MODE: switch | timers | handoff | pingpong | memory)"
LIMITS = {"switches": 10_000_000_000, "period-ms": 60_000, "duration-ms": 3_600_000, "rounds": 1_000_000_000,
          "size": 65536}


def usage_error(what):
    print(f"asyncio_bench.py: {what}\n{USAGE}", file=sys.stderr)
    sys.exit(2)


def count(arg, text, limit):
    if not text.isdigit() or not 1 <= int(text) <= limit:
        usage_error(f"'{arg}': expected a whole number 1 .. {limit}")
    return int(text)


def parse(argv):
    if len(argv) < 2:
        usage_error("missing MODE")
    opts = {"mode": argv[1], "tasks": [1], "switches": 200_000, "period-ms": 1, "duration-ms": 400,
            "rounds": 20_000, "size": 64}
    for arg in argv[2:]:
        name, eq, value = arg.partition("=")
        if not name.startswith("--") or not eq:
            usage_error(f"'{arg}': expected --name=value")
        key = name[2:]
        if key == "tasks":
            opts["tasks"] = [count(arg, v, 10_000_000) for v in value.split(",")]
        elif key in LIMITS:
            opts[key] = count(arg, value, LIMITS[key])
        else:
            usage_error(f"unknown option '{name}'")
    return opts


def emit(**record):
    print(json.dumps(record), flush=True)


class SwitchCounter:
    """As suite_common.hpp: the window is switches start_at .. stop_at after every task ran twice."""

    def __init__(self, tasks, switches):
        self.count, self.start_at = 0, 2 * tasks + 1000
        self.stop_at = self.start_at + switches
        self.t0 = self.t1 = 0
        self.finished = False

    def tick(self):
        self.count += 1
        if self.count == self.start_at:
            self.t0 = time.perf_counter_ns()
        elif self.count == self.stop_at:
            self.t1 = time.perf_counter_ns()
            self.finished = True

    def ns_per_switch(self):
        return (self.t1 - self.t0) / (self.stop_at - self.start_at)


async def yielder(c):
    while not c.finished:
        await asyncio.sleep(0)
        c.tick()


async def switch(opts):
    for n in opts["tasks"]:
        c = SwitchCounter(n, opts["switches"])
        await asyncio.gather(*(yielder(c) for _ in range(n)))
        emit(bench="switch", impl="asyncio", tasks=n, ns=round(c.ns_per_switch(), 3))


def quantile_us(sorted_ns, q):
    return round(sorted_ns[int(q * (len(sorted_ns) - 1))] / 1000, 2) if sorted_ns else 0


async def timers(opts):
    loop = asyncio.get_running_loop()
    period = opts["period-ms"] / 1000
    duration = opts["duration-ms"] / 1000
    for n in opts["tasks"]:
        late, skipped = [], [0]
        start, cpu0 = loop.time(), time.process_time()
        record_from, end = start + min(0.1, duration / 5), start + duration

        async def ticker():
            due = start + period
            while due < end:
                await asyncio.sleep(due - loop.time())
                now = loop.time()
                if due >= record_from:
                    late.append(int((now - due) * 1e9))
                due += period
                if due <= now:
                    missed = int((now - due) // period) + 1
                    skipped[0] += missed
                    due += missed * period

        await asyncio.gather(*(ticker() for _ in range(n)))
        wall = loop.time() - start
        late.sort()
        emit(bench="timers", impl="asyncio", tasks=n, period_ms=opts["period-ms"],
             p50_us=quantile_us(late, 0.5), p90_us=quantile_us(late, 0.9), p99_us=quantile_us(late, 0.99),
             p999_us=quantile_us(late, 0.999), max_us=quantile_us(late, 1.0), samples=len(late),
             skipped=skipped[0], cpu=round((time.process_time() - cpu0) / wall, 3))


async def handoff(opts):
    rounds = opts["rounds"]

    async def event_pinger(ping, pong):
        for _ in range(rounds):
            ping.set()
            await pong.wait()
            pong.clear()

    async def event_ponger(ping, pong):
        for _ in range(rounds):
            await ping.wait()
            ping.clear()
            pong.set()

    async def queue_pinger(ping, pong):
        for i in range(rounds):
            await ping.put(i)
            await pong.get()

    async def queue_ponger(ping, pong):
        for _ in range(rounds):
            await pong.put(await ping.get())

    for via, make, pinger, ponger in (("event", asyncio.Event, event_pinger, event_ponger),
                                      ("queue", lambda: asyncio.Queue(1), queue_pinger, queue_ponger)):
        ping, pong = make(), make()
        t0 = time.perf_counter_ns()
        await asyncio.gather(ponger(ping, pong), pinger(ping, pong))
        emit(bench="handoff", impl="asyncio", via=via, ns=round((time.perf_counter_ns() - t0) / (2 * rounds), 3))


async def pingpong(opts):
    size, rounds = opts["size"], opts["rounds"]
    accepted = asyncio.get_running_loop().create_future()
    server = await asyncio.start_server(lambda r, w: accepted.set_result((r, w)), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client_r, client_w = await asyncio.open_connection("127.0.0.1", port)
    server_r, server_w = await accepted
    for w in (client_w, server_w):
        w.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def ponger():
        for _ in range(rounds):
            server_w.write(await server_r.readexactly(size))
            await server_w.drain()

    async def pinger():
        msg = b"p" * size
        for _ in range(rounds):
            client_w.write(msg)
            await client_w.drain()
            await client_r.readexactly(size)

    t0 = time.perf_counter_ns()
    await asyncio.gather(ponger(), pinger())
    elapsed = time.perf_counter_ns() - t0
    for w in (client_w, server_w):
        w.close()
    server.close()
    emit(bench="pingpong", impl="asyncio", size=size, ns=round(elapsed / rounds, 1))


async def memory(opts):
    n = opts["tasks"][0]
    gate = asyncio.Event()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(gate.wait()) for _ in range(n)]
    await asyncio.sleep(0)  # every task starts and parks in gate.wait()
    per_task = (tracemalloc.get_traced_memory()[0] - before) / n
    tracemalloc.stop()
    gate.set()
    await asyncio.gather(*tasks)
    emit(bench="memory", impl="asyncio", bytes_per_task=round(per_task, 1),
         what="Task + coroutine + waiter future (tracemalloc)")


def main():
    opts = parse(sys.argv)
    modes = {"switch": switch, "timers": timers, "handoff": handoff, "pingpong": pingpong, "memory": memory}
    if opts["mode"] not in modes:
        usage_error(f"unknown MODE '{opts['mode']}'")
    asyncio.run(modes[opts["mode"]](opts))


if __name__ == "__main__":
    main()
