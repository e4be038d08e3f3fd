// paperbot's configuration: a gpt_paper_assistant config folder read unchanged (config.ini with
// [SELECTION], [FILTERING], [OUTPUT]; authors.txt; the prompt files), plus paperbot's own
// sections in the same config.ini. Secrets never live here: they come from the environment.
#pragma once

#include "core/common/criteria.hpp"
#include "core/common/date.hpp"
#include "core/common/paper.hpp"
#include "core/common/price.hpp"
#include "core/common/result.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot {

// Something in the config that paperbot reads but does not act on, said once at start-up.
struct ConfigNotice {
  std::string file;
  int line = 0;
  std::string message;  // e.g. "[OUTPUT] push_to_slack is not used by paperbot: Slack is ..."

  bool operator==(const ConfigNotice&) const = default;
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

  bool operator==(const SelectionConfig&) const = default;
};

struct FilteringConfig {
  std::vector<std::string> categories = {"cs.LG"};
  std::set<AnnounceType> announce_types = {AnnounceType::kNew, AnnounceType::kCross};
  bool force_primary = false;
  int num_samples = 1;
  int h_cutoff = 0;  // used only with [PAPERBOT] h_index_filter; 0 keeps every paper
  int relevance_cutoff = 7;
  int novelty_cutoff = 6;

  bool operator==(const FilteringConfig&) const = default;
};

struct OutputConfig {
  std::filesystem::path output_path = "out";  // relative paths are taken from the working folder
  bool dump_json = true;
  bool dump_md = true;
  bool dump_html = true;  // paperbot's own key in [OUTPUT]
  bool debug_messages = false;

  bool operator==(const OutputConfig&) const = default;
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
  // Drop papers whose best author's Semantic Scholar h-index is below [FILTERING] h_cutoff. Off
  // by default: it sends the day's arXiv ids to Semantic Scholar. The API key comes from
  // S2_API_KEY, never from here.
  bool h_index_filter = false;
  std::string semantic_scholar_url = "https://api.semanticscholar.org/graph/v1";

  bool operator==(const PaperbotConfig&) const = default;
};

// [LLM]: the OpenAI-compatible endpoint and how to use it. The key is never here: it comes from
// OPENAI_API_KEY (or OAI_KEY, as gpt_paper_assistant names it).
struct LlmConfig {
  std::string base_url = "https://api.openai.com/v1";  // + "/chat/completions"
  std::string api_style = "openai";  // "openai" (Bearer auth) or "azure" (api-key header)
  std::string api_version;           // Azure's api-version query parameter
  double temperature = 0.0;
  std::optional<int> seed = 0;  // none: not sent
  int timeout_seconds = 120;
  int max_in_flight = 4;
  int requests_per_minute = 0;  // 0: no limit
  int tokens_per_minute = 0;    // 0: no limit
  int max_retries = 5;          // HTTP retries of one request on 429, 5xx and timeouts
  int max_attempts = 3;         // asks per paper, each in a smaller batch
  bool title_filter = true;     // the title prefilter stage
  std::optional<double> daily_budget_dollars;
  std::optional<std::int64_t> daily_budget_tokens;
  PriceTable prices;  // overrides and additions to the built-in price table

  bool operator==(const LlmConfig&) const = default;
};

// [SCHEDULE]: when the daemon reads arXiv. arXiv's own clock (US Eastern) is fixed; these say at
// what hour after the feed changes (midnight Eastern) the daemon reads it, and how it retries and
// catches up.
struct ScheduleConfig {
  int run_hour = 1;                            // 0 to 23, on the clock of time_zone
  std::string time_zone = "America/New_York";  // a name of the system's tz database
  int retry_minutes = 30;  // between reads of a feed that still shows the previous announcement
  int max_retries = 12;    // such reads after the first, before the admin channel is alerted
  std::vector<Date> extra_holidays;  // deferred mailings beyond the built-in lists; sorted
  int catch_up_days = 7;  // how many days back missed announcements are fetched through the API

  bool operator==(const ScheduleConfig&) const = default;
};

// [FEEDBACK]: how the 👍 and 👎 of each audience move its cutoffs (core/feedback/cutoff_learner.hpp).
struct FeedbackConfig {
  bool learn = true;         // false: the cutoffs stay where config and chat put them
  int explore = 3;           // papers posted "just below the bar" each day; 0: none
  double target_rate = 0.3;  // the chance of a 👍 a paper at the bar should have
  int min_reactions = 5;     // papers with a 👍 or 👎 in the window before a cutoff moves
  int window_days = 30;      // how far back the learner reads
  int relevance_min = 3;     // the learner keeps each cutoff within these bounds
  int relevance_max = 9;
  int novelty_min = 2;
  int novelty_max = 9;

  bool operator==(const FeedbackConfig&) const = default;
};

// What the config section of one audience (a Slack channel, an e-mail list) may set on top of the
// global settings ([FILTERING], [PAPERBOT] top_n, the prompt files). Unset fields inherit.
struct AudienceOverrides {
  std::string name;  // for logs and replies; default: the section's id
  std::optional<std::vector<std::string>> categories;
  std::optional<int> relevance_cutoff;
  std::optional<int> novelty_cutoff;
  std::optional<int> top_n;
  std::optional<int> explore;         // [FEEDBACK] explore for this audience
  std::optional<double> target_rate;  // [FEEDBACK] target_rate for this audience
  std::string topics_file;            // as written, relative to the config folder
  std::optional<std::string> topics;  // the text of topics_file: this audience's paper_topics.txt

  bool operator==(const AudienceOverrides&) const = default;
};

// One Slack channel that receives the digest: a [SLACK CHANNEL_ID] section.
struct SlackAudienceConfig : AudienceOverrides {
  std::string channel;           // the channel id, e.g. C0123ABCD (from the section name)
  std::optional<bool> threaded;  // papers as thread replies under the day's header

  // The audience's id in the store and the outbox: "slack:C0123ABCD".
  std::string audience() const { return "slack:" + channel; }

  bool operator==(const SlackAudienceConfig&) const = default;
};

// One e-mail list that receives the digest: an [EMAIL LIST_NAME] section.
struct EmailAudienceConfig : AudienceOverrides {
  std::string list;                     // the list's name, e.g. theory (from the section name)
  std::vector<std::string> recipients;  // addresses from the config; chat adds subscribers

  // The audience's id in the store and the outbox: "email:theory".
  std::string audience() const { return "email:" + list; }

  bool operator==(const EmailAudienceConfig&) const = default;
};

// [EMAIL]: how the newsletter is sent. The SMTP user name and password are never here: they come
// from SMTP_USERNAME and SMTP_PASSWORD (or *_FILE).
struct EmailConfig {
  // smtp://HOST:PORT/EHLO-NAME (STARTTLS) or smtps://HOST:PORT/EHLO-NAME (TLS from the start).
  std::string smtp_url = "smtp://localhost:587/localhost";
  // "starttls" (required: never falls back to clear text), "tls" (smtps://), or "plain", only
  // when written here.
  std::string security = "starttls";
  std::string from;  // the sender's address; required for an e-mail audience
  std::string from_name = "paperbot";
  std::string public_url;     // where the daemon's web links point (👍, unsubscribe)
  int max_failures = 3;       // permanent failures before an address is suspended
  std::string admin_address;  // alarms are mailed here too; empty: Slack and the log only
  std::vector<EmailAudienceConfig> audiences;  // in file order

  // The list named `list`, if there is one.
  const EmailAudienceConfig* audience_of_list(std::string_view list) const;

  bool operator==(const EmailConfig&) const = default;
};

// [SLACK]: how the daemon talks to Slack. The tokens and the signing secret are never here: they
// come from SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_SIGNING_SECRET (or *_FILE).
struct SlackConfig {
  std::string mode = "socket";  // "socket" (Socket Mode) or "http" (Events API over HTTP)
  std::string api_url = "https://slack.com/api";
  std::vector<std::string> admins;             // Slack user ids allowed to change settings
  std::string admin_channel;                   // alerts go here; empty: alerts are only logged
  bool threaded = true;                        // papers as thread replies under the day's header
  int header_titles = 10;                      // titles listed in the header; 0 lists all
  std::vector<SlackAudienceConfig> audiences;  // in file order

  // The audience of `channel`, if it is one.
  const SlackAudienceConfig* audience_of_channel(std::string_view channel) const;

  bool operator==(const SlackConfig&) const = default;
};

// [SERVER]: the daemon's one web server. It serves Slack's HTTP mode and the links in e-mails,
// and runs when either needs it.
struct ServerConfig {
  std::string bind_address = "127.0.0.1";
  int port = 3000;  // 0 picks a free port

  bool operator==(const ServerConfig&) const = default;
};

struct Config {
  std::filesystem::path folder;  // where config.ini and the prompt files were read from
  SelectionConfig selection;
  FilteringConfig filtering;
  OutputConfig output;
  PaperbotConfig paperbot;
  LlmConfig llm;
  ScheduleConfig schedule;
  SlackConfig slack;
  EmailConfig email;
  ServerConfig server;
  FeedbackConfig feedback;
  std::vector<FollowedAuthor> authors;
  Criteria criteria;
  std::vector<ConfigNotice> notices;
};

// Reads `folder`/config.ini, authors.txt and the prompt files, and returns the whole
// configuration or the first error. Blocking file I/O; safe to call from any thread.
//
// - A missing or unreadable folder is an error. A missing config.ini gives the default settings.
// - A missing prompt file gives an empty text (score_criteria.txt is optional in the reference).
//   When none of the four prompt files exists, the criteria are default_criteria(), with a notice.
// - A missing authors.txt gives no followed authors.
// - Every error names the file, the line, the key and what was expected, e.g.
//   "…/config.ini:27: [FILTERING] relevance_cutoff = 'seven': expected a whole number from 1
//   to 10". A key that looks like a secret (api_key, token, password, secret) is an error whose
//   message never repeats the value: secrets come from the environment.
// - Keys and sections paperbot reads but does not act on, unknown keys and unknown sections end
//   up in Config::notices, one per key or section, for the caller to log once.
Result<Config> load_config(const std::filesystem::path& folder);

// The defaults, with the example criteria paperbot ships, for running without a config folder.
// `folder` is empty and there are no notices.
Config default_config();

// The example criteria paperbot ships (the same texts as the repository's config/ folder): a
// research group interested in the foundations of machine learning.
Criteria default_criteria();

}  // namespace paperbot
