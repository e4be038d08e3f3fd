// The keys of config.ini that paperbot knows, as one table of {section, key, reader}. Adding a
// section ([LLM], [SLACK], ...) means adding its fields to Config and its rows to the table in
// config_keys.cpp. Internal to the config component.
#pragma once

#include "core/config/config.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot::config_keys {

// What reading one value did. Both empty: the value was stored.
struct ReadOutcome {
  std::string expected;  // the value is invalid; what a valid one looks like ("a whole number …")
  std::string unused;    // the value is valid but paperbot does not act on it; the reason why
};

// Checks one trimmed value and stores it in the config. Never throws.
using ValueReader = std::function<ReadOutcome(std::string_view value, Config& config)>;

struct KeyRule {
  std::string_view section;  // as written in config.ini, case-sensitive: "FILTERING"
  std::string_view key;      // lower case: "relevance_cutoff"
  ValueReader read;
};

// Every known key, in the order of the sections. Built once; safe to share between threads.
const std::vector<KeyRule>& key_rules();

// The rule for section/key (key in lower case), or nullptr when paperbot does not know it.
const KeyRule* find_rule(std::string_view section, std::string_view key);

// Whether some rule reads this section.
bool is_known_section(std::string_view section);

// The rows of [SLACK]; key_rules() includes them.
std::vector<KeyRule> slack_rules();

// Per-channel sections, [SLACK C0123ABCD]: one Slack audience each. Their rules read into
// Config::slack.audiences.back(), which the caller adds before reading the section's keys.
inline constexpr std::string_view kChannelSection = "SLACK CHANNEL";

// The rows of [SERVER]; key_rules() includes them.
std::vector<KeyRule> server_rules();

// The rows of [EMAIL]; key_rules() includes them.
std::vector<KeyRule> email_rules();
std::vector<KeyRule> feedback_rules();

// Per-list sections, [EMAIL theory]: one e-mail audience each, read into
// Config::email.audiences.back().
inline constexpr std::string_view kListSection = "EMAIL LIST";

// The id of a section named "<kind> <id>" ("SLACK C0123", "EMAIL theory"), not yet checked; or
// nullopt.
std::optional<std::string> id_of_section(std::string_view section, std::string_view kind);

// Whether `name` can name an e-mail list: lower-case letters, digits, '-', '_' and '.'.
bool is_list_name(std::string_view name);

// The rule of a key in a per-list section, or nullptr.
const KeyRule* find_list_rule(std::string_view key);

// Whether `id` is spelled like a Slack channel id (C… or G…, upper case and digits).
bool is_channel_id(std::string_view id);

// The rule of a key in a per-channel section, or nullptr when there is none.
const KeyRule* find_channel_rule(std::string_view key);

// Sections later versions of paperbot will read; this one reports them as not read yet rather
// than as unknown. None at present.
bool is_planned_section(std::string_view section);

}  // namespace paperbot::config_keys
