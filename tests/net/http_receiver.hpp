// HttpReceiver: starts tests/net/http_receiver.py (Python's http.server: a server weft did not write) on an
// ephemeral port for one test, and reads back what it recorded. Used by tests/net (the HTTP client) and
// tests/apps (the dash_button app's webhook).
//
//   weft::test::HttpReceiver server;                    // ASSERT_TRUE(server.started()) << server.error();
//   weft::test::HttpReceiver secure("/tmp/certs/server"); // HTTPS with server.pem/.key:
//   https://localhost:<port> std::string url = server.url("/status/500");        //
//   "http://127.0.0.1:<port>/status/500" std::vector<std::string> r = server.records();      // one JSON line
//   per request, keys sorted
//
// The paths the server understands are listed in http_receiver.py. WEFT_PYTHON3 and WEFT_HTTP_RECEIVER (the
// interpreter and the script) come from the test's CMakeLists.
#pragma once
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace weft::test {

class HttpReceiver {
 public:
  // `tls`: the path of a certificate without its extension (.pem and .key): the server speaks HTTPS.
  explicit HttpReceiver(const std::string& tls = "") : tls_(!tls.empty()) {
    record_ =
        "/tmp/weft-http-receiver-" + std::to_string(getpid()) + "-" + std::to_string(++counter()) + ".jsonl";
    unlink(record_.c_str());
    int out[2];
    if (pipe(out) != 0) {
      error_ = "pipe failed";
      return;
    }
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // a test that crashes must not leave the server behind
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      if (tls_) {
        const std::string pem = tls + ".pem";
        const std::string key = tls + ".key";
        execl(WEFT_PYTHON3, WEFT_PYTHON3, WEFT_HTTP_RECEIVER, "--record", record_.c_str(), "--tls",
              pem.c_str(), key.c_str(), static_cast<char*>(nullptr));
      }
      execl(WEFT_PYTHON3, WEFT_PYTHON3, WEFT_HTTP_RECEIVER, "--record", record_.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    // "PORT <n>\n" once it listens; a loaded machine may take a while to start Python.
    std::string line;
    pollfd p{out[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos && poll(&p, 1, 30000) == 1) {
      char buf[64];
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<std::size_t>(n));
    }
    close(out[0]);
    if (line.rfind("PORT ", 0) != 0) {
      error_ = "http_receiver.py did not start (printed \"" + line + "\")";
      return;
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(5)));
  }
  ~HttpReceiver() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    unlink(record_.c_str());
  }
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  [[nodiscard]] bool started() const { return port_ != 0; }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string url(const std::string& path) const {
    return (tls_ ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port_) + path;
  }
  // Every request received so far, one JSON line each (keys sorted, no spaces).
  [[nodiscard]] std::vector<std::string> records() const {
    std::vector<std::string> lines;
    std::ifstream in(record_);
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    return lines;
  }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  bool tls_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string record_;
  std::string error_;
};

}  // namespace weft::test
