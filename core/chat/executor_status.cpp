// `status`, `pause`, `resume`, `rescore` and `help`: how the daemon is doing for an audience, and
// the commands that steer it.
#include "core/chat/command_context.hpp"
#include "core/chat/reply_text.hpp"
#include "core/common/text.hpp"

#include <cstdio>

namespace paperbot::chat {
namespace {

std::string dollars(double amount) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "$%.2f", amount);
  return buffer;
}

Result<std::string> last_run_line(CommandContext& context, const ResolvedAudience& audience) {
  auto latest = context.store.latest_run_date(audience.id);
  if (!latest) return latest.error();
  if (!*latest) return std::string("Last run: none yet.");
  auto run = context.store.find_run(**latest, audience.id);
  if (!run) return run.error();
  if (!*run) return std::string("Last run: none yet.");

  const RunRecord& record = **run;
  const RunCounts& counts = record.counts;
  std::string line = "Last run: " + format_iso_date(record.date) + ", " + escape(record.status) +
                     (record.late ? " (late, through the catch-up)" : "") + "; " +
                     std::to_string(counts.fetched) + " listed, " + std::to_string(counts.kept) +
                     " considered, " + std::to_string(counts.scored) + " scored, " +
                     std::to_string(counts.selected) + " selected";
  if (!record.finished_at.empty()) line += "; finished " + format_stored_time(record.finished_at);
  return line + ".";
}

// The UTC calendar month of `now`: its first day and the first day of the next.
std::pair<Date, Date> this_month(std::chrono::sys_seconds now) {
  const Date today{std::chrono::floor<std::chrono::days>(now)};
  const Date first = today.year() / today.month() / std::chrono::day(1);
  const auto next = std::chrono::year_month(today.year(), today.month()) + std::chrono::months(1);
  return {first, next / std::chrono::day(1)};
}

}  // namespace

Result<Reply> run_status(CommandContext& context) {
  auto audience = resolve_audience(context.config, context.audience_id, context.store);
  if (!audience) return audience.error();
  const DaemonFacts facts = context.facts ? context.facts() : DaemonFacts{};

  std::string text = "*Status of " + audience_label(*audience) + "*\n";
  auto last = last_run_line(context, *audience);
  if (!last) return last.error();
  text += *last + "\n";

  text += "Next run: ";
  if (facts.next_run) {
    // A run due in the past has not happened yet: the daemon is on it, or not running.
    text += *facts.next_run <= context.now ? "due since " + format_time(*facts.next_run)
                                           : format_time(*facts.next_run);
    if (facts.next_announcement) {
      text += ", for the announcement of " + format_iso_date(*facts.next_announcement);
    }
  } else {
    text += "not scheduled";
  }
  text += ".\n";
  if (facts.last_error) text += "Last error: " + escape(*facts.last_error) + "\n";

  const FilteringConfig& filtering = audience->config.filtering;
  text += "Cutoffs: relevance ≥ " + std::to_string(filtering.relevance_cutoff) + ", novelty ≥ " +
          std::to_string(filtering.novelty_cutoff) + ".\n";

  auto pending = context.store.pending_count(audience->id);
  if (!pending) return pending.error();
  text += "Pending messages: " + std::to_string(*pending) + ".\n";

  auto feedback = context.store.audience_feedback(audience->id);
  if (!feedback) return feedback.error();
  text += "Feedback: 👍 " + std::to_string(feedback->up) + " · 👎 " + std::to_string(feedback->down) +
          ".\n";

  // Spending is shared by all audiences: one fetch and one score cache serve them all.
  const auto [first, end] = this_month(context.now);
  auto spent = context.store.spent_between(first, end);
  if (!spent) return spent.error();
  text += "Spent this month (UTC, all channels): " + std::to_string(spent->tokens) + " tokens, " +
          dollars(spent->dollars) + ".\n";

  // An e-mail list's line; the global view has one for every list.
  for (const EmailAudienceConfig& list : context.config.email.audiences) {
    if (audience->id != list.audience() && audience->id != kFilesAudience) continue;
    auto line = email_status_line(context, list, context.by_admin);
    if (!line) return line.error();
    text += *line + "\n";
  }

  text += "Daily digest: ";
  if (audience->paused_globally) {
    text += "paused for every channel (`resume global` restarts it).";
  } else if (audience->paused) {
    text += "paused (`resume` restarts it).";
  } else {
    text += "running.";
  }
  return Reply{text, std::nullopt};
}

Reply status_reply(const Config& config, Store& store, const std::string& audience_id,
                   const DaemonFacts& facts, std::chrono::sys_seconds now, bool show_addresses) {
  const Asker nobody;
  const std::function<DaemonFacts()> known = [facts] { return facts; };
  CommandContext context{config, store, nobody, "status", now, known};
  context.audience_id = audience_id;
  context.scope = audience_id == kFilesAudience ? std::string(kGlobalScope) : audience_id;
  context.by_admin = show_addresses;
  auto reply = run_status(context);
  if (!reply) return Reply{"Status failed: " + reply.error().to_string(), std::nullopt};
  return std::move(*reply);
}

Result<Reply> run_pause(CommandContext& context, bool paused) {
  auto before = context.store.scope_settings(context.scope);
  if (!before) return before.error();
  if (auto saved = context.store.set_paused(context.scope, paused); !saved) return saved.error();
  auto view = resolve_audience(context.config, context.scope_audience(), context.store);
  if (!view) return view.error();

  const bool global = context.is_global();
  const std::string target =
      global ? std::string("every channel") : "this channel (" + audience_label(*view) + ")";
  std::string text;
  if (paused) {
    text = before->paused ? "Already paused: " : "Paused: ";
    text += "the daily digest for " + target + " stops until an admin says `resume" +
            (context.global_word ? " global" : "") + "`. Commands still work.";
  } else {
    text = before->paused ? "Resumed: " : "Not paused, so nothing to resume: ";
    text += "the daily digest for " + target + " goes out with the next announcement.";
    if (!global && view->paused_globally) {
      text +=
          " But every channel is paused globally, so nothing is posted until an admin says "
          "`resume global`.";
    }
  }
  return Reply{text + scope_note(context, true), std::nullopt};
}

Result<Reply> run_rescore(CommandContext& context, const commands::Rescore& rescore) {
  // A re-score is of one digest: the channel's, or the output folder's for the global scope.
  auto audience = resolve_audience(context.config, context.audience_id, context.store);
  if (!audience) return audience.error();
  const std::string label = audience_label(*audience);

  std::optional<Date> date = rescore.date;
  if (!date) {
    auto latest = context.store.latest_run_date(audience->id);
    if (!latest) return latest.error();
    if (!*latest) {
      return Reply{
          "There is no digest of " + label + " to re-score yet; name a day: `rescore YYYY-MM-DD`.",
          std::nullopt};
    }
    date = **latest;
  }
  const std::string day = format_iso_date(*date);
  auto papers = context.store.announced_papers(*date);
  if (!papers) return papers.error();
  if (papers->empty()) {
    return Reply{
        "paperbot has no papers of " + day + ": it can re-score only an announcement it has read.",
        std::nullopt};
  }

  Reply reply;
  reply.text = "Re-scoring " + day + " for " + label + " under criteria v" +
               std::to_string(audience->criteria_id) +
               " (scores that did not change come from the cache); the result follows in this "
               "channel.";
  reply.rescore = RescoreJob{audience->id, *date, context.asker.user};
  return reply;
}

Reply run_help(const commands::Help& help) {
  if (help.topic.empty()) return Reply{commands::help_text(), std::nullopt};
  const std::string usage = commands::usage_for(help.topic);
  if (usage.empty()) {
    return Reply{"There is no command `" + escape(help.topic) + "`.\n" + commands::help_text(),
                 std::nullopt};
  }
  return Reply{"Usage:\n" + usage, std::nullopt};
}

}  // namespace paperbot::chat
