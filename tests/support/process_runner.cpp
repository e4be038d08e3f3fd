#include "tests/support/process_runner.hpp"

#include "tests/support/daemon_process.hpp"
#include "tests/support/test_data.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

extern char** environ;

namespace paperbot::testing {

ProcessResult run_process(const std::filesystem::path& program,
                          const std::vector<std::string>& arguments,
                          const std::filesystem::path& work_dir, std::chrono::seconds timeout) {
  ProcessResult result;
  const std::filesystem::path out_file = work_dir / "process.stdout";
  const std::filesystem::path err_file = work_dir / "process.stderr";

  std::vector<std::string> argv_texts{program.string()};
  argv_texts.insert(argv_texts.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv_pointers = spawn_pointers(argv_texts);

  // stdin from /dev/null, so a child that reads it never waits on the test's terminal.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  int failed = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv_pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (failed != 0) {
    result.error = "cannot start " + program.string() + ": " + std::strerror(failed);
    return result;
  }
  result.started = true;

  // Poll rather than block in waitpid, so that a hung child is killed at the limit.
  int status = 0;
  bool ended = wait_until([&] { return waitpid(pid, &status, WNOHANG) == pid; }, timeout,
                          std::chrono::milliseconds(50));
  if (!ended) {
    result.timed_out = true;
    ::kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);

  result.out = read_file(out_file);
  result.err = read_file(err_file);
  return result;
}

}  // namespace paperbot::testing
