#include "core/config/config.hpp"

#include "core/common/text.hpp"
#include "core/config/config_keys.hpp"
#include "core/config/config_values.hpp"
#include "core/config/ini_file.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <system_error>
#include <tuple>

namespace paperbot {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStep = "read config";

Error error_at(const std::string& file, int line, const std::string& what) {
  return make_error(std::string(kStep), file + ":" + std::to_string(line) + ": " + what);
}

// The file's bytes, unchanged; nullopt when there is no such file.
Result<std::optional<std::string>> read_optional_file(const fs::path& path) {
  std::error_code code;
  fs::file_status status = fs::status(path, code);
  if (status.type() == fs::file_type::not_found) return std::optional<std::string>();
  if (code || status.type() != fs::file_type::regular) {
    return make_error(std::string(kStep), path.string() + ": not a readable file" +
                                              (code ? " (" + code.message() + ")" : std::string()));
  }

  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad() || !in.is_open())
    return make_error(std::string(kStep), path.string() + ": could not be read");
  return std::optional<std::string>(std::move(bytes));
}

// How a value is shown in a message: quoted, with continuation lines made visible.
std::string shown_value(std::string_view value) {
  std::string shown = "'";
  for (char c : value) shown += c == '\n' ? std::string("\\n") : std::string(1, c);
  return shown + "'";
}

// The likely cause of a bad value, when its shape gives one away.
std::string hint_for(std::string_view value) {
  if (value.find('\n') != std::string_view::npos)
    return " (a line indented under a key continues that key's value)";
  if (value.find(" #") != std::string_view::npos || value.find(" ;") != std::string_view::npos)
    return " (comments go on a line of their own, starting with # or ;)";
  return {};
}

// A section named like a known one in another case: configparser would not find it either, and
// silently using defaults for a whole section would hide the mistake.
std::optional<std::string_view> known_section_spelled(std::string_view name) {
  std::string lower = ascii_lower(name);
  for (const auto& rule : config_keys::key_rules()) {
    if (ascii_lower(rule.section) == lower) return rule.section;
  }
  return std::nullopt;
}

// Reads one entry with its rule; an invalid value is an error naming the file, line and key.
Result<config_keys::ReadOutcome> read_entry(const config_keys::KeyRule& rule,
                                            const ini::Entry& entry, const std::string& label,
                                            const std::string& file, Config& config) {
  config_keys::ReadOutcome outcome = rule.read(entry.value, config);
  if (!outcome.expected.empty()) {
    return error_at(file, entry.line,
                    label + entry.key + " = " + shown_value(entry.value) + ": expected " +
                        outcome.expected + hint_for(entry.value));
  }
  return outcome;
}

// [SLACK C0123ABCD] and [EMAIL theory]: one audience each. Their keys are checked like the global
// keys they override; topics_file is read once the whole file is.
Result<void> apply_audience_section(const ini::Section& section, bool slack, const std::string& id,
                                    const std::string& file, Config& config) {
  const std::string label = "[" + section.name + "] ";
  if (slack && !config_keys::is_channel_id(id)) {
    return error_at(file, section.line,
                    "[" + section.name +
                        "]: expected [SLACK CHANNEL_ID] with a channel id like C0123ABCD (the "
                        "channel's details end with it), not a channel name");
  }
  if (!slack && !config_keys::is_list_name(id)) {
    return error_at(file, section.line,
                    "[" + section.name +
                        "]: expected [EMAIL LIST_NAME] with a name of lower-case letters, digits, "
                        "'-', '_' or '.', like theory");
  }
  bool repeated = slack ? config.slack.audience_of_channel(id) != nullptr
                        : config.email.audience_of_list(id) != nullptr;
  if (repeated) {
    return error_at(
        file, section.line,
        "[" + section.name + "]: the " + (slack ? "channel" : "list") + " is listed twice");
  }
  if (slack) {
    SlackAudienceConfig audience;
    audience.channel = id;
    audience.name = id;
    config.slack.audiences.push_back(std::move(audience));
  } else {
    EmailAudienceConfig audience;
    audience.list = id;
    audience.name = id;
    config.email.audiences.push_back(std::move(audience));
  }

  for (const ini::Entry& entry : section.entries) {
    const config_keys::KeyRule* rule =
        slack ? config_keys::find_channel_rule(entry.key) : config_keys::find_list_rule(entry.key);
    if (rule == nullptr) {
      config.notices.push_back(ConfigNotice{file, entry.line,
                                            label + entry.key + " is not a key of " +
                                                (slack ? "a channel" : "an e-mail list") +
                                                " section; it is ignored"});
      continue;
    }
    auto outcome = read_entry(*rule, entry, label, file, config);
    if (!outcome) return outcome.error();
  }
  return {};
}

// Reads `audience`'s topics_file from the config folder: its paper_topics.txt.
Result<void> read_topics(const fs::path& folder, const std::string& section,
                         AudienceOverrides& audience) {
  if (audience.topics_file.empty()) return {};
  fs::path path = folder / audience.topics_file;
  auto text = read_optional_file(path);
  if (!text) return text.error();
  if (!*text) {
    return make_error(std::string(kStep),
                      "[" + section + "] topics_file: " + path.string() + " does not exist");
  }
  audience.topics = std::move(**text);
  return {};
}

// Every audience's topics_file.
Result<void> read_audience_topics(const fs::path& folder, Config& config) {
  for (SlackAudienceConfig& audience : config.slack.audiences) {
    if (auto read = read_topics(folder, "SLACK " + audience.channel, audience); !read) return read;
  }
  for (EmailAudienceConfig& audience : config.email.audiences) {
    if (auto read = read_topics(folder, "EMAIL " + audience.list, audience); !read) return read;
  }
  return {};
}

Result<void> apply_section(const ini::Section& section, const std::string& file, Config& config) {
  const std::string label = "[" + section.name + "] ";

  // Secrets are refused in every section, known or not, and their values are never repeated.
  for (const ini::Entry& entry : section.entries) {
    if (config_values::is_secret_key(entry.key)) {
      return error_at(file, entry.line,
                      label + entry.key +
                          ": secrets are not read from config files; remove this line and set "
                          "the secret in the environment instead (OPENAI_API_KEY for the LLM, "
                          "S2_API_KEY for Semantic Scholar; the README lists them all)");
    }
  }

  if (auto channel = config_keys::id_of_section(section.name, "SLACK")) {
    return apply_audience_section(section, true, *channel, file, config);
  }
  if (auto list = config_keys::id_of_section(section.name, "EMAIL")) {
    return apply_audience_section(section, false, *list, file, config);
  }

  if (!config_keys::is_known_section(section.name)) {
    if (auto known = known_section_spelled(section.name)) {
      return error_at(file, section.line,
                      "[" + section.name + "]: section names are case-sensitive; expected [" +
                          std::string(*known) + "]");
    }
    std::string why = config_keys::is_planned_section(section.name)
                          ? " is not read by this version of paperbot; its "
                          : " is not a section paperbot knows; its ";
    config.notices.push_back(ConfigNotice{file, section.line,
                                          "[" + section.name + "]" + why +
                                              std::to_string(section.entries.size()) +
                                              " key(s) are ignored"});
    return {};
  }

  for (const ini::Entry& entry : section.entries) {
    const config_keys::KeyRule* rule = config_keys::find_rule(section.name, entry.key);
    if (rule == nullptr) {
      config.notices.push_back(ConfigNotice{
          file, entry.line, label + entry.key + " is not a key paperbot knows; it is ignored"});
      continue;
    }

    auto outcome = read_entry(*rule, entry, label, file, config);
    if (!outcome) return outcome.error();
    if (!outcome->unused.empty()) {
      config.notices.push_back(ConfigNotice{file, entry.line,
                                            label + entry.key + " = " + entry.value +
                                                " is not used by paperbot: " + outcome->unused});
    }
  }
  return {};
}

// authors.txt: "Name, SemanticScholarId" per line; the id may be left out.
Result<std::vector<FollowedAuthor>> parse_authors(std::string_view text, const std::string& file) {
  std::vector<FollowedAuthor> authors;
  int number = 0;
  for (std::string_view rest = text; !rest.empty();) {
    std::size_t end = rest.find('\n');
    std::string_view line = trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    ++number;
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line = trim(line.substr(3));
    if (line.empty() || line.starts_with('#')) continue;

    // Names may hold commas ("LeCun, Yann"), ids never do: the id is after the last comma.
    FollowedAuthor author;
    std::size_t comma = line.rfind(',');
    std::string_view id = comma == std::string_view::npos ? "" : trim(line.substr(comma + 1));
    bool numeric = std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (comma != std::string_view::npos && !numeric) {
      return error_at(
          file, number,
          shown_value(line) + ": expected 'Name, SemanticScholarId' with a numeric id, or 'Name'");
    }
    author.name = std::string(trim(line.substr(0, comma)));
    author.semantic_scholar_id = std::string(id);
    if (author.name.empty())
      return error_at(file, number,
                      shown_value(line) + ": expected an author name before the comma");
    authors.push_back(std::move(author));
  }
  return authors;
}

// The four prompt files, byte for byte: the Markdown digest reproduces them exactly.
Result<void> read_criteria(const fs::path& folder, Config& config) {
  struct PromptFile {
    std::string_view name;
    std::string Criteria::*text;
  };
  static constexpr std::array<PromptFile, 4> kPromptFiles = {{
      {"base_prompt.txt", &Criteria::base_prompt},
      {"paper_topics.txt", &Criteria::topics},
      {"score_criteria.txt", &Criteria::score_criteria},
      {"postfix_prompt.txt", &Criteria::postfix},
  }};

  int found = 0;
  std::vector<std::string_view> missing;
  for (const PromptFile& prompt : kPromptFiles) {
    auto bytes = read_optional_file(folder / prompt.name);
    if (!bytes) return bytes.error();
    if (*bytes) {
      config.criteria.*prompt.text = std::move(**bytes);
      ++found;
    } else if (prompt.name != "score_criteria.txt") {
      missing.push_back(prompt.name);
    }
  }

  // A folder with some prompt files but not the ones scoring needs is a mistake, not a choice.
  if (found > 0 && !missing.empty()) {
    return make_error(std::string(kStep),
                      (folder / missing.front()).string() +
                          ": missing; a config folder with prompt files needs base_prompt.txt, "
                          "paper_topics.txt and postfix_prompt.txt (score_criteria.txt is "
                          "optional)");
  }
  if (found > 0 && trim(config.criteria.topics).empty()) {
    return make_error(std::string(kStep), (folder / "paper_topics.txt").string() +
                                              ": empty; the topics are what papers are scored "
                                              "against");
  }

  if (found == 0) {
    config.criteria = default_criteria();
    config.notices.push_back(
        ConfigNotice{folder.string(), 0,
                     "no prompt files (base_prompt.txt, paper_topics.txt, score_criteria.txt, "
                     "postfix_prompt.txt): scoring against paperbot's example criteria"});
  }
  return {};
}

// The learner's bounds of each cutoff, once the whole file is read: the minimum may not be above
// the maximum. The error names the line of the minimum (or of the maximum, when only it is set).
Result<void> check_feedback_bounds(const ini::File& ini, const std::string& file,
                                   const Config& config) {
  const FeedbackConfig& feedback = config.feedback;
  for (auto [axis, low, high] :
       {std::tuple{std::string("relevance"), feedback.relevance_min, feedback.relevance_max},
        std::tuple{std::string("novelty"), feedback.novelty_min, feedback.novelty_max}}) {
    if (low <= high) continue;
    int line = 0;
    for (const ini::Section& section : ini.sections) {
      if (section.name != "FEEDBACK") continue;
      for (const ini::Entry& entry : section.entries) {
        if (entry.key == axis + "_min" || (line == 0 && entry.key == axis + "_max")) {
          line = entry.line;
        }
      }
    }
    return make_error(std::string(kStep),
                      file + ":" + std::to_string(line) + ": [FEEDBACK] " + axis +
                          "_min = " + std::to_string(low) + " is above " + axis + "_max = " +
                          std::to_string(high) + ": the learner keeps the cutoff between them");
  }
  return {};
}

}  // namespace

Result<Config> load_config(const fs::path& folder) {
  std::error_code code;
  if (!fs::is_directory(folder, code)) {
    bool exists = fs::exists(folder, code);
    return make_error(std::string(kStep), "config folder '" + folder.string() + "' " +
                                              (exists ? "is not a folder" : "does not exist"));
  }

  Config config;
  config.folder = folder;

  // config.ini: the settings; without it, the defaults.
  const std::string ini_name = (folder / "config.ini").string();
  auto ini_bytes = read_optional_file(ini_name);
  if (!ini_bytes) return ini_bytes.error();
  if (*ini_bytes) {
    auto ini = ini::parse(**ini_bytes, ini_name);
    if (!ini) return ini.error();
    for (const ini::Section& section : ini->sections) {
      if (auto applied = apply_section(section, ini_name, config); !applied) return applied.error();
    }
    if (auto bounds = check_feedback_bounds(*ini, ini_name, config); !bounds) return bounds.error();
  } else {
    config.notices.push_back(
        ConfigNotice{ini_name, 0, "no config.ini: using paperbot's default settings"});
  }

  // authors.txt: optional; without it no author is followed.
  const std::string authors_name = (folder / "authors.txt").string();
  auto author_bytes = read_optional_file(authors_name);
  if (!author_bytes) return author_bytes.error();
  if (*author_bytes) {
    auto authors = parse_authors(**author_bytes, authors_name);
    if (!authors) return authors.error();
    config.authors = std::move(*authors);
  }

  if (auto criteria = read_criteria(folder, config); !criteria) return criteria.error();
  if (auto topics = read_audience_topics(folder, config); !topics) return topics.error();
  if ((config.email.security == "tls") != config.email.smtp_url.starts_with("smtps://")) {
    return make_error(std::string(kStep),
                      ini_name + ": [EMAIL] smtp_url " + config.email.smtp_url +
                          " does not go with security = " + config.email.security +
                          ": smtps:// takes security = tls, smtp:// takes starttls or plain");
  }
  if (!config.email.audiences.empty() && config.email.from.empty()) {
    return make_error(std::string(kStep), ini_name +
                                              ": [EMAIL] from is needed to send to the e-mail "
                                              "lists: the address the newsletter comes from");
  }
  return config;
}

const SlackAudienceConfig* SlackConfig::audience_of_channel(std::string_view channel) const {
  for (const auto& audience : audiences) {
    if (audience.channel == channel) return &audience;
  }
  return nullptr;
}

const EmailAudienceConfig* EmailConfig::audience_of_list(std::string_view list) const {
  for (const auto& audience : audiences) {
    if (audience.list == list) return &audience;
  }
  return nullptr;
}

Config default_config() {
  Config config;
  config.criteria = default_criteria();
  return config;
}

}  // namespace paperbot
