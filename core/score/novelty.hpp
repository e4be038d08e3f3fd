// NOVELTY evidence for the offline scorer: how close a paper comes to the recent papers, and
// what its own words say about the kind of contribution it makes. Internal to core/score.
#pragma once

#include "core/common/paper.hpp"
#include "core/score/text_vectors.hpp"

#include <string>
#include <vector>

namespace paperbot::score_detail {

// The recent papers as tf-idf vectors, with an inverted index of their rarer words so that
// comparing one paper with thousands costs a few short postings lists and a few full cosines. Built
// once; `nearest` reuses a buffer, so one index serves one thread.
class RecentIndex {
 public:
  RecentIndex(Vocabulary& vocabulary, const std::vector<Paper>& recent);

  std::size_t size() const { return ids_.size(); }
  const std::vector<DocTerms>& docs() const { return docs_; }

  // The largest cosine similarity between `doc` and a recent paper other than `paper_id` itself
  // (a paper seen again on a later day is not its own precedent); 0 when there is none.
  double nearest(const DocTerms& doc, const std::string& paper_id);

 private:
  struct Posting {
    std::uint32_t doc;
    float weight;
  };

  std::vector<std::string> ids_;
  std::vector<DocTerms> docs_;
  DocumentFrequencies frequencies_;
  std::vector<SparseVector> vectors_;           // by recent paper
  std::vector<std::vector<Posting>> postings_;  // by term id
  std::vector<float> dot_;                      // scratch: one entry per recent paper
  std::vector<std::uint32_t> touched_;          // scratch: entries of dot_ to reset
};

// Cue words for the kind of contribution, from generic research English: theory, proofs, a
// new paradigm or "we uncover" count for novelty; a benchmark, a dataset, a survey, a case study
// or an application count against. Words in the title count twice. Returns a sum clamped to
// [-3, 3].
class NoveltyCues {
 public:
  explicit NoveltyCues(Vocabulary& vocabulary);
  double evaluate(const DocTerms& doc) const;

 private:
  std::vector<float> weight_by_stem_;  // 0 for stems that are no cue
};

}  // namespace paperbot::score_detail
