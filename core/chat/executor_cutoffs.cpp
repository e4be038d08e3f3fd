// `cutoffs`, `history` and `undo`: the scope's cutoffs and top N with where each comes from, and
// the list of chat changes with a way back.
#include "core/chat/command_context.hpp"
#include "core/chat/reply_text.hpp"
#include "core/common/text.hpp"
#include "core/feedback/tuning.hpp"

namespace paperbot::chat {
namespace {

constexpr int kHistoryShown = 20;

Result<ResolvedAudience> scope_view(CommandContext& context) {
  return resolve_audience(context.config, context.scope_audience(), context.store);
}

std::string top_text(const std::optional<int>& top_n) {
  return top_n ? std::to_string(*top_n) : std::string("no limit");
}

std::string cutoffs_in_brief(const ResolvedAudience& audience) {
  const Config& config = audience.config;
  return "relevance ≥ " + std::to_string(config.filtering.relevance_cutoff) + ", novelty ≥ " +
         std::to_string(config.filtering.novelty_cutoff) + ", top " +
         top_text(config.paperbot.top_n);
}

// After a global change asked in an audience channel: the settings that channel keeps its own.
Result<std::string> overridden_here(CommandContext& context, const commands::SetCutoffs& set) {
  const SlackAudienceConfig* channel =
      context.config.slack.audience_of_channel(context.asker.channel);
  if (!context.is_global() || channel == nullptr) return std::string();
  auto here = resolve_audience(context.config, channel->audience(), context.store);
  if (!here) return here.error();

  auto own = [](SettingSource source) {
    return source == SettingSource::kChannelConfig || source == SettingSource::kChannelChat;
  };
  std::vector<std::string> kept;
  const SettingSources& sources = here->sources;
  if (set.relevance && own(sources.relevance_cutoff)) {
    kept.push_back("relevance cutoff " + std::to_string(here->config.filtering.relevance_cutoff) +
                   " (" + std::string(describe(sources.relevance_cutoff)) + ")");
  }
  if (set.novelty && own(sources.novelty_cutoff)) {
    kept.push_back("novelty cutoff " + std::to_string(here->config.filtering.novelty_cutoff) +
                   " (" + std::string(describe(sources.novelty_cutoff)) + ")");
  }
  if (set.top && own(sources.top_n)) {
    kept.push_back("top " + top_text(here->config.paperbot.top_n) + " (" +
                   std::string(describe(sources.top_n)) + ")");
  }
  if (kept.empty()) return std::string();
  return "\n" + audience_label(*here) + " keeps its own " + join(kept, ", ") + ".";
}

}  // namespace

Result<Reply> run_show_cutoffs(CommandContext& context) {
  auto view = scope_view(context);
  if (!view) return view.error();
  const Config& config = view->config;
  const SettingSources& sources = view->sources;

  std::string text = "*Cutoffs of " + scope_label(context, *view) + "*\n";
  text += "• relevance ≥ " + std::to_string(config.filtering.relevance_cutoff) + " (from " +
          std::string(describe(sources.relevance_cutoff)) + ")\n";
  text += "• novelty ≥ " + std::to_string(config.filtering.novelty_cutoff) + " (from " +
          std::string(describe(sources.novelty_cutoff)) + ")\n";
  text += "• top N: " + top_text(config.paperbot.top_n) + " (from " +
          std::string(describe(sources.top_n)) + ")\n";
  text +=
      "A paper makes the digest when both its scores reach their cutoffs, best first, up to the "
      "top N. `cutoffs relevance R novelty N top K` changes any of them." +
      scope_note(context, false);
  return Reply{text, std::nullopt};
}

Result<Reply> run_set_cutoffs(CommandContext& context, const commands::SetCutoffs& set) {
  auto before = scope_view(context);
  if (!before) return before.error();
  auto settings = context.store.scope_settings(context.scope);
  if (!settings) return settings.error();

  // The summary compares with what applied before, whichever layer it came from.
  const ScopeSettings stored = *settings;
  std::vector<std::string> summary;
  auto note = [&](const char* name, const std::string& was, const std::string& now) {
    summary.push_back(std::string(name) + " " + (was == now ? now : was + " → " + now));
  };
  if (set.relevance) {
    settings->relevance_cutoff = set.relevance;
    note("relevance", std::to_string(before->config.filtering.relevance_cutoff),
         std::to_string(*set.relevance));
  }
  if (set.novelty) {
    settings->novelty_cutoff = set.novelty;
    note("novelty", std::to_string(before->config.filtering.novelty_cutoff),
         std::to_string(*set.novelty));
  }
  if (set.top) {
    settings->top_n = set.top;
    note("top", top_text(before->config.paperbot.top_n), std::to_string(*set.top));
  }

  const std::string label = scope_label(context, *before);
  if (*settings == stored) {
    return Reply{
        "The cutoffs of " + label + " are already " + join(summary, ", ") + "; nothing changed.",
        std::nullopt};
  }
  auto changed = context.store.change_settings(
      context.scope, *settings, "cutoffs", join(summary, ", "), context.asker.user, context.now);
  if (!changed) return changed.error();

  auto after = scope_view(context);
  if (!after) return after.error();
  auto kept = overridden_here(context, set);
  if (!kept) return kept.error();
  return Reply{"Cutoffs of " + label + " now: " + cutoffs_in_brief(*after) + " (" +
                   join(summary, ", ") +
                   "). They apply from the next run; `rescore` applies them to a day already "
                   "posted, and `undo` takes the change back." +
                   *kept + scope_note(context, true),
               std::nullopt};
}

Result<Reply> run_explain_cutoffs(CommandContext& context) {
  auto view = scope_view(context);
  if (!view) return view.error();
  const std::string label = scope_label(context, *view);
  const Config& config = view->config;
  std::string text = "*Why the cutoffs of " + label + " are " + cutoffs_in_brief(*view) + "*\n";
  if (view->id == kFilesAudience) {
    return Reply{text + "They come from " + std::string(describe(view->sources.relevance_cutoff)) +
                     "; feedback tunes only the cutoffs of the Slack channels and e-mail lists "
                     "that get the digest." +
                     scope_note(context, false),
                 std::nullopt};
  }

  auto last = context.store.last_move(view->id);
  if (!last) return last.error();
  if (*last) {
    text += "• Last moved by feedback before the announcement of " +
            format_iso_date((*last)->date) + ": " + escape((*last)->reason) + "\n";
  } else {
    text += "• Feedback has not moved them; they come from " +
            std::string(describe(view->sources.relevance_cutoff)) + ".\n";
  }
  // As the next run will see it: the announcement it is for, else today.
  const DaemonFacts facts = context.facts ? context.facts() : DaemonFacts{};
  const Date next =
      facts.next_announcement.value_or(Date{std::chrono::floor<std::chrono::days>(context.now)});
  const feedback::Cutoffs current{config.filtering.relevance_cutoff,
                                  config.filtering.novelty_cutoff};
  auto decision = feedback::assess(context.store, view->id, current, config.feedback, next);
  if (!decision) return decision.error();
  if (!config.feedback.learn) {
    text += "• Learning from feedback is off ([FEEDBACK] learn = false).\n";
  } else if (decision->moved()) {
    text +=
        "• The feedback so far says: " + escape(decision->reason) + ". The next run applies it.\n";
  } else {
    text += "• The feedback so far says " + escape(decision->reason) + ".\n";
  }
  text += "• Papers just below the bar shown each day: " + std::to_string(config.feedback.explore) +
          "; target 👍 rate " +
          std::to_string(static_cast<int>(config.feedback.target_rate * 100 + 0.5)) +
          "%; bounds relevance " + std::to_string(config.feedback.relevance_min) + "–" +
          std::to_string(config.feedback.relevance_max) + ", novelty " +
          std::to_string(config.feedback.novelty_min) + "–" +
          std::to_string(config.feedback.novelty_max) + ".\n";
  text += "`undo` reverts the last change, `cutoffs lock` keeps them where they are.";
  return Reply{text, std::nullopt};
}

Result<Reply> run_lock_cutoffs(CommandContext& context, const commands::LockCutoffs& lock) {
  auto view = scope_view(context);
  if (!view) return view.error();
  const std::string label = scope_label(context, *view);
  auto changed =
      context.store.set_cutoffs_locked(context.scope, lock.locked, context.asker.user, context.now);
  if (!changed) return changed.error();
  std::string text;
  if (lock.locked) {
    text = *changed ? "Locked: feedback no longer moves the cutoffs of " + label + " (now " +
                          cutoffs_in_brief(*view) + "). `cutoffs unlock` lets it again."
                    : "The cutoffs of " + label + " were already locked.";
  } else {
    text = *changed ? "Unlocked: feedback may move the cutoffs of " + label +
                          " again, at most one point a day."
                    : "The cutoffs of " + label + " were not locked.";
    auto global = context.store.cutoffs_lock(std::string(kGlobalScope));
    if (!global) return global.error();
    if (!context.is_global() && *global) {
      text += " A global lock still holds every audience; `cutoffs global unlock` lifts it.";
    }
  }
  return Reply{text + scope_note(context, *changed), std::nullopt};
}

Result<Reply> run_history(CommandContext& context) {
  auto view = scope_view(context);
  if (!view) return view.error();
  const std::string label = scope_label(context, *view);
  auto changes = context.store.settings_history(context.scope, kHistoryShown);
  if (!changes) return changes.error();
  if (changes->empty()) {
    return Reply{"No settings of " + label + " were changed in chat; they come from " +
                     (context.is_global() ? "the config." : "the config and the global settings.") +
                     scope_note(context, false),
                 std::nullopt};
  }

  std::string text = "*Settings changes of " + label + "* (newest first):\n";
  for (const SettingsChange& change : *changes) {
    text += "• #" + std::to_string(change.id) + " · " + format_stored_time(change.at) + " · " +
            person_label(change.person) + " · " + escape(change.what) + ": " +
            escape(change.summary) + (change.undone ? " _(undone)_" : "") + "\n";
  }
  text += "`undo` takes back the newest change not yet undone." + scope_note(context, false);
  return Reply{text, std::nullopt};
}

Result<Reply> run_undo(CommandContext& context) {
  auto undone = context.store.undo_last_change(context.scope, context.asker.user, context.now);
  if (!undone) return undone.error();
  auto view = scope_view(context);
  if (!view) return view.error();
  const std::string label = scope_label(context, *view);
  if (!*undone) {
    return Reply{"Nothing to undo in " + label + ": no change made in chat is left." +
                     scope_note(context, false),
                 std::nullopt};
  }

  const SettingsChange& change = **undone;
  std::string restored;
  if (change.what == "criteria") {
    restored = "The criteria are back to v" + std::to_string(view->criteria_id) + ".";
  } else if (change.what == "authors") {
    const std::size_t count = view->config.authors.size();
    restored =
        std::to_string(count) + (count == 1 ? " author is" : " authors are") + " followed again.";
  } else {
    restored = "The cutoffs are back to " + cutoffs_in_brief(*view) + ".";
    if (change.person == feedback::kLearner) {
      restored += " Feedback may move them again from the next run; `cutoffs lock` keeps them.";
    }
  }
  return Reply{"Undid #" + std::to_string(change.id) + " in " + label + ", " +
                   person_label(change.person) + "'s change of " + format_stored_time(change.at) +
                   " (" + escape(change.what) + ": " + escape(change.summary) + "). " + restored +
                   scope_note(context, true),
               std::nullopt};
}

}  // namespace paperbot::chat
