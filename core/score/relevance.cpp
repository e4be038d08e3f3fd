#include "core/score/relevance.hpp"

#include <algorithm>
#include <cmath>

namespace paperbot::score_detail {
namespace {

// BM25 over the abstract, plus a bonus for a term in the title: a title says what a paper is
// about (the criteria ask to score "the highest if the title contains keywords"), and unlike
// repeated abstract mentions it does not saturate.
constexpr double kTitleBonus = 1.0;
constexpr double kSaturation = 1.2;  // BM25's k1: the tenth mention adds little to the first
constexpr double kLengthNormalization = 0.75;  // BM25's b, for the abstract
constexpr std::size_t kMaxTermWords = 4;

// A few papers say little about which words are common, so idf is drawn toward a prior, the idf
// of a word in one paper of twenty, as if kPriorPapers more papers had been seen. Over a day
// and its recent papers (hundreds) the observed idf dominates.
constexpr double kPriorPapers = 5.0;
constexpr double kPriorIdf = 2.99;  // log(1 + (N - df + 0.5) / (df + 0.5)) at df = N / 20

constexpr std::uint64_t kHashSeed = 1469598103934665603ull;

std::uint64_t mix(std::uint64_t hash, TermId stem) {
  return (hash ^ (static_cast<std::uint64_t>(stem) + 1)) * 1099511628211ull;
}

}  // namespace

RelevanceModel::RelevanceModel(const CriteriaTerms& terms,
                               const std::vector<const DocTerms*>& corpus)
    : terms_(terms), idf_(terms.terms.size(), 0.0) {
  // Index the terms by the hash of their stems, and mark which stems can start one, so most
  // words of a paper cost one array read.
  for (std::size_t t = 0; t < terms.terms.size(); ++t) {
    const auto& stems = terms.terms[t].stems;
    if (stems.empty() || stems.size() > kMaxTermWords) continue;
    std::uint64_t hash = kHashSeed;
    for (TermId stem : stems) hash = mix(hash, stem);
    by_key_.emplace(hash, t);
    if (stems.front() >= starts_term_.size()) starts_term_.resize(stems.front() + 1, 0);
    starts_term_[stems.front()] = 1;
  }

  // Which terms contain which ("low rank" holds "rank"), and which abbreviate which.
  longer_terms_.resize(terms.terms.size());
  abbreviation_.assign(terms.terms.size(), CriteriaTerm::kNotAnAbbreviation);
  for (std::size_t t = 0; t < terms.terms.size(); ++t) {
    if (terms.terms[t].same_as != CriteriaTerm::kNotAnAbbreviation)
      abbreviation_[terms.terms[t].same_as] = t;
  }
  for (std::size_t t = 0; t < terms.terms.size(); ++t) {
    const auto& inner = terms.terms[t].stems;
    for (std::size_t u = 0; u < terms.terms.size(); ++u) {
      const auto& outer = terms.terms[u].stems;
      // A word the criteria name on its own, more strongly than the phrase around it, stands on
      // its own: "theoretical" in "theoretical insights into LLM behavior".
      if (outer.size() > inner.size() &&
          std::abs(terms.terms[t].weight) <= std::abs(terms.terms[u].weight) &&
          std::search(outer.begin(), outer.end(), inner.begin(), inner.end()) != outer.end())
        longer_terms_[t].push_back(u);
    }
  }

  // Document frequency of every term over the corpus, and the average abstract length.
  std::vector<int> documents_with(terms.terms.size(), 0);
  std::vector<std::uint16_t> counts(terms.terms.size(), 0);
  double abstract_words = 0.0;
  for (const DocTerms* doc : corpus) {
    std::fill(counts.begin(), counts.end(), 0);
    count_terms(doc->title, counts);
    count_terms(doc->abstract, counts);
    for (std::size_t t = 0; t < counts.size(); ++t) documents_with[t] += counts[t] > 0 ? 1 : 0;
    abstract_words += static_cast<double>(doc->abstract.size());
  }
  auto n = static_cast<double>(corpus.size());
  if (!corpus.empty()) average_abstract_words_ = std::max(1.0, abstract_words / n);
  for (std::size_t t = 0; t < idf_.size(); ++t) {
    double df = documents_with[t];
    double observed = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    idf_[t] = (n * observed + kPriorPapers * kPriorIdf) / (n + kPriorPapers);
  }
}

void RelevanceModel::count_terms(const std::vector<TermId>& words,
                                 std::vector<std::uint16_t>& counts) const {
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] >= starts_term_.size() || !starts_term_[words[i]]) continue;
    std::uint64_t hash = kHashSeed;
    for (std::size_t n = 1; n <= kMaxTermWords && i + n <= words.size(); ++n) {
      hash = mix(hash, words[i + n - 1]);
      auto [first, last] = by_key_.equal_range(hash);
      for (auto it = first; it != last; ++it) {
        const auto& stems = terms_.terms[it->second].stems;
        if (stems.size() == n && std::equal(stems.begin(), stems.end(), words.begin() + i) &&
            counts[it->second] < 0xFFFF)
          ++counts[it->second];
      }
    }
  }
}

RelevanceEvidence RelevanceModel::evaluate(const DocTerms& doc) const {
  std::vector<std::uint16_t> in_title(terms_.terms.size(), 0);
  std::vector<std::uint16_t> in_abstract(terms_.terms.size(), 0);
  count_terms(doc.title, in_title);
  count_terms(doc.abstract, in_abstract);

  double length_factor =
      1.0 - kLengthNormalization +
      kLengthNormalization * static_cast<double>(doc.abstract.size()) / average_abstract_words_;
  auto found = [&](std::size_t t) { return in_title[t] > 0 || in_abstract[t] > 0; };
  std::vector<double> contribution(terms_.terms.size(), 0.0);
  for (std::size_t t = 0; t < contribution.size(); ++t) {
    if (!found(t)) continue;
    double frequency = in_abstract[t] / length_factor;
    double saturated = frequency * (kSaturation + 1.0) / (frequency + kSaturation);
    double title = in_title[t] > 0 ? kTitleBonus : 0.0;
    contribution[t] = terms_.terms[t].weight * idf_[t] * (saturated + title);
  }

  RelevanceEvidence evidence;
  for (std::size_t t = 0; t < contribution.size(); ++t) {
    if (!found(t) || std::any_of(longer_terms_[t].begin(), longer_terms_[t].end(), found)) continue;
    // Of a phrase and its abbreviation, keep the stronger; on a tie, the phrase.
    std::size_t phrase = terms_.terms[t].same_as;
    if (phrase != CriteriaTerm::kNotAnAbbreviation && found(phrase) &&
        std::abs(contribution[t]) <= std::abs(contribution[phrase]))
      continue;
    std::size_t abbreviation = abbreviation_[t];
    if (abbreviation != CriteriaTerm::kNotAnAbbreviation && found(abbreviation) &&
        std::abs(contribution[t]) < std::abs(contribution[abbreviation]))
      continue;
    evidence.hits.push_back(TermHit{t, contribution[t]});
    evidence.raw += contribution[t];
  }
  return evidence;
}

}  // namespace paperbot::score_detail
