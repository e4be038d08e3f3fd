// `paperbot status`: what the chat command `status` tells, for every audience, on the command
// line, with no daemon needed: the health line of /healthz, then per audience its last run, the
// next run (from the schedule and the store's processed days), pending deliveries, spending this
// month, feedback and cutoffs. Plain text on standard output.
#pragma once

#include "core/chat/executor.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace paperbot {

struct StatusCommandOptions {
  std::optional<std::filesystem::path> config_dir;  // --config; none: the embedded example
  std::optional<std::filesystem::path> store_path;  // --store; none: [PAPERBOT] store_path
};

// The text of a chat reply (Slack mrkdwn) as plain text: no bold marks, "<#C0123>" as "#C0123",
// "<@U1>" as "@U1", "<url|text>" as "text (url)", and &lt; &gt; &amp; as the characters.
std::string plain_text(std::string_view mrkdwn);

// What `status` shows as "next run" when no daemon is there to say: the scheduler's decision at
// `now` for what the store recorded. An empty DaemonFacts when the store cannot be read.
chat::DaemonFacts scheduled_facts(const Config& config, Store& store, std::chrono::sys_seconds now);

// Runs the command and returns the process exit code (bot/exit_codes.hpp): kExitConfig for a
// config that cannot be read, kExitStore when the store file is missing or cannot be read.
int run_status_command(const StatusCommandOptions& options);

}  // namespace paperbot
