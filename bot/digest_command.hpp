// `paperbot digest`: one announcement into a ranked digest, from the command line.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace paperbot {

struct DigestCommandOptions {
  std::optional<std::filesystem::path> config_dir;  // --config: a gpt_paper_assistant folder
  std::optional<std::filesystem::path> feed_file;   // --feed: a saved feed instead of fetching
  std::optional<std::string> date;                  // --date: the announcement wanted
  std::optional<std::filesystem::path> out_dir;     // --out: overrides [OUTPUT] output_path
  std::optional<std::filesystem::path> store_path;  // --store: overrides [PAPERBOT] store_path
  std::optional<std::string> scorer;                // --scorer offline|llm
  bool force = false;
  bool rescore_replacements = false;
  // --email-preview: write the day's newsletter to this file (an .eml, CRLF) instead of sending.
  std::optional<std::filesystem::path> email_preview;
  // --email-list: the [EMAIL LIST] section the preview is for; default: the first one.
  std::optional<std::string> email_list;
};

// Runs the command and returns the process exit code (bot/exit_codes.hpp). With
// `email_preview`, a published digest is also written as the message one reader of the list
// would get: an unknown --email-list is kExitUsage before anything is fetched, a file that
// cannot be written kExitOutput. Nothing is sent.
int run_digest_command(const DigestCommandOptions& options);

}  // namespace paperbot
