// `paperbot serve`: the daemon. One process and one io_context, on the main thread, run the
// schedule (a coroutine that sleeps until the next step is due), the signals and Slack's Socket
// Mode client. Blocking work runs on two worker threads, each with its own store connection:
// the runner (fetching, scoring, posting; see announcement_runner.hpp) and the chat side
// (commands and feedback; see chat_handler.hpp), so that a command is answered while a digest is
// being scored. In HTTP mode the Slack listener serves on its own I/O thread.
//
// Signals: SIGTERM and SIGINT finish the message in flight and stop; SIGHUP reads the config
// folder again and, when it is valid, uses it from the next step on (a broken config is logged
// and the running one kept).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace paperbot {

struct ServeOptions {
  std::optional<std::filesystem::path> config_dir;  // none: the embedded example config
  std::optional<std::filesystem::path> store_path;  // none: [PAPERBOT] store_path
  // For tests and demonstrations: the time the daemon believes it is when it starts ("2025-01-29
  // T06:05:00Z"); its clock then runs at the real pace from there.
  std::optional<std::string> now;
};

// Runs until SIGTERM or SIGINT; returns the process's exit code (see exit_codes.hpp).
int run_serve_command(const ServeOptions& options);

}  // namespace paperbot
