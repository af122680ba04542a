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
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "server_process.hpp"

namespace weft::test {

class HttpReceiver {
 public:
  // `tls`: the path of a certificate without its extension (.pem and .key): the server speaks HTTPS.
  explicit HttpReceiver(const std::string& tls = "")
      : record_("/tmp/weft-http-receiver-" + std::to_string(getpid()) + "-" + std::to_string(++counter()) +
                ".jsonl"),
        tls_(!tls.empty()),
        server_(arguments(record_, tls)) {}
  ~HttpReceiver() { unlink(record_.c_str()); }
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  [[nodiscard]] bool started() const { return server_.port() != 0; }
  [[nodiscard]] const std::string& error() const { return server_.error(); }
  [[nodiscard]] std::uint16_t port() const { return server_.port(); }
  [[nodiscard]] std::string url(const std::string& path) const {
    return (tls_ ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port()) + path;
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
  static std::vector<std::string> arguments(const std::string& record, const std::string& tls) {
    unlink(record.c_str());
    std::vector<std::string> argv{WEFT_PYTHON3, WEFT_HTTP_RECEIVER, "--record", record};
    if (!tls.empty()) argv.insert(argv.end(), {"--tls", tls + ".pem", tls + ".key"});
    return argv;
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::string record_;
  bool tls_;
  ServerProcess server_;
};

}  // namespace weft::test
