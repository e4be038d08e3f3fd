// The cutoff learner: the curve it fits, each guard rail, and the daily tuning through a real
// store file (recorded once a day, in the history, undone by `undo`).
#include "core/feedback/cutoff_learner.hpp"
#include "core/feedback/tuning.hpp"
#include "core/store/store.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

using namespace paperbot;
using namespace paperbot::feedback;
using namespace std::chrono_literals;

namespace {

constexpr Date kDay{std::chrono::year{2025}, std::chrono::month{2}, std::chrono::day{10}};

Date days_before(Date day, int days) {
  return Date{std::chrono::sys_days(day) - std::chrono::days(days)};
}

ExposureOutcome shown(int relevance, int novelty, int up, int down = 0, bool below = false,
                      const std::string& audience = "slack:C1") {
  static int counter = 0;
  ExposureOutcome outcome;
  outcome.exposure = Exposure{audience,
                              days_before(kDay, 1),
                              "2502." + std::to_string(++counter),
                              relevance,
                              novelty,
                              relevance + novelty,
                              below};
  outcome.up = up;
  outcome.down = down;
  return outcome;
}

FeedbackConfig wide_bounds() {
  FeedbackConfig settings;
  settings.relevance_min = 1;
  settings.relevance_max = 10;
  settings.novelty_min = 1;
  settings.novelty_max = 10;
  return settings;
}

// An audience that likes relevance 5 and up: half the papers there get a 👍, few below.
std::vector<ExposureOutcome> likes_from_five(int lowest_shown, int below_bar_from) {
  std::vector<ExposureOutcome> outcomes;
  for (int relevance = lowest_shown; relevance <= 10; ++relevance) {
    for (int i = 0; i < 10; ++i) {
      const bool liked = relevance >= 5 ? i % 2 == 0 : i == 0 && relevance == 4;
      outcomes.push_back(shown(relevance, 5, liked ? 1 : 0, 0, relevance < below_bar_from));
    }
  }
  return outcomes;
}

}  // namespace

TEST_CASE("the fitted curve rises where the 👍 are, and the prior holds it without data") {
  std::vector<Observation> observations;
  for (int score = 1; score <= 10; ++score) {
    for (int i = 0; i < 20; ++i) observations.push_back({score, score >= 6 && i % 2 == 0});
  }
  LikeCurve curve = fit_curve(observations, LikeCurve{0, 0}, 1, 1);
  CHECK(curve.slope > 0.3);
  CHECK(curve.chance(9) > 0.4);
  CHECK(curve.chance(2) < 0.1);

  LikeCurve prior{-1, 0.5};
  LikeCurve alone = fit_curve({}, prior, 1, 1);
  CHECK(alone.intercept == Approx(prior.intercept));
  CHECK(alone.slope == Approx(prior.slope));
}

TEST_CASE("no reaction at all moves nothing: silence is not dislike") {
  LearnerInputs inputs;
  for (int relevance = 1; relevance <= 10; ++relevance)
    inputs.own.push_back(shown(relevance, 5, 0));
  inputs.everyone = inputs.own;
  inputs.current = {7, 6};
  inputs.settings = wide_bounds();
  Decision decision = decide(inputs);
  CHECK_FALSE(decision.moved());
  CHECK(decision.reactions == 0);
  CHECK_THAT(decision.reason, Catch::Contains("silence is not dislike"));
}

TEST_CASE("too little evidence moves nothing and says how much is needed") {
  LearnerInputs inputs;
  inputs.own = {shown(6, 5, 1, 0, true), shown(6, 5, 1, 0, true), shown(8, 6, 0)};
  inputs.everyone = inputs.own;
  inputs.current = {7, 6};
  inputs.settings = wide_bounds();
  inputs.settings.min_reactions = 5;
  Decision decision = decide(inputs);
  CHECK_FALSE(decision.moved());
  CHECK_THAT(decision.reason,
             Catch::Contains("2 of the 3 papers") && Catch::Contains("5 are needed"));
}

TEST_CASE("👍 just below the bar lower it by one point, with the numbers in the reason") {
  LearnerInputs inputs;
  inputs.own = likes_from_five(5, 8);  // cutoff 8; 5 to 7 shown just below the bar
  inputs.everyone = inputs.own;
  inputs.current = {8, 1};
  inputs.settings = wide_bounds();
  Decision decision = decide(inputs);
  CHECK(decision.after.relevance == 7);
  CHECK(decision.after.novelty == 1);
  CHECK_THAT(decision.reason, Catch::StartsWith("relevance cutoff 8 → 7: 10 of 20 papers just "
                                                "below the bar got 👍"));
  CHECK_THAT(decision.reason, Catch::Contains("target 30%"));
}

TEST_CASE("a bar too low rises by one point; a flat curve never raises it") {
  LearnerInputs inputs;
  inputs.own = likes_from_five(1, 0);  // cutoff 1: everything posted
  inputs.everyone = inputs.own;
  inputs.current = {1, 1};
  inputs.settings = wide_bounds();
  Decision decision = decide(inputs);
  CHECK(decision.after.relevance == 2);
  CHECK_THAT(decision.reason, Catch::Contains("relevance cutoff 1 → 2: 0 of 10 papers posted at "
                                              "relevance 1 got 👍"));
  // Novelty is 5 for every paper: no sign that a higher novelty bar would help.
  CHECK(decision.after.novelty == 1);

  // Few 👍 anywhere, whatever the score: the bar stays.
  LearnerInputs flat;
  for (int relevance = 1; relevance <= 10; ++relevance) {
    for (int i = 0; i < 10; ++i) flat.own.push_back(shown(relevance, 5, i == 0 ? 1 : 0));
  }
  flat.everyone = flat.own;
  flat.current = {5, 5};
  flat.settings = wide_bounds();
  Decision kept = decide(flat);
  CHECK_FALSE(kept.moved());
  CHECK_THAT(kept.reason, Catch::StartsWith("kept:"));
}

TEST_CASE("the bounds and the lock hold the cutoffs") {
  LearnerInputs inputs;
  inputs.own = likes_from_five(5, 8);
  inputs.everyone = inputs.own;
  inputs.current = {8, 1};
  inputs.settings = wide_bounds();
  inputs.settings.relevance_min = 8;
  CHECK(decide(inputs).after.relevance == 8);

  inputs.settings.relevance_min = 1;
  inputs.lock = CutoffLock{"U0ADMIN", "2025-02-01T10:00:00Z"};
  Decision locked = decide(inputs);
  CHECK_FALSE(locked.moved());
  CHECK_THAT(locked.reason, Catch::Contains("U0ADMIN") && Catch::Contains("locked"));
}

TEST_CASE("tuning through the store: once a day, in the history, and undone by undo") {
  testing::TempDir dir;
  auto store = Store::open(dir.path() / "paperbot.db");
  REQUIRE(store.has_value());
  const std::string audience = "slack:C1";
  std::vector<Exposure> exposures;
  int id = 0;
  for (int relevance = 5; relevance <= 10; ++relevance) {
    for (int i = 0; i < 6; ++i) {
      Exposure exposure{
          audience,      days_before(kDay, 1), "2502.0" + std::to_string(1000 + ++id), relevance, 5,
          relevance + 5, relevance < 8};
      exposures.push_back(exposure);
      if (i % 2 == 0) {
        Feedback vote{audience, exposure.paper_id, exposure.date, "U" + std::to_string(i), 1,
                      "slack"};
        REQUIRE((*store)->record_feedback(vote, std::chrono::sys_seconds{}).has_value());
      }
    }
  }
  REQUIRE((*store)->record_exposures(exposures).has_value());
  auto outcomes = (*store)->exposure_outcomes(audience, days_before(kDay, 30), kDay);
  REQUIRE(outcomes.has_value());
  REQUIRE(outcomes->size() == exposures.size());
  CHECK(outcomes->front().up == 1);

  const auto now = std::chrono::sys_days(kDay) + 6h;
  auto first = tune(**store, audience, {8, 1}, wide_bounds(), kDay, now);
  REQUIRE(first.has_value());
  REQUIRE(first->has_value());
  CHECK((*first)->after.relevance == 7);
  auto settings = (*store)->scope_settings(audience);
  REQUIRE(settings.has_value());
  CHECK(settings->relevance_cutoff == 7);
  CHECK_FALSE(settings->novelty_cutoff.has_value());  // only what moved is the audience's own

  // The same day again (a restart, a re-run): nothing more moves.
  auto again = tune(**store, audience, {7, 1}, wide_bounds(), kDay, now + 1h);
  REQUIRE(again.has_value());
  CHECK_FALSE(again->has_value());
  CHECK((*store)->scope_settings(audience)->relevance_cutoff == 7);

  auto history = (*store)->settings_history(audience, 10);
  REQUIRE(history.has_value());
  REQUIRE(history->size() == 1);
  CHECK(history->front().person == "paperbot");
  CHECK_THAT(history->front().summary, Catch::StartsWith("relevance cutoff 8 → 7"));
  auto last = (*store)->last_move(audience);
  REQUIRE(last.has_value());
  REQUIRE(last->has_value());
  CHECK((*last)->relevance_after == 7);

  auto undone = (*store)->undo_last_change(audience, "U0ADMIN", now + 2h);
  REQUIRE(undone.has_value());
  REQUIRE(undone->has_value());
  CHECK_FALSE((*store)->scope_settings(audience)->relevance_cutoff.has_value());
  CHECK_FALSE((*store)->last_move(audience)->has_value());  // an undone move is no move

  // The admin's undo stands: the papers shown before it no longer count against it, so the
  // next day keeps the cutoffs, and says why.
  const Date next_day{std::chrono::sys_days(kDay) + std::chrono::days(1)};
  auto respected = tune(**store, audience, {8, 1}, wide_bounds(), next_day, now + 24h);
  REQUIRE(respected.has_value());
  REQUIRE(respected->has_value());
  CHECK_FALSE((*respected)->moved());
  CHECK_THAT((*respected)->reason, Catch::Contains("since the cutoffs were set by hand on"));

  // A day caught up after a later one was tuned is left alone.
  auto late = tune(**store, audience, {8, 1}, wide_bounds(), days_before(kDay, 3), now + 25h);
  REQUIRE(late.has_value());
  CHECK_FALSE(late->has_value());
}

TEST_CASE("days tuned minutes apart move the cutoffs once; a lock holds them", "[feedback]") {
  testing::TempDir dir;
  auto store = Store::open(dir.path() / "paperbot.db");
  REQUIRE(store.has_value());
  const std::string audience = "slack:C1";
  // Liked from relevance 5 up, shown from 5 with 5 to 7 just below a bar of 8, on two days.
  std::vector<Exposure> exposures;
  for (int day = 3; day >= 2; --day) {
    for (const ExposureOutcome& outcome : likes_from_five(5, 8)) {
      Exposure exposure = outcome.exposure;
      exposure.date = days_before(kDay, day);
      exposures.push_back(exposure);
      if (outcome.up > 0) {
        Feedback vote{audience, exposure.paper_id, exposure.date, "U1", 1, "slack"};
        REQUIRE((*store)->record_feedback(vote, std::chrono::sys_seconds{}).has_value());
      }
    }
  }
  REQUIRE((*store)->record_exposures(exposures).has_value());

  // Two missed days caught up at 07:00 and 07:05: the first moves, the second keeps.
  const auto now = std::chrono::sys_days(kDay) + 7h;
  auto first = tune(**store, audience, {8, 1}, wide_bounds(), days_before(kDay, 1), now);
  REQUIRE(first.has_value());
  REQUIRE(first->has_value());
  CHECK((*first)->after.relevance == 7);
  auto second = tune(**store, audience, {7, 1}, wide_bounds(), kDay, now + 5min);
  REQUIRE(second.has_value());
  REQUIRE(second->has_value());
  CHECK_FALSE((*second)->moved());
  CHECK_THAT((*second)->reason, Catch::Contains("moved less than a day ago"));

  // A lock, here of the global scope, holds every audience.
  REQUIRE((*store)->set_cutoffs_locked("global", true, "U0ADMIN", now).has_value());
  const Date next_day{std::chrono::sys_days(kDay) + std::chrono::days(1)};
  auto locked = tune(**store, audience, {7, 1}, wide_bounds(), next_day, now + 24h);
  REQUIRE(locked.has_value());
  REQUIRE(locked->has_value());
  CHECK_FALSE((*locked)->moved());
  CHECK_THAT((*locked)->reason, Catch::Contains("locked"));
  auto unlocked = (*store)->set_cutoffs_locked("global", false, "U0ADMIN", now);
  REQUIRE(unlocked.has_value());
  CHECK(*unlocked);
}
