// `paperbot serve` end to end across days: feedback that moves a channel's bar before the day's
// digest, a missed day caught up through the API (and a catch-up that fails, which waits), and
// a feed that never changes, which alerts the admins. The real binary with a fake clock, a fake
// arXiv and a fake Slack on loopback, and a real SQLite file.
#include "tests/support/slack_daemon_fixture.hpp"

#include <csignal>
#include <thread>

using namespace paperbot;
using namespace paperbot::testing;

TEST_CASE(
    "feedback moves a channel's bar before the day; the channel hears why and sees the "
    "papers just below it",
    "[daemon][e2e][feedback]") {
  PAPERBOT_SHARED_DATA_FILE(feed, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Setup setup;
  setup.other_top = 1000;  // the cutoffs decide, not top N
  DaemonFixture fixture(feed, setup);
  {
    auto store = fixture.store();
    // An admin set #other's bar to 7 a week before; the day before, #other was shown papers of
    // relevance 4 to 10 and liked only those from 8 up.
    ScopeSettings seven;
    seven.relevance_cutoff = 7;
    const auto week_before = std::chrono::sys_days(kDay) - std::chrono::days(7);
    REQUIRE_OK(store->change_settings("slack:C0OTHER", seven, "cutoffs", "relevance 2 → 7", kAdmin,
                                      week_before));
    const Date before{std::chrono::sys_days(kDay) - std::chrono::days(1)};
    std::vector<Exposure> shown;
    for (int relevance = 4; relevance <= 10; ++relevance) {
      for (int i = 0; i < 4; ++i) {
        const std::string id = "2501.0" + std::to_string(relevance) + std::to_string(i) + "00";
        shown.push_back(
            Exposure{"slack:C0OTHER", before, id, relevance, 5, relevance + 5, relevance < 7});
        if (relevance >= 8 && i % 2 == 0) {
          REQUIRE_OK(store->record_feedback(
              Feedback{"slack:C0OTHER", id, before, "U0READER", 1, "slack"}, {}));
        }
      }
    }
    REQUIRE_OK(store->record_exposures(shown));
  }
  auto daemon = fixture.start();
  REQUIRE(wait_until([&] { return fixture.day_posted(); }, 90s));
  INFO(daemon->log());

  auto messages = fixture.slack().messages("C0OTHER");
  REQUIRE(messages.size() >= 2);
  CHECK(identity_of(messages[0]).kind == "cutoffs");
  CHECK_THAT(messages[0].text, Catch::StartsWith("Cutoffs moved by feedback: relevance cutoff 7 "
                                                 "→ 8: 0 of 4 papers posted at relevance 7 got "
                                                 "👍"));
  CHECK(identity_of(messages[1]).kind == "header");
  auto settings = fixture.store()->scope_settings("slack:C0OTHER");
  REQUIRE_OK(settings);
  CHECK(settings->relevance_cutoff == 8);
  CHECK_FALSE(settings->novelty_cutoff.has_value());  // only the cutoff that moved is pinned

  // The day's papers were chosen with the new bar, and up to three just below it went out in
  // a labelled thread of their own after the digest.
  auto shown = fixture.store()->exposure_outcomes("slack:C0OTHER", kDay, kDay);
  REQUIRE_OK(shown);
  int below = 0;
  for (const auto& outcome : *shown) {
    below += outcome.exposure.below_bar ? 1 : 0;
    CHECK(outcome.exposure.relevance >= (outcome.exposure.below_bar ? 6 : 8));
  }
  CHECK(below >= 1);
  CHECK(below <= 3);
  std::string label_ts;
  int below_posts = 0;
  for (const auto& message : messages) {
    const std::string kind = identity_of(message).kind;
    if (kind == "below_bar") label_ts = message.ts;
    if (kind == "below_paper") {
      CHECK(message.thread_ts == label_ts);
      ++below_posts;
    }
  }
  CHECK_FALSE(label_ts.empty());
  CHECK(below_posts == below);
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
}

TEST_CASE("a catch-up that fails waits before it tries again, and the due day is still read",
          "[daemon][e2e]") {
  PAPERBOT_SHARED_DATA_FILE(feed, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  DaemonFixture fixture(feed);
  fixture.arxiv().serve_api("<not an Atom feed");
  {
    // 2025-01-27 was processed; the 28th was missed, and the API cannot give it today.
    auto store = fixture.store();
    DayRecord day;
    day.date = std::chrono::year{2025} / 1 / 27;
    day.status = "done";
    REQUIRE_OK(store->save_day(day));
  }
  auto daemon = fixture.start();
  REQUIRE(wait_until([&] { return fixture.day_posted(); }, 60s));
  std::this_thread::sleep_for(2s);
  INFO(daemon->log());
  int api_reads = 0;
  for (const auto& request : fixture.arxiv().requests()) {
    if (request.target.rfind("/api/query", 0) == 0) ++api_reads;
  }
  CHECK(api_reads == 1);  // the next try is ten minutes away
  auto missed = fixture.store()->find_day(std::chrono::year{2025} / 1 / 28);
  REQUIRE_OK(missed);
  CHECK_FALSE(missed->has_value());
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
}

TEST_CASE("a missed day is caught up through the API, late; a stale feed alerts the admins",
          "[daemon][e2e]") {
  PAPERBOT_SHARED_DATA_FILE(old_feed, "arxiv/days/2025-01-28.cs.LG+cs.AI.rss.xml");
  PAPERBOT_SHARED_DATA_FILE(api_page, "arxiv/atom/api_query_response_user_manual.xml");
  // No retries: the first stale read alerts.
  Setup setup;
  setup.extra_schedule = "max_retries = 0\n";
  DaemonFixture fixture(old_feed, setup);
  fixture.arxiv().serve_api(read_file(api_page));
  {
    // The store processed 2025-01-27, then the daemon was down through the 28th.
    auto store = fixture.store();
    DayRecord day;
    day.date = std::chrono::year{2025} / 1 / 27;
    day.status = "done";
    REQUIRE_OK(store->save_day(day));
  }

  auto daemon = fixture.start();
  const Date missed = std::chrono::year{2025} / 1 / 28;
  REQUIRE(wait_until(
      [&] {
        auto day = fixture.store()->find_day(missed);
        return day && *day && (*day)->status == "done";
      },
      60s));
  auto day = fixture.store()->find_day(missed);
  CHECK((*day)->late);

  // The API was asked for the submissions Tuesday the 28th announced: Friday 14:00 to Monday 14:00
  // in New York.
  bool asked = false;
  for (const auto& request : fixture.arxiv().requests()) {
    UNSCOPED_INFO(request.target);
    if (request.target.find("submittedDate:[202501241900+TO+202501271900]") != std::string::npos) {
      asked = true;
    }
  }
  CHECK(asked);

  // The feed still shows the 28th when the 29th is due: the admins hear of it once.
  REQUIRE(wait_until(
      [&] {
        auto today = fixture.store()->find_day(kDay);
        return today && *today && (*today)->status == "given_up" &&
               !fixture.slack().messages("C0ADMINS").empty();
      },
      60s));
  INFO(daemon->log());
  auto alerts = fixture.slack().messages("C0ADMINS");
  REQUIRE(alerts.size() == 1);
  CHECK_THAT(alerts[0].text, Catch::Contains("older announcement"));
  // The late day's header says it is late.
  auto headers = fixture.slack().messages("C0PAPERS");
  REQUIRE_FALSE(headers.empty());
  CHECK_THAT(headers.front().text + headers.front().blocks_json, Catch::Contains("late"));
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
}

TEST_CASE("SIGTERM while arXiv is down stops at once instead of waiting out the retries",
          "[daemon][e2e]") {
  PAPERBOT_SHARED_DATA_FILE(feed, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Setup setup;
  setup.arxiv_retries = 4;  // 5 s, 10 s, 20 s and 40 s of backoff
  DaemonFixture fixture(feed, setup);
  fixture.arxiv().fail_with(500);
  auto daemon = fixture.start();
  REQUIRE(wait_until([&] { return !fixture.arxiv().requests().empty(); }, 30s));

  const auto asked = std::chrono::steady_clock::now();
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(10s) == 0);
  CHECK(std::chrono::steady_clock::now() - asked < 5s);
  INFO(daemon->log());
  CHECK_THAT(daemon->log(), Catch::Contains("paperbot is stopping"));
  // Stopping is no failure to alarm anyone about, and the day is left for the next start.
  CHECK(fixture.slack().messages("C0ADMINS").empty());
  auto day = fixture.store()->find_day(kDay);
  REQUIRE_OK(day);
  CHECK_FALSE(day->has_value());
}
