#include "core/score/offline_scorer.hpp"

#include "core/score/criteria_terms.hpp"
#include "core/score/novelty.hpp"
#include "core/score/relevance.hpp"
#include "core/score/score_comment.hpp"
#include "core/score/text_vectors.hpp"

#include <algorithm>
#include <cmath>

namespace paperbot {

using namespace score_detail;

namespace {

// RELEVANCE = 1 + 9 * (1 - exp(-raw / kRelevanceScale)), rounded: a paper with no criteria term
// gets 1, and the scale approaches 10 as evidence piles up. The scale puts relevance 7 at a raw
// score of about 13, which keeps 10% of the cs.LG+cs.AI papers of 2025-01-29 and 8% of those of
// 2025-01-28 (the reference cutoff 7 is meant to keep roughly the top 5-15% of a day).
constexpr double kRelevanceScale = 14.0;

// NOVELTY starts from kNoveltyBase. Distance from the recent papers moves it: a paper whose
// nearest recent paper is below kFarSimilarity (cosine of tf-idf vectors) gains kFarBonus, one
// at kCloseSimilarity gains nothing, and above that it loses up to kDuplicatePenalty as it
// approaches a copy (kDuplicateSimilarity). The paper's own cue words (NoveltyCues, -3..3) add
// kCueFactor each. With no recent papers there is no distance to measure; the start is then
// kNoveltyAlone, neutral to favourable, and the cue words decide.
constexpr double kNoveltyBase = 4.0;
constexpr double kNoveltyAlone = 5.5;
constexpr double kFarSimilarity = 0.2;
constexpr double kCloseSimilarity = 0.5;
constexpr double kFarBonus = 2.5;
constexpr double kDuplicatePenalty = 8.0;
constexpr double kDuplicateSimilarity = 0.9;
constexpr double kCueFactor = 0.8;

constexpr int kProgressEvery = 256;

int to_scale(double value) {
  return static_cast<int>(std::clamp(std::lround(value), 1L, 10L));
}

int relevance_from(double raw) {
  if (raw <= 0.0) return 1;
  return to_scale(1.0 + 9.0 * (1.0 - std::exp(-raw / kRelevanceScale)));
}

int novelty_from(double cues, std::optional<double> nearest) {
  if (!nearest) return to_scale(kNoveltyAlone + kCueFactor * cues);
  double similarity = *nearest;
  double far =
      std::clamp((kCloseSimilarity - similarity) / (kCloseSimilarity - kFarSimilarity), 0.0, 1.0);
  double copy = std::clamp(
      (similarity - kCloseSimilarity) / (kDuplicateSimilarity - kCloseSimilarity), 0.0, 1.0);
  return to_scale(kNoveltyBase + kFarBonus * far - kDuplicatePenalty * copy + kCueFactor * cues);
}

}  // namespace

struct OfflineScorer::Model {
  explicit Model(const std::vector<Paper>& recent) : recent_index(vocabulary, recent) {}

  Vocabulary vocabulary;
  RecentIndex recent_index;
};

OfflineScorer::OfflineScorer(const std::vector<Paper>& recent)
    : model_(std::make_unique<Model>(recent)) {}

OfflineScorer::~OfflineScorer() = default;

Result<ScoringResult> OfflineScorer::score(const Criteria& criteria,
                                           const std::vector<Paper>& papers,
                                           const ScoringProgress& progress) {
  Vocabulary& vocabulary = model_->vocabulary;
  RecentIndex& recent = model_->recent_index;

  // The criteria as weighted terms; the base prompt stands in for missing topics.
  std::string_view topics = criteria.topics.empty() ? criteria.base_prompt : criteria.topics;
  CriteriaTerms terms = extract_criteria_terms(topics, vocabulary);
  NoveltyCues cues(vocabulary);
  ScoringResult result;
  if (terms.terms.empty())
    result.notes.push_back("the criteria name no topic words; every paper has relevance 1");

  // Term frequencies over the day and the recent papers, so common words weigh little.
  std::vector<DocTerms> docs;
  docs.reserve(papers.size());
  for (const Paper& paper : papers)
    docs.push_back(tokenize_paper(vocabulary, paper.title, paper.abstract));
  std::vector<const DocTerms*> corpus;
  corpus.reserve(docs.size() + recent.size());
  for (const DocTerms& doc : docs) corpus.push_back(&doc);
  for (const DocTerms& doc : recent.docs()) corpus.push_back(&doc);
  RelevanceModel relevance(terms, corpus);

  auto total = static_cast<int>(papers.size());
  for (std::size_t i = 0; i < papers.size(); ++i) {
    if (docs[i].title.empty() && docs[i].abstract.empty()) {
      result.unscored[papers[i].id] = "no words to score in its title or abstract";
      continue;
    }
    RelevanceEvidence evidence = relevance.evaluate(docs[i]);
    std::optional<double> nearest;
    if (recent.size() > 0) nearest = recent.nearest(docs[i], papers[i].id);

    Score score;
    score.relevance = relevance_from(evidence.raw);
    score.novelty = novelty_from(cues.evaluate(docs[i]), nearest);
    score.comment = describe_match(terms, evidence, score.relevance);
    score.scorer = name();
    result.scores[papers[i].id] = std::move(score);

    if (progress && ((i + 1) % kProgressEvery == 0)) progress(static_cast<int>(i + 1), total, 0.0);
  }
  if (progress) progress(total, total, 0.0);
  return result;
}

}  // namespace paperbot
