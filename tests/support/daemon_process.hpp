// The paperbot binary run as a child process, for end-to-end tests and benchmarks: started with
// extra environment variables, its stderr captured in a file, stopped with a signal or killed.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace paperbot::testing {

// Calls `done` every few milliseconds until it returns true or `timeout` passes; returns its
// last answer.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(20));

class DaemonProcess {
 public:
  // Starts `binary` with `arguments`; `environment` is added to (and overrides) this process's
  // environment, and a variable mapped to "" is removed. stderr and stdout go to `log_file`.
  DaemonProcess(const std::filesystem::path& binary, const std::vector<std::string>& arguments,
                const std::map<std::string, std::string>& environment,
                std::filesystem::path log_file);
  ~DaemonProcess();  // kills the process if it still runs
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::string log() const;  // what it wrote so far
  bool running();

  void signal(int number);
  void kill_now();  // SIGKILL, then reaped
  // Waits for the process to end; its exit status, or -1 when it is still running at `timeout`,
  // or 128 + the signal that ended it.
  int wait(std::chrono::milliseconds timeout);

  // Resident memory (VmRSS) in kilobytes, from /proc; -1 when unknown.
  long rss_kilobytes() const;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = -1;
  std::filesystem::path log_file_;
};

// Null-terminated pointers to `texts`, as posix_spawn takes argv and envp; `texts` must outlive
// them and not change meanwhile.
std::vector<char*> spawn_pointers(std::vector<std::string>& texts);

// The port of the daemon's web server, once its log names it; 0 when it does not within
// `timeout`.
unsigned short logged_server_port(const DaemonProcess& daemon, std::chrono::milliseconds timeout);

// The paperbot binary the tests were built with ($PAPERBOT_BIN, set by CTest).
std::filesystem::path paperbot_binary();

}  // namespace paperbot::testing
