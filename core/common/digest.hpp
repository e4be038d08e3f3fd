// A digest: the ranked papers of one announcement for one audience, with the counts and costs a
// reader sees at its top. Renderers (Markdown, JSON, HTML) turn it into files.
#pragma once

#include "core/common/criteria.hpp"
#include "core/common/date.hpp"
#include "core/common/paper.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace paperbot {

struct DigestEntry {
  Paper paper;
  Score score;
  bool author_match = false;  // selected because a followed author wrote it; no model scores
  int rank_score = 0;         // SCORE in the reference: relevance + novelty, or author_match_score
};

// Tokens billed by the scorer for a run. Cost is unknown when the model has no price.
struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cached_prompt_tokens = 0;
  std::optional<double> prompt_cost = 0.0;  // dollars; empty when the model has no known price
  std::optional<double> completion_cost = 0.0;
};

struct Digest {
  Date date;
  std::vector<DigestEntry> entries;  // in rank order
  // Papers just below the cutoffs, shown apart to learn whether the bar is too high (the
  // audience's [FEEDBACK] explore); empty for the output folder.
  std::vector<DigestEntry> below_bar;
  int scanned = 0;   // "Total scanned papers": each category's count added up, as the reference
  int unscored = 0;  // papers the scorer could not score (shown in the counts, never lost)
  Usage usage;
  Criteria criteria;               // rendered under "Paper Selection Prompt"
  std::string scorer;              // "offline" or "llm:MODEL"
  std::vector<std::string> notes;  // e.g. "budget reached: the rest ranked offline"
};

// How the papers just below the bar are introduced, in Slack and in e-mail. `cutoffs` names them
// ("relevance 7, novelty 6"), or is empty.
inline std::string below_bar_label(std::size_t papers, const std::string& cutoffs) {
  return "Just below the bar: " + std::to_string(papers) + (papers == 1 ? " paper" : " papers") +
         " that missed today's cutoffs" + (cutoffs.empty() ? "" : " (" + cutoffs + ")") +
         " by a point or two. They are not part of the digest; a 👍 on one says the bar may be "
         "too high.";
}

}  // namespace paperbot
