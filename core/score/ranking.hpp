// Author matching, cutoffs and order, as the reference does them.
#pragma once

#include "core/common/digest.hpp"
#include "core/common/paper.hpp"
#include "core/config/config.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace paperbot {

// The followed author who wrote `paper`, if any. Names compare after folding case, accents and
// TeX accents ("Gon\c{c}alo" matches "Gonçalo").
std::optional<std::string> match_author(const Paper& paper,
                                        const std::vector<FollowedAuthor>& authors);

struct RankOptions {
  int relevance_cutoff = 7;
  int novelty_cutoff = 6;
  int author_match_score = 20;
  std::optional<int> top_n;
};

// Builds the digest order. Author-matched papers are selected with `author_match_score`. Scored
// papers are kept when RELEVANCE >= relevance_cutoff and NOVELTY >= novelty_cutoff;
// SCORE = RELEVANCE + NOVELTY. Sorted by SCORE, descending, ties in `papers` order (the scoring
// order); then cut to top_n.
std::vector<DigestEntry> rank_papers(const std::vector<Paper>& papers,
                                     const std::map<std::string, Score>& scores,
                                     const std::vector<std::string>& author_matched_ids,
                                     const RankOptions& options);

}  // namespace paperbot
