// The store's daemon state (chat settings and their history, processed days, handled events)
// and the reads the chat commands answer from, on a real SQLite file.
#include "core/store/store.hpp"

#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

using namespace paperbot;
using paperbot::testing::TempDir;

namespace {

constexpr Date kJan28{std::chrono::year(2025), std::chrono::January, std::chrono::day(28)};
constexpr Date kJan29{std::chrono::year(2025), std::chrono::January, std::chrono::day(29)};
constexpr Date kJan30{std::chrono::year(2025), std::chrono::January, std::chrono::day(30)};
const std::chrono::sys_seconds kNow{std::chrono::seconds(1738195200)};  // 2025-01-30 00:00 UTC
const std::string kChannel = "slack:C0123";

Paper make_paper(const std::string& id, int version = 1) {
  Paper paper;
  paper.id = id;
  paper.version = version;
  paper.title = "Title of " + id + " v" + std::to_string(version);
  paper.authors = {"Ada Lovelace"};
  paper.abstract = "Abstract of " + id;
  paper.categories = {"cs.LG"};
  return paper;
}

Delivery make_delivery(const std::string& audience, const std::string& kind,
                       std::optional<std::string> paper_id) {
  Delivery delivery;
  delivery.audience = audience;
  delivery.date = kJan29;
  delivery.kind = kind;
  delivery.paper_id = std::move(paper_id);
  delivery.payload = "{}";
  return delivery;
}

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store = std::move(Store::open(dir.path() / "paperbot.db").value());

  std::int64_t criteria(const std::string& topics) {
    auto id = store->criteria_version(Criteria{"base", topics, "", "postfix"}, "test", "");
    REQUIRE_OK(id);
    return *id;
  }
};

}  // namespace

TEST_CASE("a scope nobody set reads as defaults", "[store][settings]") {
  Fixture f;
  auto settings = f.store->scope_settings(std::string(kGlobalScope));
  REQUIRE_OK(settings);
  CHECK(*settings == ScopeSettings{});
  auto history = f.store->settings_history(kChannel, 10);
  REQUIRE_OK(history);
  CHECK(history->empty());
}

TEST_CASE("a settings change is saved with its history row", "[store][settings]") {
  Fixture f;
  ScopeSettings next;
  next.criteria_id = f.criteria("topics one");
  next.authors = std::vector<FollowedAuthor>{{"Ada Lovelace", "123"}, {"Alan Turing", ""}};
  next.relevance_cutoff = 8;
  next.top_n = 5;
  auto id = f.store->change_settings(kChannel, next, "criteria", "set the topics", "U1", kNow);
  REQUIRE_OK(id);

  auto read = f.store->scope_settings(kChannel);
  REQUIRE_OK(read);
  CHECK(*read == next);
  auto other = f.store->scope_settings(std::string(kGlobalScope));
  REQUIRE_OK(other);
  CHECK(*other == ScopeSettings{});

  auto history = f.store->settings_history(kChannel, 10);
  REQUIRE_OK(history);
  REQUIRE(history->size() == 1);
  const SettingsChange& change = history->front();
  CHECK(change.id == *id);
  CHECK(change.scope == kChannel);
  CHECK(change.what == "criteria");
  CHECK(change.summary == "set the topics");
  CHECK(change.person == "U1");
  CHECK(change.at == "2025-01-30T00:00:00Z");
  CHECK_FALSE(change.undone);
}

TEST_CASE("a change naming an unknown criteria version saves nothing", "[store][settings]") {
  Fixture f;
  ScopeSettings next;
  next.criteria_id = 999;
  REQUIRE_FAILS(f.store->change_settings(kChannel, next, "criteria", "bad", "U1", kNow));
  CHECK(f.store->scope_settings(kChannel).value() == ScopeSettings{});
  CHECK(f.store->settings_history(kChannel, 10).value().empty());
}

TEST_CASE("undo walks back through the changes, newest first", "[store][settings]") {
  Fixture f;
  ScopeSettings first;
  first.relevance_cutoff = 8;
  ScopeSettings second = first;
  second.novelty_cutoff = 3;
  REQUIRE_OK(f.store->change_settings(kChannel, first, "cutoffs", "relevance 8", "U1", kNow));
  REQUIRE_OK(f.store->change_settings(kChannel, second, "cutoffs", "novelty 3", "U2", kNow));

  auto undone = f.store->undo_last_change(kChannel, "U3", kNow);
  REQUIRE_OK(undone);
  REQUIRE(undone->has_value());
  CHECK((*undone)->summary == "novelty 3");
  CHECK((*undone)->undone);
  CHECK(f.store->scope_settings(kChannel).value() == first);

  undone = f.store->undo_last_change(kChannel, "U3", kNow);
  REQUIRE_OK(undone);
  REQUIRE(undone->has_value());
  CHECK((*undone)->summary == "relevance 8");
  CHECK(f.store->scope_settings(kChannel).value() == ScopeSettings{});

  // Nothing left to undo: nothing changes.
  undone = f.store->undo_last_change(kChannel, "U3", kNow);
  REQUIRE_OK(undone);
  CHECK_FALSE(undone->has_value());

  auto history = f.store->settings_history(kChannel, 10);
  REQUIRE_OK(history);
  REQUIRE(history->size() == 2);
  CHECK(history->at(0).summary == "novelty 3");
  CHECK(history->at(0).undone);
  CHECK(history->at(1).undone);
}

TEST_CASE("pausing stays out of the history and survives changes and undo", "[store][settings]") {
  Fixture f;
  REQUIRE_OK(f.store->set_paused(kChannel, true));
  CHECK(f.store->settings_history(kChannel, 10).value().empty());
  CHECK(f.store->scope_settings(kChannel).value().paused);

  // `next.paused` is false here, yet the scope stays paused.
  ScopeSettings next;
  next.top_n = 3;
  REQUIRE_OK(f.store->change_settings(kChannel, next, "cutoffs", "top 3", "U1", kNow));
  CHECK(f.store->scope_settings(kChannel).value().paused);
  REQUIRE_OK(f.store->undo_last_change(kChannel, "U1", kNow));
  auto settings = f.store->scope_settings(kChannel).value();
  CHECK(settings.paused);
  CHECK_FALSE(settings.top_n);

  REQUIRE_OK(f.store->set_paused(kChannel, false));
  CHECK_FALSE(f.store->scope_settings(kChannel).value().paused);
}

TEST_CASE("the history is limited and scoped", "[store][settings]") {
  Fixture f;
  for (int top = 1; top <= 5; ++top) {
    ScopeSettings next;
    next.top_n = top;
    REQUIRE_OK(f.store->change_settings(kChannel, next, "cutoffs", "top " + std::to_string(top),
                                        "U1", kNow));
  }
  REQUIRE_OK(f.store->change_settings(std::string(kGlobalScope), ScopeSettings{}, "authors",
                                      "global", "U1", kNow));
  auto history = f.store->settings_history(kChannel, 3);
  REQUIRE_OK(history);
  REQUIRE(history->size() == 3);
  CHECK(history->at(0).summary == "top 5");
  CHECK(history->at(2).summary == "top 3");
}

TEST_CASE("days are saved, replaced and listed oldest first", "[store][days]") {
  Fixture f;
  REQUIRE_OK(f.store->save_day(DayRecord{kJan29, "given_up", false, 12, ""}));
  REQUIRE_OK(f.store->save_day(DayRecord{kJan28, "empty", false, 0, "2025-01-28T06:00:00Z"}));

  auto found = f.store->find_day(kJan29);
  REQUIRE_OK(found);
  REQUIRE(found->has_value());
  CHECK((*found)->status == "given_up");
  CHECK((*found)->stale_reads == 12);
  CHECK_FALSE((*found)->updated_at.empty());  // the store's clock filled it

  REQUIRE_OK(f.store->save_day(DayRecord{kJan29, "done", true, 12, "2025-01-30T01:00:00Z"}));
  found = f.store->find_day(kJan29);
  REQUIRE_OK(found);
  CHECK(**found == DayRecord{kJan29, "done", true, 12, "2025-01-30T01:00:00Z"});
  CHECK_FALSE(f.store->find_day(kJan30).value().has_value());

  auto days = f.store->days_since(kJan28);
  REQUIRE_OK(days);
  REQUIRE(days->size() == 2);
  CHECK(days->at(0).date == kJan28);
  CHECK(days->at(0).updated_at == "2025-01-28T06:00:00Z");
  CHECK(days->at(1).date == kJan29);
  CHECK(f.store->days_since(kJan29).value().size() == 1);
}

TEST_CASE("an event is new once, and old ones are forgotten", "[store][events]") {
  Fixture f;
  CHECK(f.store->remember_event("Ev1", kNow).value());
  CHECK_FALSE(f.store->remember_event("Ev1", kNow).value());
  CHECK(f.store->remember_event("Ev2", kNow + std::chrono::hours(2)).value());

  auto forgotten = f.store->forget_events_before(kNow + std::chrono::hours(1));
  REQUIRE_OK(forgotten);
  CHECK(*forgotten == 1);
  CHECK(f.store->remember_event("Ev1", kNow).value());  // new again once forgotten
  CHECK_FALSE(f.store->remember_event("Ev2", kNow).value());
}

TEST_CASE("a paper's announcements, scores and latest listing", "[store][lookups]") {
  Fixture f;
  REQUIRE_OK(f.store->record_announcement(kJan28, "feed", {make_paper("2501.00001")}));
  REQUIRE_OK(f.store->record_announcement(kJan29, "feed", {make_paper("2501.00001", 2)}));
  const auto older = f.criteria("old topics");
  const auto newer = f.criteria("new topics");
  REQUIRE_OK(f.store->save_scores({StoredScore{"2501.00001", 1, older, Score{5, 4, "a", "x"}}}));
  REQUIRE_OK(f.store->save_scores({StoredScore{"2501.00001", 2, newer, Score{9, 8, "b", "y"}}}));

  auto paper = f.store->find_paper("2501.00001");
  REQUIRE_OK(paper);
  REQUIRE(paper->has_value());
  CHECK((*paper)->version == 2);
  CHECK((*paper)->title == "Title of 2501.00001 v2");
  CHECK_FALSE(f.store->find_paper("2501.99999").value().has_value());

  CHECK(f.store->announcement_dates("2501.00001").value() == std::vector<Date>{kJan28, kJan29});

  auto scores = f.store->paper_scores("2501.00001");
  REQUIRE_OK(scores);
  REQUIRE(scores->size() == 2);
  CHECK(scores->at(0).criteria_id == newer);  // newest first
  CHECK(scores->at(0).version == 2);
  CHECK(scores->at(0).score.relevance == 9);
  CHECK(scores->at(0).score.scorer == "y");
  CHECK_FALSE(scores->at(0).scored_at.empty());
  CHECK(scores->at(1).score.comment == "a");
}

TEST_CASE("an audience's latest run, deliveries, pending count and feedback", "[store][lookups]") {
  Fixture f;
  CHECK_FALSE(f.store->latest_run_date(kChannel).value().has_value());
  for (Date date : {kJan29, kJan28}) {
    RunRecord run;
    run.date = date;
    run.audience = kChannel;
    run.status = "done";
    REQUIRE_OK(f.store->save_run(run));
  }
  CHECK(f.store->latest_run_date(kChannel).value() == kJan29);
  CHECK_FALSE(f.store->latest_run_date("files").value().has_value());

  Delivery header = make_delivery(kChannel, "header", std::nullopt);
  Delivery paper = make_delivery(kChannel, "paper", "2501.00001");
  paper.relevance = 9;
  paper.novelty = 7;
  Delivery second_part = paper;
  second_part.part = 1;
  Delivery elsewhere = make_delivery("slack:C999", "paper", "2501.00001");
  REQUIRE(f.store->enqueue_deliveries({header, paper, second_part, elsewhere}).value() == 4);
  CHECK(f.store->pending_count(kChannel).value() == 3);
  CHECK(f.store->pending_count(std::nullopt).value() == 4);

  auto queued = f.store->pending_deliveries(kChannel, 10).value();
  REQUIRE_OK(f.store->mark_sent(queued.at(1).id, "C0123", "1.1", kNow));
  auto deliveries = f.store->paper_deliveries(kChannel, "2501.00001");
  REQUIRE_OK(deliveries);
  REQUIRE(deliveries->size() == 1);  // parts counted once
  CHECK(deliveries->at(0).date == kJan29);
  CHECK(deliveries->at(0).status == DeliveryStatus::kSent);
  CHECK(deliveries->at(0).sent_at == "2025-01-30T00:00:00Z");
  CHECK(deliveries->at(0).relevance == 9);
  CHECK(f.store->pending_count(kChannel).value() == 2);

  REQUIRE_OK(
      f.store->record_feedback(Feedback{kChannel, "2501.00001", kJan29, "U1", 1, "slack"}, kNow));
  REQUIRE_OK(
      f.store->record_feedback(Feedback{kChannel, "2501.00002", kJan29, "U1", 1, "slack"}, kNow));
  REQUIRE_OK(
      f.store->record_feedback(Feedback{kChannel, "2501.00001", kJan29, "U2", -1, "slack"}, kNow));
  REQUIRE_OK(f.store->record_feedback(
      Feedback{"slack:C999", "2501.00001", kJan29, "U2", 1, "slack"}, kNow));
  auto feedback = f.store->audience_feedback(kChannel);
  REQUIRE_OK(feedback);
  CHECK(feedback->up == 2);
  CHECK(feedback->down == 1);
}

TEST_CASE("spending is added up over a period of UTC days", "[store][lookups]") {
  Fixture f;
  Usage usage;
  usage.prompt_tokens = 1000;
  usage.completion_tokens = 100;
  usage.prompt_cost = 0.5;
  usage.completion_cost = 0.25;
  REQUIRE_OK(f.store->record_spending(kJan29, "llm:test", usage));
  REQUIRE_OK(f.store->record_spending(kJan29, "llm:test", usage));

  // Recorded with the store's clock, so the period around today holds both.
  auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  auto spent = f.store->spent_between(Date{today}, Date{today + std::chrono::days(1)});
  REQUIRE_OK(spent);
  CHECK(spent->tokens == 2200);
  CHECK(spent->dollars == Approx(1.5));
  auto before = f.store->spent_between(Date{today - std::chrono::days(30)}, Date{today});
  REQUIRE_OK(before);
  CHECK(before->tokens == 0);
}
