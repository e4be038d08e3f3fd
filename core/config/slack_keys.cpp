// The rows of [SLACK] and of the per-channel [SLACK CHANNEL_ID] sections.
#include "core/common/text.hpp"
#include "core/config/config_keys.hpp"
#include "core/config/config_readers.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

namespace paperbot::config_keys {
namespace {

using namespace readers;

// Slack ids are upper-case letters and digits after a one-letter kind.
bool is_slack_id(std::string_view id, std::string_view kinds) {
  if (id.size() < 3 || kinds.find(id.front()) == std::string_view::npos) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'A' && c <= 'Z');
  });
}

ValueReader mode() {
  return [](std::string_view value, Config& config) {
    std::string lower = ascii_lower(value);
    if (lower != "socket" && lower != "http") return expected("socket or http");
    config.slack.mode = lower;
    return ReadOutcome{};
  };
}

ValueReader admins() {
  return [](std::string_view value, Config& config) {
    std::vector<std::string> ids;
    for (std::string& id : split_trimmed(value, ',')) {
      if (!is_slack_id(id, "UW")) {
        return expected("Slack user ids like U0123ABCD, separated by commas ('" + id +
                        "' is not one; a profile's ⋮ menu has 'Copy member ID')");
      }
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
    }
    config.slack.admins = std::move(ids);
    return ReadOutcome{};
  };
}

ValueReader admin_channel() {
  return [](std::string_view value, Config& config) {
    if (!value.empty() && !is_slack_id(value, "CG")) {
      return expected(
          "a channel id like C0123ABCD (the channel's details end with it), or nothing");
    }
    config.slack.admin_channel = std::string(value);
    return ReadOutcome{};
  };
}

// A channel key that means what a global key means: read by that key's own reader into a
// scratch config, then copied into the channel, so both are checked the same way.
ValueReader like_global(std::string_view section, std::string_view key,
                        std::function<void(const Config&, SlackAudienceConfig&)> copy) {
  return [section, key, copy](std::string_view value, Config& config) {
    Config scratch;
    ReadOutcome outcome = find_rule(section, key)->read(value, scratch);
    if (outcome.expected.empty()) copy(scratch, config.slack.audiences.back());
    return outcome;
  };
}

ValueReader channel_text(std::string SlackAudienceConfig::*member, std::string what) {
  return [member, what](std::string_view value, Config& config) {
    if (value.empty() || value.find('\n') != std::string_view::npos) return expected(what);
    config.slack.audiences.back().*member = std::string(value);
    return ReadOutcome{};
  };
}

std::vector<KeyRule> build_channel_rules() {
  using A = SlackAudienceConfig;
  return {
      {kChannelSection, "name", channel_text(&A::name, "a name on one line, like ml-theory")},
      {kChannelSection, "arxiv_category",
       like_global("FILTERING", "arxiv_category",
                   [](const Config& c, A& a) { a.categories = c.filtering.categories; })},
      {kChannelSection, "relevance_cutoff",
       like_global(
           "FILTERING", "relevance_cutoff",
           [](const Config& c, A& a) { a.relevance_cutoff = c.filtering.relevance_cutoff; })},
      {kChannelSection, "novelty_cutoff",
       like_global("FILTERING", "novelty_cutoff",
                   [](const Config& c, A& a) { a.novelty_cutoff = c.filtering.novelty_cutoff; })},
      {kChannelSection, "top_n",
       like_global("PAPERBOT", "top_n", [](const Config& c, A& a) { a.top_n = c.paperbot.top_n; })},
      {kChannelSection, "threaded",
       like_global("SLACK", "threaded",
                   [](const Config& c, A& a) { a.threaded = c.slack.threaded; })},
      {kChannelSection, "topics_file",
       channel_text(&A::topics_file, "a file name on one line, like theory_topics.txt")},
  };
}

}  // namespace

std::vector<KeyRule> slack_rules() {
  constexpr auto kSlk = &Config::slack;
  using K = SlackConfig;
  return {
      {"SLACK", "mode", mode()},
      {"SLACK", "api_url", url(kSlk, &K::api_url)},
      {"SLACK", "bind_address", text(kSlk, &K::bind_address, "an address on one line")},
      {"SLACK", "port", whole_number(kSlk, &K::port, 0, 65535)},
      {"SLACK", "admins", admins()},
      {"SLACK", "admin_channel", admin_channel()},
      {"SLACK", "threaded", boolean(kSlk, &K::threaded)},
      {"SLACK", "header_titles", whole_number(kSlk, &K::header_titles, 0, 100)},
  };
}

std::optional<std::string> channel_of_section(std::string_view section) {
  constexpr std::string_view kPrefix = "SLACK ";
  if (!section.starts_with(kPrefix)) return std::nullopt;
  return std::string(trim(section.substr(kPrefix.size())));
}

bool is_channel_id(std::string_view id) {
  return is_slack_id(id, "CG");
}

const KeyRule* find_channel_rule(std::string_view key) {
  static const std::vector<KeyRule> rules = build_channel_rules();
  for (const KeyRule& rule : rules) {
    if (rule.key == key) return &rule;
  }
  return nullptr;
}

}  // namespace paperbot::config_keys
