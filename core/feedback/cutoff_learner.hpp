// How the 👍 and 👎 of an audience move its cutoffs.
//
// The estimate. For each axis (RELEVANCE, NOVELTY) a logistic curve gives the chance that a shown
// paper draws a 👍 at each score: P(s) = 1 / (1 + e^-(a + b (s - 5.5))). A shown paper counts as
// liked when more people gave it 👍 than 👎; a paper nobody reacted to counts as not liked, which
// is what makes P a rate per shown paper. Logistic rather than isotonic regression: two numbers
// per axis extrapolate one point beyond the data (where the next cutoff would be) and shrink
// toward a prior cleanly, where isotonic steps say nothing outside the scores seen.
//
// The prior. Every audience's curve is fitted first on the shown papers of all audiences (the
// pool), itself shrunk toward a gently rising curve that crosses the target at 5.5. Each
// audience's curve is then shrunk toward the pool's, so a young audience borrows from the others
// and an old one speaks for itself.
//
// The move, per axis, with cutoff c, at most one point a day:
//   - down to c-1 when P(c-1) meets the target and papers below the bar were shown: the bar was
//     too high (papers "just below the bar" are shown each day for exactly this);
//   - up to c+1 when P(c) misses the target and the 👍 rise with the score, in the curve and in
//     the papers themselves (those shown above c got 👍 more often than those at c): a higher bar
//     would post papers the audience likes more. A flat curve never raises the bar: an axis the
//     audience does not care about is not tightened;
//   - never outside the config's bounds, never for a locked audience, and not at all before
//     min_reactions shown papers drew a 👍 or 👎. No reaction at all changes nothing: silence is
//     not dislike.
#pragma once

#include "core/config/config.hpp"
#include "core/store/feedback_records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace paperbot::feedback {

// The chance of a 👍 at a score, per axis.
struct LikeCurve {
  double intercept = 0;  // the log-odds at score 5.5
  double slope = 0;      // log-odds per point
  double chance(double score) const;
};

struct Cutoffs {
  int relevance = 7;
  int novelty = 6;
  bool operator==(const Cutoffs&) const = default;
};

// One shown paper, seen from one axis.
struct Observation {
  int score = 0;
  bool liked = false;
};

// The maximum a posteriori fit of `observations` under a Gaussian prior centred on `prior`, with
// precisions `intercept_precision` and `slope_precision` (how many shown papers' worth of weight
// the prior has, roughly).
LikeCurve fit_curve(const std::vector<Observation>& observations, const LikeCurve& prior,
                    double intercept_precision, double slope_precision);

struct AxisEstimate {
  LikeCurve curve;
  int shown = 0;        // shown papers with a score on this axis
  int shown_below = 0;  // of those, below the cutoff
};

// What the learner makes of an audience's feedback on one day.
struct Decision {
  Cutoffs before;
  Cutoffs after;
  AxisEstimate relevance;
  AxisEstimate novelty;
  int shown = 0;      // papers shown in the window
  int reactions = 0;  // of those, papers with a 👍 or 👎
  int liked = 0;      // papers that count as liked
  bool moved() const { return !(after == before); }
  // One line for people: what moved and why, with its numbers ("relevance cutoff 7 → 6: 4 of 5
  // papers just below the bar got 👍; ..."), or why nothing moved.
  std::string reason;
};

struct LearnerInputs {
  std::vector<ExposureOutcome> own;       // the audience's shown papers in the window
  std::vector<ExposureOutcome> everyone;  // every audience's, for the prior
  Cutoffs current;
  FeedbackConfig settings;  // the audience's: its target rate and the bounds
  std::optional<CutoffLock> lock;
  int window_days = 30;  // for the reason's wording
  // Set when a person set the cutoffs by hand inside the window: `own` holds only the papers
  // shown after that day.
  std::optional<Date> since;
};

Decision decide(const LearnerInputs& inputs);

}  // namespace paperbot::feedback
