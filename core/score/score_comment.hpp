// The COMMENT of an offline score: which criterion a paper matches and through which terms.
// Internal to core/score.
#pragma once

#include "core/score/criteria_terms.hpp"
#include "core/score/relevance.hpp"

#include <string>

namespace paperbot::score_detail {

// From RELEVANCE kMatchRelevance up a paper "matches" its best criterion; below, the comment
// names the closest one.
inline constexpr int kMatchRelevance = 5;

// "Matches criterion 3 (Model Compression): pruning, quantization, low-rank; against: time
// series." or "No criterion matched; closest: criterion 2 (Model Architecture) via transformer."
// The best criterion is the one whose terms contribute most; terms are named by contribution,
// a phrase's own words not repeated after it.
std::string describe_match(const CriteriaTerms& terms, const RelevanceEvidence& evidence,
                           int relevance);

}  // namespace paperbot::score_detail
