// The LLM scorer: scores papers the way gpt_paper_assistant does (a title prefilter, then
// abstracts in batches), but concurrently, within a budget, and without losing a paper.
//
//   - Answers are attributed only by id, and only to papers of the batch that was asked; an id
//     the batch did not contain is ignored and logged; the first answer for a paper counts.
//   - A paper left unanswered, or answered badly, is asked again in a smaller batch, up to
//     `max_attempts`; after that it is unscored with the reason. A title batch whose answer
//     cannot be read keeps all its papers.
//   - A paper whose text reads like instructions is scored in a batch of its own.
//   - When the budget is reached, the papers not yet scored are ranked by the fallback scorer,
//     and the result says so.
//
// Thread safety: one score() at a time; the transport's callbacks run on the calling thread.
#pragma once

#include "core/llm/chat.hpp"
#include "core/llm/pricing.hpp"
#include "core/score/scorer.hpp"

#include <memory>
#include <optional>
#include <string>

namespace spdlog {
class logger;
}

namespace paperbot {

struct LlmScorerOptions {
  std::string model = "gpt-4o";
  int title_batch_size = 8;
  int abstract_batch_size = 4;
  bool adaptive_batch_size = false;
  int adaptive_threshold = 32;
  bool title_filter = true;
  int max_attempts = 3;             // asks per paper, each in a smaller batch than the one before
  std::optional<ModelPrice> price;  // none: the cost is unknown
  // What may still be spent today; none: no cap.
  std::optional<double> budget_dollars;
  std::optional<std::int64_t> budget_tokens;
};

// The batch size the reference uses for `paper_count` papers: with adaptive sizing, the base
// size times ceil(log2(paper_count / threshold) + 1) once paper_count exceeds the threshold.
int effective_batch_size(int base, std::size_t paper_count, bool adaptive, int threshold);

class LlmScorer final : public Scorer {
 public:
  // `transport` and `fallback` must outlive the scorer. `fallback` ranks what the budget leaves
  // unscored; it may be null, and those papers are then unscored.
  LlmScorer(ChatTransport& transport, LlmScorerOptions options, Scorer* fallback,
            std::shared_ptr<spdlog::logger> logger);
  ~LlmScorer() override;

  // "llm:MODEL/TEMPLATE": the model and the prompt templates key the score cache.
  std::string name() const override;
  Result<ScoringResult> score(const Criteria& criteria, const std::vector<Paper>& papers,
                              const ScoringProgress& progress) override;

 private:
  ChatTransport& transport_;
  LlmScorerOptions options_;
  Scorer* fallback_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace paperbot
