// ServerProcess: runs a test server in a child process that prints "PORT <n>" once it listens, and stops
// it (with its whole process group) when destroyed. Used by the HTTP receiver, the TLS tests and tls_bench.
//
//   weft::test::ServerProcess server({"python3", "tls_server.py", "echo", "--cert", pem, "--key", key});
//   if (server.port() == 0) FAIL() << server.error();
#pragma once
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

namespace weft::test {

class ServerProcess {
 public:
  explicit ServerProcess(const std::vector<std::string>& argv) {
    int out[2];
    if (pipe(out) != 0) {
      error_ = "pipe failed";
      return;
    }
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // a test that crashes must not leave the server behind
      setpgid(0, 0);                     // the server and its children stop together
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> args;
      for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
    close(out[1]);
    // "PORT <n>\n" once it listens; a loaded machine may take a while to start Python.
    std::string line;
    pollfd p{out[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos && poll(&p, 1, 60000) == 1) {
      char buf[64];
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<std::size_t>(n));
    }
    close(out[0]);
    if (line.rfind("PORT ", 0) != 0) {
      error_ = argv.at(1) + " did not start (printed \"" + line + "\")";
      return;
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(5)));
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }  // 0: it did not start
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string error_;
};

}  // namespace weft::test
