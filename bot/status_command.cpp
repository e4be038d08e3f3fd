#include "bot/status_command.hpp"

#include "bot/exit_codes.hpp"
#include "bot/health.hpp"
#include "bot/logging.hpp"
#include "core/chat/audience.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace paperbot {
namespace {

// "<target|label>" or "<target>" as plain text.
std::string plain_link(std::string_view inner) {
  const auto bar = inner.find('|');
  if (bar != std::string_view::npos) {
    return std::string(inner.substr(bar + 1)) + " (" + std::string(inner.substr(0, bar)) + ")";
  }
  if (inner.starts_with("#") || inner.starts_with("@")) return std::string(inner);
  return std::string(inner);
}

std::string unescape_entities(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 4) == "&lt;") {
      out += '<';
      i += 3;
    } else if (text.substr(i, 4) == "&gt;") {
      out += '>';
      i += 3;
    } else if (text.substr(i, 5) == "&amp;") {
      out += '&';
      i += 4;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string plain_text(std::string_view mrkdwn) {
  std::string out;
  for (std::size_t i = 0; i < mrkdwn.size(); ++i) {
    const char c = mrkdwn[i];
    if (c == '*') continue;
    const auto close = c == '<' ? mrkdwn.find('>', i) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += c;
      continue;
    }
    out += plain_link(mrkdwn.substr(i + 1, close - i - 1));
    i = close;
  }
  return unescape_entities(out);
}

chat::DaemonFacts scheduled_facts(const Config& config, Store& store,
                                  std::chrono::sys_seconds now) {
  chat::DaemonFacts facts;
  auto scheduler = Scheduler::create(config.schedule);
  auto days = store.days_since(Date{std::chrono::year{1970} / 1 / 1});
  if (!scheduler || !days) return facts;
  RunHistory history;
  for (const DayRecord& day : *days) {
    if (day.status == "done" || day.status == "empty") history.processed.insert(day.date);
    if (day.status == "given_up") history.feed_given_up.insert(day.date);
  }
  if (!history.processed.empty()) history.first_processed = *history.processed.begin();
  const ScheduleDecision decision = scheduler->decide(now, history);
  facts.next_run = decision.next.at;
  facts.next_announcement = decision.next.announcement;
  return facts;
}

int run_status_command(const StatusCommandOptions& options) {
  auto logger = component_logger("status");
  auto config =
      options.config_dir ? load_config(*options.config_dir) : Result<Config>(default_config());
  if (!config) {
    logger->error("{}", config.error().to_string());
    return kExitConfig;
  }
  // A status of a store that does not exist would create an empty one and report nothing.
  const auto path = options.store_path.value_or(config->paperbot.store_path);
  if (!std::filesystem::exists(path)) {
    logger->error("no store at {}: give --store, or run paperbot first", path.string());
    return kExitStore;
  }
  auto store = Store::open(path);
  if (!store) {
    logger->error("{}", store.error().to_string());
    return kExitStore;
  }

  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (auto scheduler = Scheduler::create(config->schedule)) {
    auto health = check_health(**store, *scheduler, now);
    std::printf("Health: %s\n",
                health ? health->summary.c_str() : health.error().to_string().c_str());
  }
  const chat::DaemonFacts facts = scheduled_facts(*config, **store, now);
  for (const std::string& id : chat::audience_ids(*config)) {
    // The command line is the operator's own: e-mail addresses may be shown.
    const chat::Reply reply = chat::status_reply(*config, **store, id, facts, now, true);
    std::printf("\n[%s]\n%s\n", id.c_str(), plain_text(reply.text).c_str());
  }
  return kExitOk;
}

}  // namespace paperbot
