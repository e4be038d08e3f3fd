#include "core/feedback/tuning.hpp"

#include <algorithm>

namespace paperbot::feedback {

std::vector<Exposure> shown_papers(const std::string& audience, const Digest& digest) {
  std::vector<Exposure> shown;
  for (const auto* entries : {&digest.entries, &digest.below_bar}) {
    for (const DigestEntry& entry : *entries) {
      if (entry.author_match) continue;
      shown.push_back(Exposure{audience, digest.date, entry.paper.id, entry.score.relevance,
                               entry.score.novelty, entry.rank_score,
                               entries == &digest.below_bar});
    }
  }
  return shown;
}

namespace {

// The day a person last set the cutoffs of `audience` by hand: a cutoff change of theirs, or an
// undo of one of the learner's moves. Feedback from before then is not held against their choice.
Result<std::optional<Date>> set_by_hand(Store& store, const std::string& audience) {
  constexpr int kChangesRead = 50;
  auto changes = store.settings_history(audience, kChangesRead);
  if (!changes) return changes.error();
  std::string latest;
  for (const SettingsChange& change : *changes) {
    if (change.what != "cutoffs") continue;
    if (change.person != kLearner) latest = std::max(latest, change.at);
    if (change.person == kLearner && change.undone) latest = std::max(latest, change.undone_at);
  }
  if (latest.empty()) return std::optional<Date>();
  return parse_iso_timestamp_date(latest);
}

}  // namespace

Result<Decision> assess(Store& store, const std::string& audience, Cutoffs current,
                        const FeedbackConfig& settings, Date day) {
  const Date first{std::chrono::sys_days(day) - std::chrono::days(settings.window_days)};
  const Date last{std::chrono::sys_days(day) - std::chrono::days(1)};
  LearnerInputs inputs;
  inputs.current = current;
  inputs.settings = settings;
  inputs.window_days = settings.window_days;
  auto own = store.exposure_outcomes(audience, first, last);
  if (!own) return own.error();
  inputs.own = std::move(*own);
  auto by_hand = set_by_hand(store, audience);
  if (!by_hand) return by_hand.error();
  if (*by_hand && **by_hand >= first) {
    // Only papers shown after that day, under the cutoffs the person chose.
    inputs.since = **by_hand;
    std::erase_if(inputs.own, [&](const ExposureOutcome& outcome) {
      return outcome.exposure.date <= **by_hand;
    });
  }
  auto everyone = store.exposure_outcomes("", first, last);
  if (!everyone) return everyone.error();
  inputs.everyone = std::move(*everyone);
  // A lock of the audience, or of the global scope, which holds every audience.
  for (const std::string& scope : {audience, std::string(kGlobalScope)}) {
    auto lock = store.cutoffs_lock(scope);
    if (!lock) return lock.error();
    if (*lock && !inputs.lock) inputs.lock = std::move(*lock);
  }
  return decide(inputs);
}

Result<std::optional<Decision>> tune(Store& store, const std::string& audience, Cutoffs current,
                                     const FeedbackConfig& settings, Date day,
                                     std::chrono::sys_seconds now) {
  if (!settings.learn) return std::optional<Decision>();
  // A day caught up after a later one was tuned is not tuned: the later one saw more.
  auto later =
      store.tunings_since(audience, Date{std::chrono::sys_days(day) + std::chrono::days(1)});
  if (!later) return later.error();
  if (!later->empty()) return std::optional<Decision>();

  auto decision = assess(store, audience, current, settings, day);
  if (!decision) return decision.error();
  // Days caught up one after another are tuned minutes apart: one move per day of the clock too.
  constexpr auto kBetweenMoves = std::chrono::hours(20);
  auto last = store.last_move(audience);
  if (!last) return last.error();
  if (decision->moved() && *last && (*last)->at > format_iso_timestamp(now - kBetweenMoves)) {
    decision->after = decision->before;
    decision->reason = "kept: the cutoffs moved less than a day ago, before the announcement of " +
                       format_iso_date((*last)->date);
  }

  CutoffTuning tuning;
  tuning.audience = audience;
  tuning.date = day;
  tuning.relevance_before = decision->before.relevance;
  tuning.novelty_before = decision->before.novelty;
  tuning.relevance_after = decision->after.relevance;
  tuning.novelty_after = decision->after.novelty;
  tuning.reason = decision->reason;
  auto recorded = store.record_tuning(tuning, std::string(kLearner), now);
  if (!recorded) return recorded.error();
  if (!*recorded) return std::optional<Decision>();
  return std::optional<Decision>(std::move(*decision));
}

}  // namespace paperbot::feedback
