// Reads the criteria's topics text into weighted terms for the offline scorer. Internal to
// core/score.
//
// The text is read as gpt_paper_assistant's paper_topics.txt is written: numbered topics, each
// with "- Relevant: ..." and "- Irrelevant: ..." lines, and headed lists such as
// "**Keywords for Relevant Domains:**" or "**Hints on Irrelevant Domains:**". Any other text
// works too: every line is split into items (at commas, semicolons, parentheses, "and", "or"),
// and each item counts for or against a paper by where it stands:
//   - a numbered topic's own title and its "Relevant" lines count for, under that topic;
//   - its "Irrelevant"/"Not relevant" lines count against;
//   - a headed section counts against when its heading says so ("irrelevant", "hints",
//     "avoid", "exclude", "not"), for otherwise; a heading with topic words of its own
//     ("## Efficient Inference") is a topic too;
//   - inside an item, "avoiding", "except", "not", ... turn the rest of it against, and
//     "without"/"lacking" end it (what a paper lacks says nothing about what it is).
// Words that describe research in general rather than a topic ("novel", "approaches",
// "insights", "existing") are left out; novelty reads such words instead.
// Short items (up to three content words: "KV cache", "Mixture of Experts") are phrases, matched
// whole, with their words and word pairs as weaker terms (for a phrase that counts against, only
// the whole phrase). Longer items are descriptions: only their words and word pairs count,
// weakly. "Mixture-of-Experts (MoE)" gives both the phrase and
// the abbreviation; "feature/dictionary learning" gives "feature learning" and "dictionary
// learning".
#pragma once

#include "core/score/text_vectors.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace paperbot::score_detail {

struct CriterionInfo {
  std::string number;  // as written: "3"; empty for a section without a number
  std::string name;    // "Model Compression"
};

struct CriteriaTerm {
  std::vector<TermId> stems;  // 1 to 3 stems, matched as a run of consecutive words
  std::string display;        // as the criteria write it: "KV cache", "low-rank"
  double weight = 0.0;        // > 0 counts for a paper, < 0 against; |weight| <= 1
  std::vector<int> criteria;  // indices into CriteriaTerms::criteria where the term appears
  // For an abbreviation given in parentheses after a phrase ("Mixture-of-Experts (MoE)"): the
  // index of that phrase's term. The two name one thing and count once.
  std::size_t same_as = kNotAnAbbreviation;

  static constexpr std::size_t kNotAnAbbreviation = static_cast<std::size_t>(-1);
};

struct CriteriaTerms {
  std::vector<CriterionInfo> criteria;
  std::vector<CriteriaTerm> terms;  // each stem sequence once, in order of first appearance
};

// Extracts the terms. A term listed both for and against keeps its positive weight: the
// criteria name it as wanted somewhere, and "learning" in "Transfer Learning" should not count
// against "Representation Learning".
CriteriaTerms extract_criteria_terms(std::string_view topics, Vocabulary& vocabulary);

}  // namespace paperbot::score_detail
