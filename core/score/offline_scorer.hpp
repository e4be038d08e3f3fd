// The offline scorer: needs nothing outside the process, is deterministic, and is driven by the
// criteria text.
//
//   RELEVANCE: how well title and abstract match the topics. The criteria's topic descriptions
//              and keywords count for a paper; its "irrelevant" hints count against it.
//   NOVELTY:   how far a paper stands from the recent papers it is given (from the store).
//   COMMENT:   the criterion matched and the terms that matched.
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
