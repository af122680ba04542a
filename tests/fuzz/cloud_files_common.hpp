// Shared by the fuzz targets of the cloud's and the simulator's text inputs.
#pragma once
#include <cstdio>
#include <cstdlib>

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)
