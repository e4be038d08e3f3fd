// `cutoffs why`, `cutoffs lock` and `undo` of a move the feedback made, through the executor
// and a real SQLite file, read as a person would.
#include "core/chat/executor.hpp"
#include "core/config/config.hpp"
#include "core/feedback/tuning.hpp"
#include "core/store/store.hpp"

#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

using namespace paperbot;
using namespace paperbot::chat;
using Catch::Contains;

namespace {

constexpr Date kMonday{std::chrono::year(2025), std::chrono::February, std::chrono::day(10)};
const std::chrono::sys_seconds kNow = std::chrono::sys_days(kMonday) + std::chrono::hours(12);
const std::string kAdmin = "UADMIN";
const std::string kChannel = "C0ML";
const std::string kAudience = "slack:C0ML";

struct Fixture {
  testing::TempDir dir;
  Config config = [] {
    Config made = default_config();
    made.slack.admins = {kAdmin};
    SlackAudienceConfig ml;
    ml.channel = kChannel;
    ml.name = "ml-papers";
    ml.relevance_cutoff = 8;
    made.slack.audiences = {ml};
    return made;
  }();
  std::unique_ptr<Store> store = std::move(Store::open(dir.path() / "paperbot.db").value());
  CommandExecutor executor{config, *store, [] { return DaemonFacts{}; }, [] { return kNow; }};

  // Last week #ml-papers was shown papers from relevance 6 up, 6 and 7 just below its bar of 8,
  // and half of every score drew a 👍.
  Fixture() {
    const Date shown_on{std::chrono::sys_days(kMonday) - std::chrono::days(3)};
    std::vector<Exposure> exposures;
    for (int relevance = 6; relevance <= 10; ++relevance) {
      for (int i = 0; i < 4; ++i) {
        const std::string id = "2502.0" + std::to_string(relevance) + std::to_string(i) + "00";
        exposures.push_back(
            Exposure{kAudience, shown_on, id, relevance, 7, relevance + 7, relevance < 8});
        if (i % 2 == 0) {
          REQUIRE_OK(store->record_feedback(
              Feedback{kAudience, id, shown_on, "U" + std::to_string(i), 1, "slack"}, kNow));
        }
      }
    }
    REQUIRE_OK(store->record_exposures(exposures));
  }

  std::string say(const std::string& text, const std::string& user = kAdmin) {
    return executor.execute(text, Asker{user, kChannel}).text;
  }
};

}  // namespace

TEST_CASE("cutoffs why says where the cutoffs come from and what the feedback says now",
          "[chat][feedback]") {
  Fixture f;
  const std::string before = f.say("cutoffs why");
  CHECK_THAT(before, Contains("relevance ≥ 8"));
  CHECK_THAT(before, Contains("Feedback has not moved them"));
  CHECK_THAT(before, Contains("relevance cutoff 8 → 7: 4 of 8 papers just below the bar got 👍"));
  CHECK_THAT(before, Contains("The next run applies it"));

  // The daily tuning makes the move; `why` then tells it, and `undo` takes it back.
  auto tuned = feedback::tune(*f.store, kAudience, {8, 6}, f.config.feedback, kMonday, kNow);
  REQUIRE_OK(tuned);
  REQUIRE(tuned->has_value());
  const std::string after = f.say("cutoffs why");
  CHECK_THAT(after, Contains("relevance ≥ 7"));
  CHECK_THAT(after, Contains("Last moved by feedback before the announcement of 2025-02-10: "
                             "relevance cutoff 8 → 7"));
  CHECK_THAT(f.say("history"), Contains("paperbot (from feedback)"));
  const std::string undone = f.say("undo");
  CHECK_THAT(undone, Contains("The cutoffs are back to relevance ≥ 8"));
  CHECK_THAT(undone, Contains("`cutoffs lock` keeps them"));
}

TEST_CASE("an admin locks the cutoffs against the feedback; others may not", "[chat][feedback]") {
  Fixture f;
  CHECK_THAT(f.say("cutoffs lock", "UREADER"), Contains("only"));
  CHECK_FALSE(f.store->cutoffs_lock(kAudience).value().has_value());

  CHECK_THAT(f.say("cutoffs lock"), Contains("Locked: feedback no longer moves the cutoffs"));
  CHECK_THAT(f.say("cutoffs lock"), Contains("already locked"));
  CHECK_THAT(f.say("cutoffs why"), Contains("an admin (UADMIN) locked these cutoffs"));
  auto held = feedback::tune(*f.store, kAudience, {8, 6}, f.config.feedback, kMonday, kNow);
  REQUIRE_OK(held);
  REQUIRE(held->has_value());
  CHECK_FALSE((*held)->moved());

  CHECK_THAT(f.say("cutoffs unlock"), Contains("Unlocked"));
  CHECK_FALSE(f.store->cutoffs_lock(kAudience).value().has_value());

  // A global lock holds the channel too, and unlocking the channel says so.
  CHECK_THAT(f.say("cutoffs global lock"), Contains("Locked"));
  CHECK_THAT(f.say("cutoffs unlock"), Contains("A global lock still holds every audience"));
  CHECK_THAT(f.say("cutoffs why"), Contains("locked these cutoffs"));
}
