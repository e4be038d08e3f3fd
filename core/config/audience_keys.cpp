// The rows of [SLACK], [SERVER] and [EMAIL], and of the per-audience sections [SLACK CHANNEL_ID]
// and [EMAIL LIST_NAME].
#include "core/common/text.hpp"
#include "core/config/config_keys.hpp"
#include "core/config/config_readers.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
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

// The audience whose section is being read: the last one added.
using Target = AudienceOverrides& (*)(Config&);

AudienceOverrides& slack_target(Config& config) {
  return config.slack.audiences.back();
}

AudienceOverrides& email_target(Config& config) {
  return config.email.audiences.back();
}

// An audience key that means what a global key means: read by that key's own reader into a
// scratch config, then copied into the audience, so both are checked the same way.
ValueReader like_global(std::string_view section, std::string_view key, Target target,
                        std::function<void(const Config&, AudienceOverrides&)> copy) {
  return [section, key, target, copy](std::string_view value, Config& config) {
    Config scratch;
    ReadOutcome outcome = find_rule(section, key)->read(value, scratch);
    if (outcome.expected.empty()) copy(scratch, target(config));
    return outcome;
  };
}

ValueReader audience_text(Target target, std::string AudienceOverrides::*member, std::string what) {
  return [target, member, what](std::string_view value, Config& config) {
    if (value.empty() || value.find('\n') != std::string_view::npos) return expected(what);
    target(config).*member = std::string(value);
    return ReadOutcome{};
  };
}

// The keys every audience section has.
std::vector<KeyRule> overrides_rules(std::string_view section, Target target) {
  using A = AudienceOverrides;
  return {
      {section, "name", audience_text(target, &A::name, "a name on one line, like ml-theory")},
      {section, "arxiv_category",
       like_global("FILTERING", "arxiv_category", target,
                   [](const Config& c, A& a) { a.categories = c.filtering.categories; })},
      {section, "relevance_cutoff",
       like_global(
           "FILTERING", "relevance_cutoff", target,
           [](const Config& c, A& a) { a.relevance_cutoff = c.filtering.relevance_cutoff; })},
      {section, "novelty_cutoff",
       like_global("FILTERING", "novelty_cutoff", target,
                   [](const Config& c, A& a) { a.novelty_cutoff = c.filtering.novelty_cutoff; })},
      {section, "top_n",
       like_global("PAPERBOT", "top_n", target,
                   [](const Config& c, A& a) { a.top_n = c.paperbot.top_n; })},
      {section, "explore",
       like_global("FEEDBACK", "explore", target,
                   [](const Config& c, A& a) { a.explore = c.feedback.explore; })},
      {section, "target_rate",
       like_global("FEEDBACK", "target_rate", target,
                   [](const Config& c, A& a) { a.target_rate = c.feedback.target_rate; })},
      {section, "topics_file",
       audience_text(target, &A::topics_file, "a file name on one line, like theory_topics.txt")},
  };
}

std::vector<KeyRule> build_channel_rules() {
  std::vector<KeyRule> rules = overrides_rules(kChannelSection, slack_target);
  rules.push_back({kChannelSection, "threaded", [](std::string_view value, Config& config) {
                     Config scratch;
                     ReadOutcome outcome = find_rule("SLACK", "threaded")->read(value, scratch);
                     if (outcome.expected.empty()) {
                       config.slack.audiences.back().threaded = scratch.slack.threaded;
                     }
                     return outcome;
                   }});
  return rules;
}

ValueReader recipients() {
  return [](std::string_view value, Config& config) {
    std::vector<std::string> addresses;
    for (std::string& address : split_trimmed(value, ',')) {
      if (auto why = email_address_problem(address); !why.empty()) {
        return expected("e-mail addresses separated by commas ('" + address + "' " + why + ")");
      }
      if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) {
        addresses.push_back(std::move(address));
      }
    }
    config.email.audiences.back().recipients = std::move(addresses);
    return ReadOutcome{};
  };
}

std::vector<KeyRule> build_list_rules() {
  std::vector<KeyRule> rules = overrides_rules(kListSection, email_target);
  rules.push_back({kListSection, "recipients", recipients()});
  return rules;
}

ValueReader security() {
  return [](std::string_view value, Config& config) {
    std::string lower = ascii_lower(value);
    if (lower != "starttls" && lower != "tls" && lower != "plain") {
      return expected("starttls, tls or plain (plain sends mail and password in clear text)");
    }
    config.email.security = lower;
    return ReadOutcome{};
  };
}

ValueReader smtp_url() {
  return [](std::string_view value, Config& config) {
    bool smtp = value.starts_with("smtp://") || value.starts_with("smtps://");
    if (!smtp || value.find_first_of(" \t\n") != std::string_view::npos) {
      return expected("smtp://HOST:PORT/EHLO-NAME or smtps://HOST:PORT/EHLO-NAME");
    }
    // HOST:PORT, HOST, or [IPv6]:PORT; the port, when given, a number from 1 to 65535.
    std::string_view authority = value.substr(value.find("://") + 3);
    authority = authority.substr(0, authority.find('/'));
    const auto colon = authority.rfind(':');
    const auto bracket = authority.rfind(']');
    const bool has_port =
        colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
    if (authority.empty() || (has_port && colon == 0)) {
      return expected("smtp://HOST:PORT/EHLO-NAME with a host");
    }
    if (has_port) {
      const std::string_view port = authority.substr(colon + 1);
      int number = 0;
      auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
      if (error != std::errc() || end != port.data() + port.size() || number < 1 ||
          number > 65535) {
        return expected("smtp://HOST:PORT/EHLO-NAME with a port from 1 to 65535");
      }
    }
    config.email.smtp_url = std::string(value);
    return ReadOutcome{};
  };
}

// The links readers click: mail clients and RFC 8058 want https for unsubscribing.
template <class Section>
ValueReader https_url(Section Config::*section, std::string Section::*field) {
  return [section, field](std::string_view value, Config& config) {
    if (!value.starts_with("https://") || value.size() == 8 ||
        value.find_first_of(" \t\n\"<>") != std::string_view::npos) {
      return expected("an https:// URL (the newsletter's links must be https)");
    }
    config.*section.*field = std::string(value);
    return ReadOutcome{};
  };
}

ValueReader address(std::string EmailConfig::*field) {
  return [field](std::string_view value, Config& config) {
    if (auto why = email_address_problem(value); !why.empty()) {
      return expected("an e-mail address (this one " + why + ")");
    }
    config.email.*field = std::string(value);
    return ReadOutcome{};
  };
}

ValueReader sender_name() {
  return [](std::string_view value, Config& config) {
    // A display name ends up in a header: a line break there could add headers of its own.
    if (value.find_first_of("\r\n") != std::string_view::npos)
      return expected("a name on one line");
    config.email.from_name = std::string(value);
    return ReadOutcome{};
  };
}

}  // namespace

std::vector<KeyRule> slack_rules() {
  constexpr auto kSlk = &Config::slack;
  using K = SlackConfig;
  return {
      {"SLACK", "mode", mode()},
      {"SLACK", "api_url", url(kSlk, &K::api_url)},
      {"SLACK", "admins", admins()},
      {"SLACK", "admin_channel", admin_channel()},
      {"SLACK", "threaded", boolean(kSlk, &K::threaded)},
      {"SLACK", "header_titles", whole_number(kSlk, &K::header_titles, 0, 100)},
  };
}

std::vector<KeyRule> server_rules() {
  constexpr auto kSrv = &Config::server;
  using S = ServerConfig;
  return {
      {"SERVER", "bind_address", text(kSrv, &S::bind_address, "an address on one line")},
      {"SERVER", "port", whole_number(kSrv, &S::port, 0, 65535)},
  };
}

std::vector<KeyRule> email_rules() {
  constexpr auto kMail = &Config::email;
  using E = EmailConfig;
  return {
      {"EMAIL", "smtp_url", smtp_url()},
      {"EMAIL", "security", security()},
      {"EMAIL", "from", address(&E::from)},
      {"EMAIL", "from_name", sender_name()},
      {"EMAIL", "public_url", https_url(kMail, &E::public_url)},
      {"EMAIL", "max_failures", whole_number(kMail, &E::max_failures, 1, 1000)},
      {"EMAIL", "admin_address", address(&E::admin_address)},
  };
}

std::vector<KeyRule> feedback_rules() {
  constexpr auto kFb = &Config::feedback;
  using F = FeedbackConfig;
  return {
      {"FEEDBACK", "learn", boolean(kFb, &F::learn)},
      {"FEEDBACK", "explore", whole_number(kFb, &F::explore, 0, 20)},
      {"FEEDBACK", "target_rate", decimal(kFb, &F::target_rate, 0.01, 0.99)},
      {"FEEDBACK", "min_reactions", whole_number(kFb, &F::min_reactions, 1, 1000)},
      {"FEEDBACK", "window_days", whole_number(kFb, &F::window_days, 1, 365)},
      {"FEEDBACK", "relevance_min", whole_number(kFb, &F::relevance_min, 1, 10)},
      {"FEEDBACK", "relevance_max", whole_number(kFb, &F::relevance_max, 1, 10)},
      {"FEEDBACK", "novelty_min", whole_number(kFb, &F::novelty_min, 1, 10)},
      {"FEEDBACK", "novelty_max", whole_number(kFb, &F::novelty_max, 1, 10)},
  };
}

std::optional<std::string> id_of_section(std::string_view section, std::string_view kind) {
  std::string prefix = std::string(kind) + " ";
  if (!section.starts_with(prefix)) return std::nullopt;
  return std::string(trim(section.substr(prefix.size())));
}

bool is_list_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'z') || c == '-' ||
           c == '_' || c == '.';
  });
}

const KeyRule* find_list_rule(std::string_view key) {
  static const std::vector<KeyRule> rules = build_list_rules();
  for (const KeyRule& rule : rules) {
    if (rule.key == key) return &rule;
  }
  return nullptr;
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
