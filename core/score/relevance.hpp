// RELEVANCE evidence for the offline scorer: which criteria terms a paper contains, and how much
// each is worth, by BM25F (title and abstract as two fields of one document). Internal to
// core/score.
#pragma once

#include "core/score/criteria_terms.hpp"
#include "core/score/text_vectors.hpp"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace paperbot::score_detail {

struct TermHit {
  std::size_t term = 0;       // index into CriteriaTerms::terms
  double contribution = 0.0;  // signed: weight * idf * saturated frequency
};

struct RelevanceEvidence {
  double raw = 0.0;           // the sum of the contributions
  std::vector<TermHit> hits;  // in term order
};

// Finds the criteria terms in papers. Built once per scoring run; read-only afterwards.
class RelevanceModel {
 public:
  // Document frequencies of the terms are counted over `corpus` (the day's papers and the
  // recent ones), so that a term most papers share weighs little.
  RelevanceModel(const CriteriaTerms& terms, const std::vector<const DocTerms*>& corpus);

  // A term found only as part of a longer term found in the same paper does not count on its
  // own ("learning" inside "reinforcement learning") unless the criteria weigh it more than the
  // longer term, and a phrase and its abbreviation count once, by the stronger.
  RelevanceEvidence evaluate(const DocTerms& doc) const;

 private:
  // Adds 1 to counts[term] for each occurrence of a term in `words`.
  void count_terms(const std::vector<TermId>& words, std::vector<std::uint16_t>& counts) const;

  const CriteriaTerms& terms_;
  std::vector<std::vector<std::size_t>> longer_terms_;  // by term: terms containing its stems
  std::vector<std::size_t> abbreviation_;  // by phrase term: its abbreviation's term, if any
  std::vector<char> starts_term_;          // by stem id: first stem of a term
  std::unordered_multimap<std::uint64_t, std::size_t> by_key_;  // hash of stems -> term
  std::vector<double> idf_;                                     // by term
  double average_abstract_words_ = 1.0;
};

}  // namespace paperbot::score_detail
