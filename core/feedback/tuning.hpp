// The daily tuning of one audience's cutoffs: read the shown papers and their votes from the
// store, decide (cutoff_learner.hpp), and record the decision with the settings change it makes,
// so that `history` lists it and `undo` reverts it. Runs on the store's thread.
#pragma once

#include "core/common/date.hpp"
#include "core/common/digest.hpp"
#include "core/common/result.hpp"
#include "core/config/config.hpp"
#include "core/feedback/cutoff_learner.hpp"
#include "core/store/store.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace paperbot::feedback {

// The person the learner's changes are recorded under.
inline constexpr std::string_view kLearner = "paperbot";

// The papers `digest` shows `audience`, with their scores: the digest's and those just below the
// bar. Author matches are left out: they are posted whatever their scores.
std::vector<Exposure> shown_papers(const std::string& audience, const Digest& digest);

// What the learner makes of `audience`'s feedback before the announcement of `day`, from the
// papers shown on the window_days before it, without recording anything.
Result<Decision> assess(Store& store, const std::string& audience, Cutoffs current,
                        const FeedbackConfig& settings, Date day);

// Assesses and records the decision for `day`: when the cutoffs move, the audience's own chat
// settings take the new ones. Nullopt when learning is off or `day` was already tuned (at most
// one move a day, however often the day is processed).
Result<std::optional<Decision>> tune(Store& store, const std::string& audience, Cutoffs current,
                                     const FeedbackConfig& settings, Date day,
                                     std::chrono::sys_seconds now);

}  // namespace paperbot::feedback
