// The daemon's operator pages (bot/operator_pages.hpp) on a real SQLite store, called as the web
// server calls them: /healthz, /metrics in Prometheus text format, and the page at "/".
#include "bot/metrics_text.hpp"
#include "bot/operator_pages.hpp"
#include "tests/support/operator_fixture.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

using namespace paperbot;
using namespace paperbot::testing;
using Catch::Contains;

namespace {

struct Pages {
  OperatorFixture fixture;
  std::chrono::sys_seconds now = at_midnight(day_of(1, 30));
  std::unique_ptr<OperatorPages> pages;

  Pages() {
    auto store = Store::open(fixture.store_path());
    REQUIRE_OK(store);
    auto logger =
        std::make_shared<spdlog::logger>("web", std::make_shared<spdlog::sinks::null_sink_mt>());
    pages = std::make_unique<OperatorPages>(
        fixture.config, std::move(*store), [this] { return now; }, logger);
  }

  slack::WebResponse get(std::string_view path, const std::string& method = "GET") {
    return pages->handle(slack::WebRequest{method, std::string(path), "", "", ""});
  }
};

// The value of the sample `name{labels}` in an exposition; -1 when it is not there.
double sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

}  // namespace

TEST_CASE("/healthz is 200 when the latest announcement was processed in time", "[operator]") {
  Pages pages;
  auto ok = pages.get(kHealthPath);
  CHECK(ok.status == 200);
  CHECK(ok.content_type.starts_with("text/plain"));
  CHECK_THAT(ok.body, Contains("ok: the announcement of 2025-01-29 is processed"));

  // Still fine before the next run's grace has passed: Thursday 30 is due 06:00 UTC.
  pages.now = at_midnight(day_of(1, 30)) + std::chrono::hours(11);
  CHECK(pages.get(kHealthPath).status == 200);
}

TEST_CASE("/healthz is 503 with the reason when announcements are missing", "[operator]") {
  Pages pages;
  // Saturday: Thursday's and Friday's announcements were never processed.
  pages.now = at_midnight(day_of(2, 1));
  auto missing = pages.get(kHealthPath);
  CHECK(missing.status == 503);
  CHECK_THAT(missing.body, Contains("the announcement of 2025-01-31 is not processed"));
  CHECK_THAT(missing.body, Contains("2 announcement(s) in a row are missing"));

  // Processed late through the catch-up: healthy again.
  for (Date day : {day_of(1, 30), day_of(1, 31)}) {
    REQUIRE_OK(pages.fixture.store->save_day(DayRecord{day, "done", true, 0, ""}));
  }
  CHECK(pages.get(kHealthPath).status == 200);
}

TEST_CASE("/healthz is 503 when an audience's latest run failed", "[operator]") {
  Pages pages;
  auto run = pages.fixture.store->find_run(day_of(1, 29), kPapers);
  REQUIRE_OK(run);
  RunRecord failed = **run;
  failed.status = "failed";
  REQUIRE_OK(pages.fixture.store->save_run(failed));
  auto response = pages.get(kHealthPath);
  CHECK(response.status == 503);
  CHECK_THAT(response.body, Contains("the latest run of slack:C0PAPERS, for 2025-01-29, failed"));
}

TEST_CASE("/metrics follows the text exposition format", "[operator][metrics]") {
  Pages pages;
  auto response = pages.get(kMetricsPath);
  REQUIRE(response.status == 200);
  CHECK(response.content_type == kMetricsContentType);
  const std::string& text = response.body;

  // Every line is a comment (HELP or TYPE) or a sample; each family has HELP then TYPE once.
  const std::regex kSample(R"re([a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+]+)re");
  const std::regex kHelp(R"re(# HELP [a-z_]+ .+)re");
  const std::regex kType(R"re(# TYPE [a-z_]+ (counter|gauge))re");
  std::istringstream lines(text);
  int families = 0;
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    if (line.starts_with("# HELP")) {
      ++families;
      CHECK(std::regex_match(line, kHelp));
    } else if (line.starts_with("# TYPE")) {
      CHECK(std::regex_match(line, kType));
    } else {
      CHECK(std::regex_match(line, kSample));
    }
  }
  CHECK(families >= 8);
  CHECK(text.ends_with("\n"));
  CHECK(sample(text, "paperbot_healthy") == 1);
  CHECK(sample(text, R"(paperbot_runs{audience="slack:C0PAPERS",status="done"})") == 1);
  CHECK(sample(text, R"(paperbot_run_papers{audience="slack:C0PAPERS",stage="fetched"})") == 14);
  CHECK(sample(text, R"(paperbot_run_papers{audience="slack:C0PAPERS",stage="scored"})") == 12);
  CHECK(sample(text, R"(paperbot_llm_tokens_total{scorer="llm:test",kind="prompt"})") == 1200);
  CHECK(sample(text, R"(paperbot_llm_cost_dollars_total{scorer="llm:test"})") == 0.75);
  CHECK(sample(text, R"(paperbot_deliveries{audience="slack:C0PAPERS",channel="slack",)"
                     R"(status="pending"})") == 2);
  CHECK(sample(text, R"(paperbot_deliveries{audience="email:ml",channel="email",)"
                     R"(status="pending"})") == 1);
  CHECK(sample(text, R"(paperbot_feedback_votes{audience="slack:C0PAPERS",vote="up"})") == 3);
  CHECK(sample(text, R"(paperbot_feedback_votes{audience="slack:C0PAPERS",vote="down"})") == 1);
  CHECK(sample(text, R"(paperbot_cutoff{audience="slack:C0PAPERS",score="relevance"})") == 6);
  CHECK(sample(text, R"(paperbot_cutoff{audience="files",score="relevance"})") == 5);
  CHECK(sample(text, R"(paperbot_cutoff{audience="files",score="novelty"})") == 4);
  // No reader's address leaves the store.
  CHECK(text.find("reader@example.org") == std::string::npos);
}

TEST_CASE("label values escape backslash, quote and line feed", "[operator][metrics]") {
  CHECK(escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  StoreTotals totals;
  totals.runs.push_back({"odd\"name", "done", 2});
  const std::string text = metrics_text(totals, {}, false);
  CHECK_THAT(text, Contains("paperbot_runs{audience=\"odd\\\"name\",status=\"done\"} 2\n"));
  CHECK_THAT(text, Contains("paperbot_healthy 0\n"));
}

TEST_CASE("the page shows each audience's digest, charts and numbers, escaped", "[operator]") {
  Pages pages;
  auto page = pages.get(kDashboardPath);
  REQUIRE(page.status == 200);
  const std::string& html = page.body;
  CHECK(html.find("<script") == std::string::npos);
  CHECK_THAT(html, Contains("Paper &lt;0&gt; &amp; co"));
  CHECK(html.find("Paper <0>") == std::string::npos);
  CHECK_THAT(html, Contains("Latest run: 2025-01-29, done; 14 listed, 12 scored, 3 selected."));
  CHECK_THAT(html, Contains("<svg class=\"score-chart\""));
  CHECK_THAT(html, Contains("<svg class=\"cutoff-chart\""));
  CHECK_THAT(html, Contains("relevance ≥ 6"));
  CHECK_THAT(html, Contains("<span class=\"posted\">3 posted</span>"));
  CHECK_THAT(html, Contains("2 just below the bar"));
  CHECK_THAT(html, Contains("too few 👍 &lt;below&gt;"));
  // The output folder has no run yet.
  CHECK_THAT(html, Contains("No run yet. Cutoffs: relevance ≥ 5, novelty ≥ 4."));
}

TEST_CASE("the pages answer GET and HEAD only", "[operator]") {
  Pages pages;
  CHECK(pages.get(kHealthPath, "HEAD").status == 200);
  CHECK(pages.get(kMetricsPath, "POST").status == 405);
  CHECK(OperatorPages::serves("/"));
  CHECK_FALSE(OperatorPages::serves("/email/upvote"));
}
