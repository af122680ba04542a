// The TLS tests' throwaway certificates (make_test_certs.sh), made once per test program in /tmp and removed
// at its exit, and a command run on a thread while the loop goes on (a TLS client weft did not write).
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "core/sleep.hpp"
#include "core/task.hpp"

namespace weft::test {

inline const std::string& tls_cert_dir() {
  static const std::string dir = [] {
    std::string d = "/tmp/weft-tls-test-" + std::to_string(getpid());
    std::string cmd = std::string("sh ") + WEFT_MAKE_TEST_CERTS + " " + d + " >/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "make_test_certs.sh failed";
    static char remove[96];  // not a std::string: the handler runs after `dir` is destroyed
    std::snprintf(remove, sizeof remove, "rm -rf %s", d.c_str());
    std::atexit([] { (void)std::system(remove); });
    return d;
  }();
  return dir;
}

struct CommandResult {
  int status = -1;  // the shell's exit status (0: success)
  std::string output;
};

// Runs `command` (sh -c) on a thread, its stdout collected; the awaiting task polls every 20 ms, so the loop
// keeps serving what the command talks to.
inline Task<CommandResult> run_command(std::string command) {
  CommandResult result;
  std::atomic<bool> done{false};
  std::thread worker([&] {
    if (std::FILE* p = popen(command.c_str(), "r"); p != nullptr) {
      std::array<char, 256> buf;
      std::size_t n = 0;
      while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        result.output.append(buf.data(), n);
      const int s = pclose(p);
      result.status = WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    }
    done = true;
  });
  while (!done)
    co_await sleep_ms(20);
  worker.join();
  co_return result;
}

}  // namespace weft::test
