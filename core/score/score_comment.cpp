#include "core/score/score_comment.hpp"

#include <algorithm>
#include <cmath>

namespace paperbot::score_detail {
namespace {

constexpr std::size_t kMaxTermsFor = 5;
constexpr std::size_t kMaxTermsAgainst = 3;

// True when `inner` is a run of consecutive stems inside `outer`.
bool contains_run(const std::vector<TermId>& outer, const std::vector<TermId>& inner) {
  return std::search(outer.begin(), outer.end(), inner.begin(), inner.end()) != outer.end();
}

// The displays of `hits`, strongest first, skipping a term already said as part of a longer
// one ("rank" after "low-rank") and repeated displays.
std::string list_terms(const CriteriaTerms& terms, std::vector<TermHit> hits, std::size_t limit) {
  std::stable_sort(hits.begin(), hits.end(), [](const TermHit& a, const TermHit& b) {
    return std::abs(a.contribution) > std::abs(b.contribution);
  });
  std::vector<const CriteriaTerm*> named;
  std::string text;
  for (const TermHit& hit : hits) {
    const CriteriaTerm& term = terms.terms[hit.term];
    bool repeated = std::any_of(named.begin(), named.end(), [&](const CriteriaTerm* earlier) {
      return contains_run(earlier->stems, term.stems) || earlier->display == term.display;
    });
    if (repeated) continue;
    named.push_back(&term);
    if (!text.empty()) text += ", ";
    text += term.display;
    if (named.size() == limit) break;
  }
  return text;
}

std::string criterion_label(const CriterionInfo& criterion) {
  if (criterion.number.empty()) return "criterion \"" + criterion.name + "\"";
  return "criterion " + criterion.number + " (" + criterion.name + ")";
}

}  // namespace

std::string describe_match(const CriteriaTerms& terms, const RelevanceEvidence& evidence,
                           int relevance) {
  // Each criterion's share of the positive evidence; the first of equal shares wins.
  std::vector<double> share(terms.criteria.size(), 0.0);
  std::vector<TermHit> against;
  for (const TermHit& hit : evidence.hits) {
    if (hit.contribution < 0.0) {
      against.push_back(hit);
      continue;
    }
    for (int c : terms.terms[hit.term].criteria)
      share[static_cast<std::size_t>(c)] += hit.contribution;
  }
  int best = -1;
  for (std::size_t c = 0; c < share.size(); ++c) {
    if (share[c] > 0.0 && (best < 0 || share[c] > share[static_cast<std::size_t>(best)]))
      best = static_cast<int>(c);
  }

  // The terms of the best criterion, or the general ones when no criterion has any.
  std::vector<TermHit> supporting;
  for (const TermHit& hit : evidence.hits) {
    const auto& in = terms.terms[hit.term].criteria;
    if (hit.contribution > 0.0 &&
        (best < 0 ? in.empty() : std::find(in.begin(), in.end(), best) != in.end()))
      supporting.push_back(hit);
  }
  std::string named = list_terms(terms, supporting, kMaxTermsFor);

  std::string comment;
  if (named.empty()) {
    comment = "No criterion matched; no criteria terms found";
  } else {
    std::string where = best >= 0 ? criterion_label(terms.criteria[static_cast<std::size_t>(best)])
                                  : std::string("the keywords");
    if (relevance >= kMatchRelevance)
      comment = "Matches " + where + ": " + named;
    else
      comment = "No criterion matched; closest: " + where + " via " + named;
  }
  if (!against.empty()) comment += "; against: " + list_terms(terms, against, kMaxTermsAgainst);
  return comment + ".";
}

}  // namespace paperbot::score_detail
