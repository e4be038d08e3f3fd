// paperbot's configuration: a gpt_paper_assistant config folder read unchanged (config.ini with
// [SELECTION], [FILTERING], [OUTPUT]; authors.txt; the prompt files), plus paperbot's own
// sections in the same config.ini. Secrets never live here: they come from the environment.
#pragma once

#include "core/common/criteria.hpp"
#include "core/common/paper.hpp"
#include "core/common/result.hpp"

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace paperbot {

// A followed author from authors.txt: "Name, SemanticScholarId" (the id may be absent).
struct FollowedAuthor {
  std::string name;
  std::string semantic_scholar_id;
};

// Something in the config that paperbot reads but does not act on, said once at start-up.
struct ConfigNotice {
  std::string file;
  int line = 0;
  std::string message;  // e.g. "key [OUTPUT] push_to_slack is not used by paperbot"
};

struct SelectionConfig {
  bool run_author_match = true;
  int author_match_score = 20;
  bool run_openai = false;
  std::string model = "gpt-4o";
  int title_batch_size = 8;
  int abstract_batch_size = 4;
  bool adaptive_batch_size = false;
  int adaptive_threshold = 32;
};

struct FilteringConfig {
  std::vector<std::string> categories = {"cs.LG"};
  std::set<AnnounceType> announce_types = {AnnounceType::kNew, AnnounceType::kCross};
  bool force_primary = false;
  int num_samples = 1;
  int h_cutoff = 0;  // 0: the h-index filter is off
  int relevance_cutoff = 7;
  int novelty_cutoff = 6;
};

struct OutputConfig {
  std::filesystem::path output_path = "out";  // relative paths are taken from the working folder
  bool dump_json = true;
  bool dump_md = true;
  bool dump_html = true;  // paperbot's own key in [OUTPUT]
  bool debug_messages = false;
};

// [PAPERBOT]: paperbot's own settings.
struct PaperbotConfig {
  std::filesystem::path store_path = "paperbot.db";
  std::string scorer = "auto";        // "offline", "llm", or "auto": llm when an API key is set
  std::optional<int> top_n;           // keep at most this many papers in the digest
  bool rescore_replacements = false;  // score a paper again when a new version appears
  std::string arxiv_feed_url = "https://rss.arxiv.org/rss/";
  std::string arxiv_api_url = "https://export.arxiv.org/api/query";
  int arxiv_timeout_seconds = 60;
  int arxiv_retries = 4;
  double arxiv_min_interval_seconds = 3.0;  // arXiv's terms: one request every 3 s
  int novelty_window_days = 30;             // how far back the offline scorer looks for novelty
};

struct Config {
  std::filesystem::path folder;  // where config.ini and the prompt files were read from
  SelectionConfig selection;
  FilteringConfig filtering;
  OutputConfig output;
  PaperbotConfig paperbot;
  std::vector<FollowedAuthor> authors;
  Criteria criteria;
  std::vector<ConfigNotice> notices;
};

// Reads `folder`/config.ini, authors.txt and the prompt files. A missing config.ini gives the
// embedded defaults; a missing prompt file gives an empty text (score_criteria.txt is optional in
// the reference). Every error names the file, the line, the key and what was expected.
Result<Config> load_config(const std::filesystem::path& folder);

// The defaults, with the example criteria paperbot ships, for running without a config folder.
Config default_config();

}  // namespace paperbot
