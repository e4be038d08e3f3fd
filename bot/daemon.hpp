// `paperbot serve`: the daemon. One process and one io_context, on the main thread, run the
// schedule (a coroutine that sleeps until the next step is due), the signals and Slack: the
// Socket Mode client, or in HTTP mode the HTTP listener. Blocking work runs off that thread, with
// a store connection for each side: the runner (fetching, scoring, posting; see
// announcement_runner.hpp) on a worker thread, and the chat side (commands and feedback; see
// chat_handler.hpp) on a worker thread in Socket Mode or on the HTTP listener's workers, so that a
// command is answered while a digest is being scored. The HTTP listener ([SERVER]) always runs:
// it serves the operators' pages /healthz, /metrics and / (operator_pages.hpp), Slack's HTTP mode
// when configured, and the newsletter's 👍 and unsubscribe links (web_links.hpp) when [EMAIL]
// public_url and the link secret are set; the pages and the links each have a store connection
// of their own.
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
