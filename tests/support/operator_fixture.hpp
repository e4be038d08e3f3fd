// A config folder and a real store filled through the Store API with one audience's day, for the
// tests of the daemon's operator pages, alarms and `paperbot status`:
//  - [FILTERING] cutoffs 5/4; the Slack channel C0PAPERS ("papers") sets relevance_cutoff = 6,
//    so its effective cutoffs are relevance 6, novelty 4;
//  - 2025-01-28 and 2025-01-29 processed; a run for slack:C0PAPERS on 2025-01-29 with twelve
//    papers scored, three posted (relevance 9, 8, 7; one with two 👍, one with a 👎) and two
//    just below the bar (relevance 4 and 5; one with a 👍);
//  - two pending Slack messages and one pending newsletter to reader@example.org; 1500 tokens
//    billed ($0.75); two records of the learner, one of which moved relevance from 7 to 6.
#pragma once

#include "core/config/config.hpp"
#include "core/store/store.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <fstream>

namespace paperbot::testing {

inline Date day_of(int month, int day) {
  return Date{std::chrono::year(2025), std::chrono::month(month), std::chrono::day(day)};
}

inline std::chrono::sys_seconds at_midnight(Date date) {
  return std::chrono::sys_days(date);
}

inline const std::string kPapers = "slack:C0PAPERS";

struct OperatorFixture {
  TempDir dir;
  Config config;
  std::unique_ptr<Store> store;
  std::int64_t criteria_id = 0;

  OperatorFixture() {
    std::filesystem::create_directories(dir.path() / "config");
    std::ofstream(dir.path() / "config" / "config.ini")
        << "[FILTERING]\narxiv_category = cs.LG\nrelevance_cutoff = 5\nnovelty_cutoff = 4\n"
        << "[PAPERBOT]\nstore_path = " << store_path().string() << "\n"
        << "[SLACK]\nadmin_channel = C0ADMINS\n[SLACK C0PAPERS]\nname = papers\n"
        << "relevance_cutoff = 6\n";
    auto loaded = load_config(dir.path() / "config");
    REQUIRE_OK(loaded);
    config = std::move(*loaded);
    auto opened = Store::open(store_path());
    REQUIRE_OK(opened);
    store = std::move(*opened);
    fill();
  }

  std::filesystem::path store_path() const { return dir.path() / "store.db"; }

  static std::string paper_id(int n) { return "2501.100" + std::to_string(10 + n); }

  void fill() {
    const Date day = day_of(1, 29);
    std::vector<Paper> papers;
    for (int n = 0; n < 12; ++n) {
      Paper paper;
      paper.id = paper_id(n);
      paper.title = "Paper <" + std::to_string(n) + "> & co";
      paper.authors = {"A. Author"};
      paper.abstract = "Abstract.";
      paper.categories = {"cs.LG"};
      papers.push_back(std::move(paper));
    }
    REQUIRE_OK(store->record_announcement(day, "test", papers));
    auto criteria = store->criteria_version(config.criteria, "config", "test");
    REQUIRE_OK(criteria);
    criteria_id = *criteria;
    // Relevance 1..10 and novelty 10..3 over the twelve, the first three the best.
    std::vector<StoredScore> scores;
    for (int n = 0; n < 12; ++n) {
      const int relevance = n < 3 ? 9 - n : 1 + (n % 9);
      scores.push_back({paper_id(n), 1, criteria_id, {relevance, 10 - (n % 8), "c", "offline"}});
    }
    REQUIRE_OK(store->save_scores(scores));

    RunRecord run;
    run.date = day;
    run.audience = kPapers;
    run.status = "done";
    run.scorer = "offline";
    run.criteria_id = criteria_id;
    run.counts.fetched = 14;
    run.counts.kept = 12;
    run.counts.scored = 12;
    run.counts.selected = 3;
    run.started_at = "2025-01-29T06:00:00Z";
    run.finished_at = "2025-01-29T06:05:00Z";
    run.selected_ids = {paper_id(0), paper_id(1), paper_id(2)};
    REQUIRE_OK(store->save_run(run));
    for (Date processed : {day_of(1, 28), day}) {
      REQUIRE_OK(store->save_day(DayRecord{processed, "done", false, 0, ""}));
    }

    std::vector<Exposure> shown;
    for (int n = 0; n < 5; ++n) {
      const StoredScore& stored = scores[static_cast<std::size_t>(n)];
      shown.push_back({kPapers, day, stored.paper_id, stored.score.relevance, stored.score.novelty,
                       stored.score.total(), n >= 3});
    }
    REQUIRE_OK(store->record_exposures(shown));
    const auto now = at_midnight(day_of(1, 30));
    REQUIRE_OK(store->record_feedback({kPapers, paper_id(0), day, "U1", 1, "slack"}, now));
    REQUIRE_OK(store->record_feedback({kPapers, paper_id(0), day, "U2", 1, "slack"}, now));
    REQUIRE_OK(store->record_feedback({kPapers, paper_id(1), day, "U1", -1, "slack"}, now));
    REQUIRE_OK(store->record_feedback({kPapers, paper_id(3), day, "U2", 1, "slack"}, now));

    fill_outbox(day);
    CutoffTuning moved{kPapers, day_of(1, 20), 7, 4, 6, 4, "too few 👍 <below>", false, ""};
    CutoffTuning kept{kPapers, day_of(1, 27), 6, 4, 6, 4, "not enough reactions", false, ""};
    REQUIRE_OK(store->record_tuning(moved, "paperbot", now));
    REQUIRE_OK(store->record_tuning(kept, "paperbot", now));
  }

  void fill_outbox(Date day) {
    std::vector<Delivery> deliveries;
    for (int part = 0; part < 2; ++part) {
      Delivery delivery;
      delivery.audience = kPapers;
      delivery.date = day;
      delivery.kind = "paper";
      delivery.paper_id = paper_id(part);
      delivery.payload = "{}";
      deliveries.push_back(delivery);
    }
    Delivery mail;
    mail.audience = "email:ml:reader@example.org";
    mail.date = day;
    mail.kind = "newsletter";
    mail.payload = "message";
    deliveries.push_back(mail);
    REQUIRE_OK(store->enqueue_deliveries(deliveries));
    Usage usage;
    usage.prompt_tokens = 1200;
    usage.completion_tokens = 300;
    usage.prompt_cost = 0.25;
    usage.completion_cost = 0.5;
    REQUIRE_OK(store->record_spending(day, "llm:test", usage));
  }
};

}  // namespace paperbot::testing
