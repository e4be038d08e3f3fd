// A program run to completion for a test, with a time limit: its stdout and stderr captured in
// separate files, so that what it prints (a dumped page, a JSON answer) is not mixed with its
// diagnostics. For long-running children that a test talks to, see daemon_process.hpp.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace paperbot::testing {

struct ProcessResult {
  bool started = false;    // false: posix_spawn failed (see `error`)
  bool timed_out = false;  // killed (SIGKILL) when the time limit passed
  int exit_code = -1;      // its exit status, or 128 + the signal that ended it
  std::string out;         // what it wrote to stdout
  std::string err;         // what it wrote to stderr
  std::string error;       // why it could not be started
};

// Runs `program` with `arguments` in this process's environment, its output going to files in
// `work_dir`, and waits at most `timeout` for it to end. Blocks the calling thread.
ProcessResult run_process(const std::filesystem::path& program,
                          const std::vector<std::string>& arguments,
                          const std::filesystem::path& work_dir, std::chrono::seconds timeout);

}  // namespace paperbot::testing
