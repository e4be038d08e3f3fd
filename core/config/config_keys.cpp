#include "core/config/config_keys.hpp"

#include "core/common/text.hpp"
#include "core/config/config_readers.hpp"
#include "core/config/config_values.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <exception>
#include <type_traits>

namespace paperbot::config_keys {
namespace {

using config_values::parse_boolean;
using config_values::parse_decimal;
using config_values::parse_whole_number;
using namespace readers;

ValueReader categories() {
  return [](std::string_view value, Config& config) {
    std::vector<std::string> kept;
    for (std::string& category : split_trimmed(value, ',')) {
      if (!config_values::is_arxiv_category(category)) {
        return expected("arXiv categories like cs.LG, math.AG or hep-th, separated by commas ('" +
                        category + "' is not one)");
      }
      // The reference fetches each listed category once; a repeat adds nothing.
      if (std::find(kept.begin(), kept.end(), category) == kept.end())
        kept.push_back(std::move(category));
    }
    if (kept.empty()) return expected("at least one arXiv category, like cs.LG");
    config.filtering.categories = std::move(kept);
    return ReadOutcome{};
  };
}

ValueReader announce_types() {
  return [](std::string_view value, Config& config) {
    constexpr std::string_view kKinds = "new, cross, replace or replace-cross";
    std::set<AnnounceType> types;
    for (const std::string& name : split_trimmed(value, ',')) {
      auto type = parse_announce_type(ascii_lower(name));
      if (!type) {
        return expected("announce types from " + std::string(kKinds) + ", separated by commas ('" +
                        name + "' is not one)");
      }
      types.insert(*type);
    }
    if (types.empty()) return expected("at least one announce type: " + std::string(kKinds));
    config.filtering.announce_types = std::move(types);
    return ReadOutcome{};
  };
}

// num_samples is stored, but only its neutral value (1) means what the reference would do; any
// other value is said to be unused.
ValueReader neutral_number(int FilteringConfig::*member, int min, int max, int neutral,
                           std::string why) {
  return [member, min, max, neutral, why](std::string_view value, Config& config) {
    auto parsed = parse_whole_number(value);
    if (!parsed || *parsed < min || *parsed > max) return expected(range_text(min, max));
    config.filtering.*member = static_cast<int>(*parsed);
    return *parsed == neutral ? ReadOutcome{} : unused(why);
  };
}

// h_cutoff acts only when [PAPERBOT] h_index_filter is on. The two sections may come in either
// order, so each reader looks at what the other has read so far, and switching the filter on
// withdraws a notice already given for h_cutoff.
const std::string kHCutoffUnused =
    "[PAPERBOT] h_index_filter is off; set [PAPERBOT] h_index_filter = true to use it";

ValueReader h_cutoff() {
  return [](std::string_view value, Config& config) {
    constexpr int kMax = 1000;
    auto parsed = parse_whole_number(value);
    if (!parsed || *parsed < 0 || *parsed > kMax) return expected(range_text(0, kMax));
    config.filtering.h_cutoff = static_cast<int>(*parsed);
    bool acted_on = *parsed == 0 || config.paperbot.h_index_filter;
    return acted_on ? ReadOutcome{} : unused(kHCutoffUnused);
  };
}

ValueReader h_index_filter() {
  return [](std::string_view value, Config& config) {
    auto parsed = parse_boolean(value);
    if (!parsed) return expected("true or false (or yes/no, on/off, 1/0)");
    config.paperbot.h_index_filter = *parsed;
    if (*parsed) {
      std::erase_if(config.notices, [](const ConfigNotice& notice) {
        return notice.message.ends_with(kHCutoffUnused);
      });
    }
    return ReadOutcome{};
  };
}

ValueReader top_n() {
  return [](std::string_view value, Config& config) {
    constexpr int kMax = 100000;
    if (value.empty()) {
      config.paperbot.top_n.reset();
      return ReadOutcome{};
    }
    auto parsed = parse_whole_number(value);
    if (!parsed || *parsed < 1 || *parsed > kMax)
      return expected(range_text(1, kMax) + ", or nothing for no limit");
    config.paperbot.top_n = static_cast<int>(*parsed);
    return ReadOutcome{};
  };
}

ValueReader scorer() {
  return [](std::string_view value, Config& config) {
    std::string lower = ascii_lower(value);
    if (lower != "offline" && lower != "llm" && lower != "auto")
      return expected("offline, llm or auto");
    config.paperbot.scorer = lower;
    return ReadOutcome{};
  };
}

// A number that may be left empty for "none": budgets, the seed.
template <class Number>
ValueReader optional_number(std::optional<Number> LlmConfig::*member, double min, double max,
                            std::string what) {
  return [member, min, max, what](std::string_view value, Config& config) {
    if (value.empty()) {
      (config.llm.*member).reset();
      return ReadOutcome{};
    }
    auto parsed = parse_decimal(value);
    bool whole =
        !std::is_floating_point_v<Number> && parsed && *parsed != static_cast<long long>(*parsed);
    if (!parsed || whole || *parsed < min || *parsed > max) return expected(what);
    config.llm.*member = static_cast<Number>(*parsed);
    return ReadOutcome{};
  };
}

ValueReader api_style() {
  return [](std::string_view value, Config& config) {
    std::string lower = ascii_lower(value);
    if (lower != "openai" && lower != "azure") return expected("openai or azure");
    config.llm.api_style = lower;
    return ReadOutcome{};
  };
}

// One model a line: "gpt-4o = 2.50, 10.00, 1.25": dollars per million prompt, completion and
// (optionally) cached prompt tokens.
ValueReader prices() {
  return [](std::string_view value, Config& config) {
    constexpr std::string_view kWhat =
        "one model a line, like 'gpt-4o = 2.50, 10.00, 1.25' (dollars per million prompt, "
        "completion and optionally cached prompt tokens)";
    PriceTable table;
    for (const std::string& line : split_trimmed(value, '\n')) {
      auto equals = line.find('=');
      if (equals == std::string::npos) return expected(std::string(kWhat));
      std::string model(trim(std::string_view(line).substr(0, equals)));
      auto numbers = split_trimmed(std::string_view(line).substr(equals + 1), ',');
      if (model.empty() || numbers.size() < 2 || numbers.size() > 3) {
        return expected(std::string(kWhat));
      }
      std::vector<double> parsed;
      for (const auto& number : numbers) {
        auto amount = parse_decimal(number);
        if (!amount || *amount < 0) return expected(std::string(kWhat));
        parsed.push_back(*amount);
      }
      ModelPrice price{parsed[0], parsed[1], std::nullopt};
      if (parsed.size() == 3) price.cached_prompt_per_million = parsed[2];
      table[model] = price;
    }
    config.llm.prices = std::move(table);
    return ReadOutcome{};
  };
}

// A zone of the system's tz database ("America/New_York"), checked now so that a misspelt zone
// stops the start rather than the first scheduled run.
ValueReader time_zone() {
  return [](std::string_view value, Config& config) {
    constexpr std::string_view kWhat =
        "a time zone of the tz database, like America/New_York or Europe/Berlin";
    if (value.empty()) return expected(std::string(kWhat));
    // The date library reports an unknown zone, or a missing database, by throwing.
    try {
      date::locate_zone(value);
    } catch (const std::exception&) {
      return expected(std::string(kWhat) + " (not found in /usr/share/zoneinfo)");
    }
    config.schedule.time_zone = std::string(value);
    return ReadOutcome{};
  };
}

// Dates in ISO form separated by commas; empty for none. Kept sorted and without repeats.
ValueReader iso_dates(std::vector<Date> ScheduleConfig::*member) {
  return [member](std::string_view value, Config& config) {
    std::vector<Date> dates;
    for (const std::string& text : split_trimmed(value, ',')) {
      auto date = parse_iso_date(text);
      if (!date) {
        return expected("dates like 2026-12-24, separated by commas ('" + text + "' is not one)");
      }
      dates.push_back(*date);
    }
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    config.schedule.*member = std::move(dates);
    return ReadOutcome{};
  };
}

// A reference key paperbot accepts but does not act on. `check_boolean` keeps the reference's own
// validation, since it reads these keys with getboolean() and would stop on a bad value.
ValueReader ignored(std::string why, bool check_boolean = false) {
  return [why, check_boolean](std::string_view value, Config&) {
    if (check_boolean && !parse_boolean(value))
      return expected("true or false (or yes/no, on/off, 1/0)");
    return unused(why);
  };
}

std::vector<KeyRule> build_rules() {
  using S = SelectionConfig;
  using F = FilteringConfig;
  using O = OutputConfig;
  using P = PaperbotConfig;
  constexpr auto kSel = &Config::selection;
  constexpr auto kFil = &Config::filtering;
  constexpr auto kOut = &Config::output;
  constexpr auto kBot = &Config::paperbot;
  using L = LlmConfig;
  constexpr auto kLlm = &Config::llm;
  using T = ScheduleConfig;
  constexpr auto kSch = &Config::schedule;

  return {
      {"SELECTION", "run_author_match", boolean(kSel, &S::run_author_match)},
      {"SELECTION", "author_match_score", whole_number(kSel, &S::author_match_score, 0, 100)},
      {"SELECTION", "run_openai", boolean(kSel, &S::run_openai)},
      {"SELECTION", "model", text(kSel, &S::model, "a model name on one line, like gpt-4o")},
      {"SELECTION", "title_batch_size", whole_number(kSel, &S::title_batch_size, 1, 1000)},
      {"SELECTION", "abstract_batch_size", whole_number(kSel, &S::abstract_batch_size, 1, 1000)},
      // The original tatsu-lab key: its one batch size is the abstract (scoring) batch.
      {"SELECTION", "batch_size", whole_number(kSel, &S::abstract_batch_size, 1, 1000)},
      {"SELECTION", "adaptive_batch_size", boolean(kSel, &S::adaptive_batch_size)},
      {"SELECTION", "adaptive_threshold", whole_number(kSel, &S::adaptive_threshold, 1, 100000)},
      {"SELECTION", "run_title_filter", boolean(kLlm, &L::title_filter)},
      {"SELECTION", "run_abstract_filter",
       ignored("abstracts are always scored; the title stage is [LLM] title_filter", true)},
      {"SELECTION", "limit_per_minute", whole_number(kLlm, &L::requests_per_minute, 0, 100000)},
      {"SELECTION", "title_retry", ignored("it retries LLM requests itself")},
      {"SELECTION", "abstract_retry", ignored("it retries LLM requests itself")},

      {"FILTERING", "arxiv_category", categories()},
      {"FILTERING", "announce_type", announce_types()},
      {"FILTERING", "force_primary", boolean(kFil, &F::force_primary)},
      {"FILTERING", "num_samples",
       neutral_number(&F::num_samples, 1, 100, 1, "it asks the model for one answer per paper")},
      {"FILTERING", "h_cutoff", h_cutoff()},
      // The original tatsu-lab spelling of h_cutoff.
      {"FILTERING", "hcutoff", h_cutoff()},
      {"FILTERING", "relevance_cutoff", whole_number(kFil, &F::relevance_cutoff, 1, 10)},
      {"FILTERING", "novelty_cutoff", whole_number(kFil, &F::novelty_cutoff, 1, 10)},

      {"OUTPUT", "debug_messages", boolean(kOut, &O::debug_messages)},
      {"OUTPUT", "output_path", text(kOut, &O::output_path, "a folder path on one line")},
      {"OUTPUT", "dump_json", boolean(kOut, &O::dump_json)},
      {"OUTPUT", "dump_md", boolean(kOut, &O::dump_md)},
      {"OUTPUT", "dump_html", boolean(kOut, &O::dump_html)},
      {"OUTPUT", "dump_debug_file",
       ignored("it writes no debug files; every run's papers and scores are kept in the store",
               true)},
      {"OUTPUT", "push_to_slack", ignored("Slack is configured in [SLACK]", true)},

      {"PAPERBOT", "store_path", text(kBot, &P::store_path, "a file path on one line")},
      {"PAPERBOT", "scorer", scorer()},
      {"PAPERBOT", "top_n", top_n()},
      {"PAPERBOT", "rescore_replacements", boolean(kBot, &P::rescore_replacements)},
      {"PAPERBOT", "arxiv_feed_url", url(kBot, &P::arxiv_feed_url)},
      {"PAPERBOT", "arxiv_api_url", url(kBot, &P::arxiv_api_url)},
      {"PAPERBOT", "arxiv_timeout_seconds", whole_number(kBot, &P::arxiv_timeout_seconds, 1, 3600)},
      {"PAPERBOT", "arxiv_retries", whole_number(kBot, &P::arxiv_retries, 0, 100)},
      {"PAPERBOT", "arxiv_min_interval_seconds",
       decimal(kBot, &P::arxiv_min_interval_seconds, 0, 3600)},
      {"PAPERBOT", "novelty_window_days", whole_number(kBot, &P::novelty_window_days, 1, 3650)},
      {"PAPERBOT", "h_index_filter", h_index_filter()},
      {"PAPERBOT", "semantic_scholar_url", url(kBot, &P::semantic_scholar_url)},

      {"LLM", "base_url", url(kLlm, &L::base_url)},
      {"LLM", "api_style", api_style()},
      {"LLM", "api_version", text(kLlm, &L::api_version, "an API version on one line")},
      {"LLM", "temperature", decimal(kLlm, &L::temperature, 0, 2)},
      {"LLM", "seed", optional_number(&L::seed, 0, 2147483647, "a whole number, or nothing")},
      {"LLM", "timeout_seconds", whole_number(kLlm, &L::timeout_seconds, 1, 3600)},
      {"LLM", "max_in_flight", whole_number(kLlm, &L::max_in_flight, 1, 64)},
      {"LLM", "requests_per_minute", whole_number(kLlm, &L::requests_per_minute, 0, 1000000)},
      {"LLM", "tokens_per_minute", whole_number(kLlm, &L::tokens_per_minute, 0, 100000000)},
      {"LLM", "max_retries", whole_number(kLlm, &L::max_retries, 0, 20)},
      {"LLM", "max_attempts", whole_number(kLlm, &L::max_attempts, 1, 10)},
      {"LLM", "title_filter", boolean(kLlm, &L::title_filter)},
      {"LLM", "daily_budget_dollars",
       optional_number(&L::daily_budget_dollars, 0, 1e6, "an amount in dollars, or nothing")},
      {"LLM", "daily_budget_tokens",
       optional_number(&L::daily_budget_tokens, 0, 1e12, "a whole number of tokens, or nothing")},
      {"LLM", "prices", prices()},

      {"SCHEDULE", "run_hour", whole_number(kSch, &T::run_hour, 0, 23)},
      {"SCHEDULE", "time_zone", time_zone()},
      {"SCHEDULE", "retry_minutes", whole_number(kSch, &T::retry_minutes, 1, 1440)},
      {"SCHEDULE", "max_retries", whole_number(kSch, &T::max_retries, 0, 1000)},
      {"SCHEDULE", "extra_holidays", iso_dates(&T::extra_holidays)},
      {"SCHEDULE", "catch_up_days", whole_number(kSch, &T::catch_up_days, 0, 365)},
  };
}

}  // namespace

const std::vector<KeyRule>& key_rules() {
  static const std::vector<KeyRule> rules = [] {
    std::vector<KeyRule> all = build_rules();
    for (KeyRule& rule : slack_rules()) all.push_back(std::move(rule));
    for (KeyRule& rule : server_rules()) all.push_back(std::move(rule));
    for (KeyRule& rule : email_rules()) all.push_back(std::move(rule));
    for (KeyRule& rule : feedback_rules()) all.push_back(std::move(rule));
    return all;
  }();
  return rules;
}

const KeyRule* find_rule(std::string_view section, std::string_view key) {
  for (const KeyRule& rule : key_rules()) {
    if (rule.section == section && rule.key == key) return &rule;
  }
  return nullptr;
}

bool is_known_section(std::string_view section) {
  const auto& rules = key_rules();
  return std::any_of(rules.begin(), rules.end(),
                     [section](const KeyRule& rule) { return rule.section == section; });
}

bool is_planned_section(std::string_view) {
  return false;
}

}  // namespace paperbot::config_keys
