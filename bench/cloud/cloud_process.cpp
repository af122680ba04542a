#include "cloud_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

extern char** environ;

namespace weft::bench {

bool CloudProcess::start(const char* bench, const std::string& program, const std::string& project,
                         const std::vector<std::string>& options) {
  char dir_template[] = "/tmp/weft-cloud-bench-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    std::fprintf(stderr, "%s: mkdtemp: %s\n", bench, std::strerror(errno));
    return false;
  }
  dir_ = dir_template;
  const std::string project_file = dir_ + "/bench.project", ready = dir_ + "/ready",
                    log = dir_ + "/cloud.log";
  std::ofstream(project_file) << project;
  std::vector<std::string> args = {program, "--port", "0", "--ready-file", ready, "--project", project_file};
  args.insert(args.end(), options.begin(), options.end());
  args.insert(args.end(), {"--log-level", "warning", "--quiet"});
  std::vector<char*> argv;
  for (std::string& s : args)
    argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  const int spawned = posix_spawn(&pid_, program.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (spawned != 0) {
    pid_ = -1;
    std::fprintf(stderr, "%s: cannot start %s: %s\n", bench, program.c_str(), std::strerror(spawned));
    return false;
  }
  const bool want_http = std::find(options.begin(), options.end(), "--http-port") != options.end();
  for (int k = 0; k < 500 && (blynk_.empty() || (want_http && http_.empty())); ++k) {
    usleep(10000);
    std::ifstream r(ready);
    for (std::string line; std::getline(r, line);) {
      if (line.rfind("blynk=", 0) == 0) blynk_ = line.substr(6);
      if (line.rfind("http=", 0) == 0) http_ = line.substr(5);
    }
  }
  if (blynk_.empty() || (want_http && http_.empty())) {
    std::fprintf(stderr, "%s: the cloud did not start (log: %s)\n", bench, log.c_str());
    stop(true);
    return false;
  }
  return true;
}

void CloudProcess::stop(bool keep_files) {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (!keep_files && !dir_.empty()) {
    const std::string cmd = "rm -rf " + dir_;
    (void)std::system(cmd.c_str());
    dir_.clear();
  }
}

}  // namespace weft::bench
