#include "core/feedback/tuning.hpp"

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
  auto decision = assess(store, audience, current, settings, day);
  if (!decision) return decision.error();

  CutoffTuning tuning;
  tuning.audience = audience;
  tuning.date = day;
  tuning.relevance_before = decision->before.relevance;
  tuning.novelty_before = decision->before.novelty;
  tuning.relevance_after = decision->after.relevance;
  tuning.novelty_after = decision->after.novelty;
  tuning.reason = decision->reason;

  std::optional<ScopeSettings> next;
  if (decision->moved()) {
    auto settings_now = store.scope_settings(audience);
    if (!settings_now) return settings_now.error();
    next = *settings_now;
    next->relevance_cutoff = decision->after.relevance;
    next->novelty_cutoff = decision->after.novelty;
  }
  auto recorded = store.record_tuning(tuning, next, now);
  if (!recorded) return recorded.error();
  if (!*recorded) return std::optional<Decision>();
  return std::optional<Decision>(std::move(*decision));
}

}  // namespace paperbot::feedback
