// The offline scorer: needs nothing outside the process, is deterministic, and is driven by the
// criteria text.
//
//   RELEVANCE: how well title and abstract match the topics. The criteria's topic descriptions
//              and keywords count for a paper; its "irrelevant" hints count against it
//              (criteria_terms.hpp says how the text is read). Each term found counts by BM25
//              over the abstract plus a bonus for the title, times its idf over the day's and
//              the recent papers (so words most papers share weigh little), times its weight in
//              the criteria. The sum maps to 1..10 so that relevance 7 keeps roughly the top
//              tenth of a day in the criteria's own field.
//   NOVELTY:   how far a paper stands from the recent papers it is given (the largest cosine of
//              tf-idf vectors: a near copy scores 1-3, a paper far from all of them gains), plus
//              what its own words say of its contribution ("we prove", "theory", "paradigm" for;
//              "benchmark", "dataset", "survey", "application" against). Without recent papers
//              the start is neutral to favourable (5.5) and the cue words decide.
//   COMMENT:   the criterion matched and the terms that matched, e.g. "Matches criterion 3 (Model
//              Compression): pruning, quantization, low-rank; against: time series." Below
//              relevance 5: "No criterion matched; closest: criterion 2 (...) via ...".
//
// A paper with no words in its title and abstract goes to `unscored`. Scoring never fails as a
// whole; criteria without any topic word give relevance 1 everywhere and say so in `notes`.
// Progress is reported every 256 papers and at the end, with 0 dollars.
//
// Not thread-safe: score() updates the scorer's vocabulary, which grows with the words it meets,
// so one scorer serves one run (or one thread) at a time.
#pragma once

#include "core/score/scorer.hpp"

#include <memory>
#include <vector>

namespace paperbot {

class OfflineScorer final : public Scorer {
 public:
  // `recent` are the papers of recent days that novelty is measured against. The scorer keeps
  // what it needs from them; the vector need not outlive the constructor.
  explicit OfflineScorer(const std::vector<Paper>& recent);
  ~OfflineScorer() override;

  std::string name() const override { return "offline"; }
  Result<ScoringResult> score(const Criteria& criteria, const std::vector<Paper>& papers,
                              const ScoringProgress& progress) override;

 private:
  struct Model;
  std::unique_ptr<Model> model_;
};

}  // namespace paperbot
