// weft-cloud in a process of its own, for the cloud benches: a scratch directory holds its project file, its
// ready file and its log; start() waits (up to 5 s) until the ready file names its listeners; stop() ends it
// (SIGTERM, then reaps it) and removes the directory unless asked to keep it (the log of a failed run).
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace weft::bench {

class CloudProcess {
 public:
  CloudProcess() = default;
  CloudProcess(const CloudProcess&) = delete;
  CloudProcess& operator=(const CloudProcess&) = delete;
  ~CloudProcess() { stop(true); }

  // Runs `program --port 0 --ready-file F --project P OPTIONS... --log-level warning --quiet` with the project
  // file's text `project`. `bench` names the caller in messages. false, after saying why on stderr, when the
  // cloud could not start or did not say where it listens (then the directory and its log are kept).
  bool start(const char* bench, const std::string& program, const std::string& project,
             const std::vector<std::string>& options);
  void stop(bool keep_files = false);

  [[nodiscard]] pid_t pid() const { return pid_; }
  // "HOST:PORT" of the Blynk listener, and of the HTTP one when the options asked for it ("" otherwise).
  [[nodiscard]] const std::string& blynk() const { return blynk_; }
  [[nodiscard]] const std::string& http() const { return http_; }

 private:
  pid_t pid_ = -1;
  std::string dir_, blynk_, http_;
};

}  // namespace weft::bench
