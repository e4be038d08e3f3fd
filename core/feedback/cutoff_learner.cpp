#include "core/feedback/cutoff_learner.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace paperbot::feedback {
namespace {

// Scores are centred here, so that the intercept is the log-odds of a middling paper.
constexpr double kCentre = 5.5;
// The pool's prior: a curve that rises gently (log-odds +0.5 a point) and crosses the target at
// the centre, worth about one shown paper on the intercept and four on the slope.
constexpr double kPoolSlope = 0.5;
constexpr double kPoolInterceptPrecision = 1.0;
constexpr double kPoolSlopePrecision = 4.0;
// How strongly an audience's curve is held to the pool's.
constexpr double kAudienceInterceptPrecision = 2.0;
constexpr double kAudienceSlopePrecision = 4.0;
// A curve rising less than this (log-odds per point) is flat: it never raises a cutoff.
constexpr double kRisingSlope = 0.15;

double logit(double p) {
  return std::log(p / (1 - p));
}

bool liked(const ExposureOutcome& outcome) {
  return outcome.up > outcome.down;
}

std::vector<Observation> observations(const std::vector<ExposureOutcome>& outcomes,
                                      int Exposure::*axis) {
  std::vector<Observation> result;
  result.reserve(outcomes.size());
  for (const ExposureOutcome& outcome : outcomes) {
    result.push_back(Observation{outcome.exposure.*axis, liked(outcome)});
  }
  return result;
}

std::string percent(double chance) {
  return std::to_string(static_cast<int>(std::lround(chance * 100))) + "%";
}

// "4 of 5 papers just below the bar got 👍" for the papers shown at `first`..`last` on `axis`.
std::string tally(const std::vector<ExposureOutcome>& outcomes, int Exposure::*axis, int first,
                  int last, const std::string& which) {
  int shown = 0;
  int up = 0;
  for (const ExposureOutcome& outcome : outcomes) {
    int score = outcome.exposure.*axis;
    if (score < first || score > last) continue;
    ++shown;
    if (liked(outcome)) ++up;
  }
  return std::to_string(up) + " of " + std::to_string(shown) + " " + which + " got 👍";
}

// The data's own word that a higher bar helps: enough papers were shown at `cutoff`, and those
// above it got 👍 more often. Without it the curve's slope could be the prior's alone.
bool rises_above(const std::vector<ExposureOutcome>& outcomes, int Exposure::*axis, int cutoff) {
  constexpr int kMinShownAtCutoff = 3;
  int at = 0;
  int liked_at = 0;
  int above = 0;
  int liked_above = 0;
  for (const ExposureOutcome& outcome : outcomes) {
    const int score = outcome.exposure.*axis;
    if (score == cutoff) {
      ++at;
      liked_at += liked(outcome) ? 1 : 0;
    } else if (score > cutoff) {
      ++above;
      liked_above += liked(outcome) ? 1 : 0;
    }
  }
  if (at < kMinShownAtCutoff || above == 0) return false;
  return static_cast<double>(liked_above) / above > static_cast<double>(liked_at) / at;
}

struct AxisSpec {
  const char* name;
  int Exposure::*score;
  int Cutoffs::*cutoff;
  int low;
  int high;
  AxisEstimate Decision::*estimate;
};

}  // namespace

double LikeCurve::chance(double score) const {
  return 1 / (1 + std::exp(-(intercept + slope * (score - kCentre))));
}

LikeCurve fit_curve(const std::vector<Observation>& observations, const LikeCurve& prior,
                    double intercept_precision, double slope_precision) {
  // Newton's method on the negative log posterior, which is convex: a few steps converge.
  LikeCurve curve = prior;
  for (int iteration = 0; iteration < 50; ++iteration) {
    double ga = intercept_precision * (curve.intercept - prior.intercept);
    double gb = slope_precision * (curve.slope - prior.slope);
    double haa = intercept_precision;
    double hab = 0;
    double hbb = slope_precision;
    for (const Observation& observation : observations) {
      const double x = observation.score - kCentre;
      const double p = curve.chance(observation.score);
      const double residual = p - (observation.liked ? 1.0 : 0.0);
      const double weight = p * (1 - p);
      ga += residual;
      gb += residual * x;
      haa += weight;
      hab += weight * x;
      hbb += weight * x * x;
    }
    const double determinant = haa * hbb - hab * hab;
    if (determinant <= 0) break;
    const double da = (hbb * ga - hab * gb) / determinant;
    const double db = (haa * gb - hab * ga) / determinant;
    curve.intercept -= da;
    curve.slope -= db;
    if (std::abs(da) + std::abs(db) < 1e-9) break;
  }
  return curve;
}

Decision decide(const LearnerInputs& inputs) {
  const FeedbackConfig& settings = inputs.settings;
  Decision decision;
  decision.before = inputs.current;
  decision.after = inputs.current;
  decision.shown = static_cast<int>(inputs.own.size());
  for (const ExposureOutcome& outcome : inputs.own) {
    if (outcome.up + outcome.down > 0) ++decision.reactions;
    if (liked(outcome)) ++decision.liked;
  }

  const AxisSpec axes[] = {
      {"relevance", &Exposure::relevance, &Cutoffs::relevance, settings.relevance_min,
       settings.relevance_max, &Decision::relevance},
      {"novelty", &Exposure::novelty, &Cutoffs::novelty, settings.novelty_min, settings.novelty_max,
       &Decision::novelty},
  };
  const LikeCurve pool_prior{logit(settings.target_rate), kPoolSlope};
  for (const AxisSpec& axis : axes) {
    AxisEstimate& estimate = decision.*axis.estimate;
    LikeCurve pool = fit_curve(observations(inputs.everyone, axis.score), pool_prior,
                               kPoolInterceptPrecision, kPoolSlopePrecision);
    estimate.curve = fit_curve(observations(inputs.own, axis.score), pool,
                               kAudienceInterceptPrecision, kAudienceSlopePrecision);
    estimate.shown = decision.shown;
    for (const ExposureOutcome& outcome : inputs.own) {
      if (outcome.exposure.*axis.score < inputs.current.*axis.cutoff) ++estimate.shown_below;
    }
  }

  const std::string window =
      inputs.since ? " since the cutoffs were set by hand on " + format_iso_date(*inputs.since)
                   : " in the last " + std::to_string(inputs.window_days) + " days";
  if (inputs.lock) {
    decision.reason = "kept: an admin (" + inputs.lock->person + ") locked these cutoffs";
    return decision;
  }
  if (decision.reactions == 0) {
    decision.reason = "kept: no 👍 or 👎 on the " + std::to_string(decision.shown) + " papers shown" +
                      window + ", and silence is not dislike";
    return decision;
  }
  if (decision.reactions < settings.min_reactions) {
    decision.reason = "kept: " + std::to_string(decision.reactions) + " of the " +
                      std::to_string(decision.shown) + " papers shown" + window +
                      " drew a 👍 or 👎; " + std::to_string(settings.min_reactions) +
                      " are needed before the cutoffs move";
    return decision;
  }

  const std::string target = "target " + percent(settings.target_rate);
  std::vector<std::string> moves;
  std::vector<std::string> holds;
  for (const AxisSpec& axis : axes) {
    const AxisEstimate& estimate = decision.*axis.estimate;
    const int cutoff = inputs.current.*axis.cutoff;
    const std::string name = axis.name;
    const double below = estimate.curve.chance(cutoff - 1);
    const double at = estimate.curve.chance(cutoff);
    if (cutoff - 1 >= axis.low && estimate.shown_below > 0 && below >= settings.target_rate) {
      decision.after.*axis.cutoff = cutoff - 1;
      moves.push_back(
          name + " cutoff " + std::to_string(cutoff) + " → " + std::to_string(cutoff - 1) + ": " +
          tally(inputs.own, axis.score, cutoff - 2, cutoff - 1, "papers just below the bar") +
          ", a 👍 chance of " + percent(below) + " at " + name + " " + std::to_string(cutoff - 1) +
          " (" + target + ")");
    } else if (cutoff + 1 <= axis.high && at < settings.target_rate &&
               estimate.curve.slope >= kRisingSlope &&
               rises_above(inputs.own, axis.score, cutoff)) {
      decision.after.*axis.cutoff = cutoff + 1;
      moves.push_back(name + " cutoff " + std::to_string(cutoff) + " → " +
                      std::to_string(cutoff + 1) + ": " +
                      tally(inputs.own, axis.score, cutoff, cutoff,
                            "papers posted at " + name + " " + std::to_string(cutoff)) +
                      ", a 👍 chance of " + percent(at) + " (" + target + ")");
    } else {
      holds.push_back(name + " " + std::to_string(cutoff) + ": " + percent(at) +
                      (cutoff - 1 >= axis.low ? ", " + percent(below) + " just below" : ""));
    }
  }
  const std::string evidence = " (" + std::to_string(decision.reactions) + " of " +
                               std::to_string(decision.shown) + " papers shown" + window +
                               " drew a reaction)";
  if (moves.empty()) {
    std::string joined;
    for (const auto& hold : holds) joined += (joined.empty() ? "" : "; ") + hold;
    decision.reason = "kept: the 👍 chance at the cutoffs is where it should be (" + joined + "; " +
                      target + ")" + evidence;
    return decision;
  }
  std::string joined;
  for (const auto& move : moves) joined += (joined.empty() ? "" : "; ") + move;
  decision.reason = joined + evidence;
  return decision;
}

}  // namespace paperbot::feedback
