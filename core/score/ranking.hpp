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

// The followed author who wrote `paper`, if any (the first in `authors` order). Names compare
// after folding case, accents, TeX accents and punctuation ("Gon\c{c}alo Paulo" matches "GONÇALO
// PAULO"), full names only, as the reference does: "G. Paulo" does not match "Gonçalo Paulo".
std::optional<std::string> match_author(const Paper& paper,
                                        const std::vector<FollowedAuthor>& authors);

struct RankOptions {
  int relevance_cutoff = 7;
  int novelty_cutoff = 6;
  int author_match_score = 20;
  std::optional<int> top_n;
};

// Builds the digest order. Author-matched papers are selected with `author_match_score`, comment
// "Author match" and scorer "author-match", whatever their scores. Scored papers are kept when
// RELEVANCE >= relevance_cutoff and NOVELTY >= novelty_cutoff; SCORE = RELEVANCE + NOVELTY. Papers
// without a score are left out. Sorted by SCORE, descending, stable: ties keep `papers` order (the
// scoring order), author matches first among them, as the reference records them before any
// model selection. Then cut to top_n. A paper listed twice in `papers` enters once.
std::vector<DigestEntry> rank_papers(const std::vector<Paper>& papers,
                                     const std::map<std::string, Score>& scores,
                                     const std::vector<std::string>& author_matched_ids,
                                     const RankOptions& options);

// Papers "just below the bar", shown so that feedback can tell whether the bar is too high:
// scored papers not in `selected` that miss a cutoff, by at most `margin` points on each axis.
// Closest first (fewest points missing, both axes added up), then by SCORE; at most `limit`.
std::vector<DigestEntry> just_below_bar(const std::vector<Paper>& papers,
                                        const std::map<std::string, Score>& scores,
                                        const std::vector<DigestEntry>& selected,
                                        const RankOptions& options, int limit, int margin = 2);

}  // namespace paperbot
