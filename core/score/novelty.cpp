#include "core/score/novelty.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace paperbot::score_detail {
namespace {

// Finding the nearest recent paper in two steps, so that thousands of recent papers stay cheap:
// the kQueryTerms heaviest words of the paper that are rare among the recent papers (in at most
// kMaxPostingShare of them, or kMinPostingDocuments) collect candidates, and the kCandidates best
// of those are compared in full. A near copy shares those rare words, so it is always among the
// candidates.
constexpr double kMaxPostingShare = 0.02;
constexpr int kMinPostingDocuments = 50;  // a few hundred recent papers are all compared
constexpr std::size_t kQueryTerms = 16;
constexpr std::size_t kCandidates = 9;  // one more, in case the paper itself is among them

// The cosine of two normalized sparse vectors.
double cosine(const SparseVector& a, const SparseVector& b) {
  double dot = 0.0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (i->first < j->first) {
      ++i;
    } else if (j->first < i->first) {
      ++j;
    } else {
      dot += static_cast<double>(i->second) * j->second;
      ++i;
      ++j;
    }
  }
  return dot;
}

struct Cue {
  std::string_view word;
  float weight;
};

// Generic research English, not tied to any field: what a paper says it contributes.
constexpr Cue kCues[] = {
    {"theory", 1.0f},
    {"theoretical", 1.0f},
    {"theorem", 1.0f},
    {"prove", 0.8f},
    {"proof", 0.8f},
    {"paradigm", 0.7f},
    {"law", 0.6f},
    {"uncover", 0.6f},
    {"rethinking", 0.6f},
    {"surprising", 0.6f},
    {"novel", 0.5f},
    {"principled", 0.5f},
    {"fundamental", 0.5f},
    {"reveal", 0.5f},
    {"insight", 0.5f},
    {"phenomenon", 0.5f},
    {"mechanism", 0.4f},
    {"understanding", 0.4f},
    {"first", 0.3f},
    {"introduce", 0.3f},
    {"survey", -1.2f},
    {"benchmark", -1.0f},
    {"tutorial", -1.0f},
    {"dataset", -0.8f},
    {"overview", -0.8f},
    {"practitioner", -0.8f},
    {"opportunity", -0.8f},
    {"replication", -0.8f},
    {"review", -0.6f},
    {"application", -0.5f},
    {"implementation", -0.5f},
    {"evaluation", -0.5f},
    {"industry", -0.5f},
    {"lesson", -0.5f},
    {"applied", -0.4f},
    {"perspective", -0.4f},
    {"tool", -0.4f},
    {"comparison", -0.4f},
    {"tuning", -0.4f},
    {"challenge", -0.3f},
    {"empirical", -0.3f},
    {"deployment", -0.3f},
    {"pipeline", -0.3f},
};

constexpr double kTitleCueFactor = 2.0;
constexpr double kMaxCueSum = 3.0;

}  // namespace

RecentIndex::RecentIndex(Vocabulary& vocabulary, const std::vector<Paper>& recent) {
  ids_.reserve(recent.size());
  docs_.reserve(recent.size());
  for (const Paper& paper : recent) {
    ids_.push_back(paper.id);
    docs_.push_back(tokenize_paper(vocabulary, paper.title, paper.abstract));
    frequencies_.add(docs_.back());
  }

  // Postings of the words rare enough to tell papers apart.
  auto max_documents =
      std::max(kMinPostingDocuments,
               static_cast<int>(kMaxPostingShare * static_cast<double>(recent.size())));
  vectors_.reserve(docs_.size());
  for (std::size_t d = 0; d < docs_.size(); ++d) {
    vectors_.push_back(tfidf_vector(docs_[d], frequencies_));
    for (const auto& [term, weight] : vectors_.back()) {
      if (frequencies_.count(term) > max_documents) continue;
      if (term >= postings_.size()) postings_.resize(term + 1);
      postings_[term].push_back(Posting{static_cast<std::uint32_t>(d), weight});
    }
  }
  dot_.assign(docs_.size(), 0.0f);
}

double RecentIndex::nearest(const DocTerms& doc, const std::string& paper_id) {
  if (docs_.empty()) return 0.0;

  // The heaviest indexed words of the paper; ties by term id, so the choice is deterministic.
  SparseVector vector = tfidf_vector(doc, frequencies_);
  SparseVector query;
  for (const auto& entry : vector) {
    if (entry.first < postings_.size() && !postings_[entry.first].empty()) query.push_back(entry);
  }
  auto heavier = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  if (query.size() > kQueryTerms) {
    std::partial_sort(query.begin(), query.begin() + kQueryTerms, query.end(), heavier);
    query.resize(kQueryTerms);
  }

  // Candidates by their partial dot product over those words.
  for (const auto& [term, weight] : query) {
    for (const Posting& posting : postings_[term]) {
      if (dot_[posting.doc] == 0.0f) touched_.push_back(posting.doc);
      dot_[posting.doc] += weight * posting.weight;
    }
  }
  // Keep the kCandidates best while resetting the scratch buffer; ties go to the earlier paper.
  std::array<std::pair<std::uint32_t, float>, kCandidates> best_candidates{};
  std::size_t kept = 0;
  auto better = [](const std::pair<std::uint32_t, float>& a,
                   const std::pair<std::uint32_t, float>& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  for (std::uint32_t d : touched_) {
    std::pair<std::uint32_t, float> candidate(d, dot_[d]);
    dot_[d] = 0.0f;
    if (kept < kCandidates) {
      best_candidates[kept++] = candidate;
    } else if (better(candidate, best_candidates[kCandidates - 1])) {
      best_candidates[kCandidates - 1] = candidate;
    } else {
      continue;
    }
    // Insertion step: keep the array ordered best first.
    for (std::size_t i = kept - 1; i > 0 && better(best_candidates[i], best_candidates[i - 1]); --i)
      std::swap(best_candidates[i], best_candidates[i - 1]);
  }
  touched_.clear();

  // The full cosine with each of the best candidates.
  double best = 0.0;
  for (std::size_t c = 0; c < kept; ++c) {
    std::uint32_t d = best_candidates[c].first;
    if (ids_[d] != paper_id) best = std::max(best, cosine(vector, vectors_[d]));
  }
  return std::min(best, 1.0);
}

NoveltyCues::NoveltyCues(Vocabulary& vocabulary) {
  for (const Cue& cue : kCues) {
    TermId id = vocabulary.word_id(cue.word);
    if (id == kNoTerm) continue;
    if (id >= weight_by_stem_.size()) weight_by_stem_.resize(id + 1, 0.0f);
    weight_by_stem_[id] = cue.weight;
  }
}

double NoveltyCues::evaluate(const DocTerms& doc) const {
  // Each cue counts once per field: a paper that says "theory" ten times is not ten times as new.
  auto field_sum = [&](const std::vector<TermId>& words) {
    std::vector<TermId> seen;
    double sum = 0.0;
    for (TermId id : words) {
      if (id >= weight_by_stem_.size() || weight_by_stem_[id] == 0.0f) continue;
      if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
      seen.push_back(id);
      sum += weight_by_stem_[id];
    }
    return sum;
  };
  double sum = kTitleCueFactor * field_sum(doc.title) + field_sum(doc.abstract);
  return std::clamp(sum, -kMaxCueSum, kMaxCueSum);
}

}  // namespace paperbot::score_detail
