#include "host.hpp"

#include <cstdio>
#include <cstring>

namespace weft::bench {

std::string cpu_model() {
  FILE* f = std::fopen("/proc/cpuinfo", "r");
  if (f == nullptr) return "unknown";
  char line[512];
  std::string model = "unknown";
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, "model name", 10) != 0) continue;
    const char* colon = std::strchr(line, ':');
    if (colon != nullptr) model = colon + 2;
    if (!model.empty() && model.back() == '\n') model.pop_back();
    break;
  }
  std::fclose(f);
  return model;
}

double load_average() {
  FILE* f = std::fopen("/proc/loadavg", "r");
  if (f == nullptr) return -1;
  double load = -1;
  if (std::fscanf(f, "%lf", &load) != 1) load = -1;
  std::fclose(f);
  return load;
}

}  // namespace weft::bench
