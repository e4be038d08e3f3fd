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
};

// Runs the command and returns the process exit code (bot/exit_codes.hpp).
int run_digest_command(const DigestCommandOptions& options);

}  // namespace paperbot
