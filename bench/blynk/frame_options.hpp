// The command line of the Blynk benches (codec_bench, session_bench): frames per run and runs per figure.
#pragma once
#include <cstdint>
#include <string>

#include "args.hpp"

namespace weft::blynk::bench {

struct FrameOptions {
  std::uint64_t frames = 2'000'000;
  int runs = 5;
};

// `usage` names the program: "usage: codec_bench [--quick] [--frames=N] [--runs=N]\n...".
inline FrameOptions parse_frame_options(int argc, char** argv, const char* usage) {
  FrameOptions o;
  weft::bench::Args args(argc, argv, usage);
  while (args.next()) {
    if (args.flag("--quick")) {
      o.frames = 20'000;
      o.runs = 1;
    } else if (args.is("--frames")) {
      o.frames = args.count(10'000'000'000ULL);
    } else if (args.is("--runs")) {
      o.runs = static_cast<int>(args.count(1000));
    } else {
      args.unknown();
    }
  }
  return o;
}

#define WEFT_BLYNK_BENCH_USAGE(program)                                         \
  "usage: " program                                                             \
  " [--quick] [--frames=N] [--runs=N]\n"                                        \
  "  --quick      smoke run: 20000 frames, one run (prints, asserts nothing)\n" \
  "  --frames=N   frames per run (default 2000000)\n"                           \
  "  --runs=N     runs per figure; the table shows medians (default 5)\n"

}  // namespace weft::blynk::bench
