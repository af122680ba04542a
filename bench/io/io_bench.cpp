// io_bench: loopback TCP ping-pong between two weft tasks on one loop, beside the same ping-pong written in C
// directly against epoll (raw_epoll_pingpong.c), in the same run. Prints ns per round trip and the ratio.
//   weft read_some     read_some into a 4 KiB buffer: per hop one epoll_wait, one recv, one send, like the C
//   weft BufferedReader  BufferedReader::fill + consume (how a framed protocol such as Blynk reads)
//   weft read_exactly  read_exactly into a message-sized buffer (one extra would-block recv per hop)
//   ...profiling off   Loop::set_profiling(false): no clock reads around each task switch
// Run `io_bench --help` for the options. Figures vary with load: the table shows medians of --runs runs.
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "args.hpp"
#include "clock.hpp"
#include "core/weft.hpp"
#include "host.hpp"
#include "io/io.hpp"
#include "raw_epoll_pingpong.h"
#include "record.hpp"
#include "stats.hpp"

namespace {

using namespace weft;

struct Options {
  bool quick = false;
  bool json = false;
  long rounds = 200000;
  int runs = 5;
  std::size_t size = 64;
};

const char kUsage[] =
    "usage: io_bench [options]\n"
    "  --quick      smoke run: 200 round trips, one run (used by ctest; prints, asserts nothing)\n"
    "  --json       one JSON record per variant instead of the table (run_suite.py reads them)\n"
    "  --rounds=N   round trips per run (default 200000)\n"
    "  --runs=N     runs per figure, the table shows medians (default 5)\n"
    "  --size=N     message size in bytes, 1 .. 65536 (default 64)\n";

Options parse(int argc, char** argv) {
  Options o;
  bench::Args args(argc, argv, kUsage);
  while (args.next()) {
    if (args.flag("--quick")) {
      o.quick = true;
    } else if (args.flag("--json")) {
      o.json = true;
    } else if (args.is("--rounds")) {
      o.rounds = static_cast<long>(args.count(1'000'000'000));
    } else if (args.is("--runs")) {
      o.runs = static_cast<int>(args.count(1000));
    } else if (args.is("--size")) {
      o.size = static_cast<std::size_t>(args.count(65536));
    } else {
      args.unknown();
    }
  }
  if (o.quick) {
    o.rounds = 200;
    o.runs = 1;
  }
  return o;
}

enum class Reader { read_some, read_exactly, buffered };

// Reads one whole message (inline, not a nested Task: the figure is the I/O path, not a frame per message):
//   read_some     into a 4 KiB buffer until the message is complete (a short read tells the socket layer the
//                 socket is drained, so the next read waits for epoll without a would-block recv)
//   read_exactly  into a message-sized buffer (nothing says "drained": one would-block recv per hop)
//   buffered      BufferedReader::fill + consume over a 4 KiB buffer (how a framed protocol reads)
#define WEFT_BENCH_READ_MESSAGE(s, in, size, how)                                                         \
  switch (how) {                                                                                          \
    case Reader::read_exactly:                                                                            \
      if (IoResult r = co_await (s).read_exactly(std::span<char>(in).first(size)); !r) co_return r.error; \
      break;                                                                                              \
    case Reader::read_some:                                                                               \
      for (std::size_t got = 0; got < (size);) {                                                          \
        IoResult r = co_await (s).read_some(in);                                                          \
        if (!r) co_return r.error;                                                                        \
        got += r.count;                                                                                   \
      }                                                                                                   \
      break;                                                                                              \
    case Reader::buffered:                                                                                \
      if (Status st = co_await reader.fill(size); !st) co_return st.error();                              \
      reader.consume(size);                                                                               \
      break;                                                                                              \
  }

// One side of the ping-pong, `rounds` messages each way: the pinger writes first, the ponger answers what it
// reads (steps alternate, so the two differ only in which step comes first).
Task<Status> player(TcpStream& s, std::size_t size, long rounds, Reader how, bool pinger) {
  std::vector<char> in(4096);
  std::vector<char> storage(4096);
  BufferedReader reader(s, storage);
  std::vector<char> out(size, pinger ? 'p' : 'q');
  for (long step = 0; step < 2 * rounds; ++step) {
    if ((step % 2 == 0) == pinger) {
      if (IoResult r = co_await s.write_all(std::span<const char>(out)); !r) co_return r.error;
    } else {
      WEFT_BENCH_READ_MESSAGE(s, in, size, how)
    }
  }
  co_return Status{};
}

struct Pair {
  TcpStream client;
  TcpStream server;
};

Task<Status> open_pair(Pair& p) {
  Result<TcpListener> l = TcpListener::listen(Endpoint::v4(127, 0, 0, 1, 0));
  if (!l) co_return l.error();
  Result<TcpStream> c = co_await TcpStream::connect(*l->local_endpoint(), sec(5));
  if (!c) co_return c.error();
  Result<TcpStream> s = co_await l->accept();
  if (!s) co_return s.error();
  p.client = std::move(*c);
  p.server = std::move(*s);
  co_return Status{};
}

// Nanoseconds for the whole ping-pong on a fresh loop and connection, or -1.
long long weft_pingpong_ns(const Options& o, Reader how, bool profiling) {
  Loop loop;
  loop.set_profiling(profiling);
  loop.set_hog_threshold(0);
  Pair p;
  if (Status s = loop.run_until_complete(open_pair(p)); !s) {
    std::fprintf(stderr, "io_bench: setting up the connection: %s\n", to_string(s.error()));
    return -1;
  }
  auto pong = loop.spawn(player(p.server, o.size, o.rounds, how, false), "ponger");
  std::int64_t start = bench::mono_ns();
  Status s = loop.run_until_complete(player(p.client, o.size, o.rounds, how, true), "pinger");
  std::int64_t elapsed = bench::mono_ns() - start;
  if (!s) {
    std::fprintf(stderr, "io_bench: ping-pong failed: %s\n", to_string(s.error()));
    return -1;
  }
  return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  using bench::load_average;
  using bench::median;
  if (!o.json) {
    std::printf("weft io_bench: build %s%s, load %.2f\n", bench::build_kind(),
                o.quick ? ", --quick (smoke sizes)" : "", load_average());
    std::printf("loopback TCP ping-pong, %zu-byte messages, %ld round trips per run, median of %d run%s\n",
                o.size, o.rounds, o.runs, o.runs == 1 ? "" : "s");
  }

  struct Variant {
    const char* name;
    const char* impl;  // in --json records: the suite's names
    bool weft;
    Reader how;
    bool profiling;
    std::vector<double> ns;
  };
  std::vector<Variant> variants = {
      {"raw epoll (C, one thread)", "floor", false, Reader::read_some, false, {}},
      {"weft read_some", "weft+prof", true, Reader::read_some, true, {}},
      {"weft BufferedReader fill", "weft-buffered", true, Reader::buffered, true, {}},
      {"weft read_exactly", "weft-read_exactly", true, Reader::read_exactly, true, {}},
      {"weft read_some, profiling off", "weft", true, Reader::read_some, false, {}},
  };
  // Interleave the variants run by run, so a change in machine load hits all of them alike.
  for (int run = 0; run < o.runs; ++run) {
    for (Variant& v : variants) {
      long long ns =
          v.weft ? weft_pingpong_ns(o, v.how, v.profiling) : raw_epoll_pingpong_ns(o.rounds, o.size);
      if (ns < 0) return 1;
      v.ns.push_back(static_cast<double>(ns) / static_cast<double>(o.rounds));
    }
  }
  if (o.json) {
    for (const Variant& v : variants)
      bench::Record("pingpong", v.impl).add("size", o.size).add("ns", median(v.ns)).print();
    return 0;
  }
  double raw = median(variants[0].ns);
  std::printf("%-32s %14s %10s\n", "variant", "ns/round trip", "vs raw");
  for (const Variant& v : variants) {
    double ns = median(v.ns);
    std::printf("%-32s %14.0f %9.2fx\n", v.name, ns, ns / raw);
  }
  std::printf("target: weft <= 1.20x raw. load at the end %.2f\n", load_average());
  return 0;
}
