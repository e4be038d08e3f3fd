// The daemon's page at "/" as a browser shows it: the page of a real store rendered by headless
// Chromium, its screenshot kept as a build artifact for a person to look at, and its DOM read back
// to check the charts and the numbers they show.
#include "bot/operator_pages.hpp"
#include "tests/support/chromium.hpp"
#include "tests/support/operator_fixture.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <regex>

using namespace paperbot;
using namespace paperbot::testing;

namespace {

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

}  // namespace

TEST_CASE("Chromium renders the page with both charts, the cutoffs and the counts",
          "[operator][render]") {
  if (!chromium_available()) return;
  OperatorFixture fixture;
  auto store = Store::open(fixture.store_path());
  REQUIRE_OK(store);
  auto logger =
      std::make_shared<spdlog::logger>("web", std::make_shared<spdlog::sinks::null_sink_mt>());
  OperatorPages pages(
      fixture.config, std::move(*store), [] { return at_midnight(day_of(1, 30)); }, logger);
  auto response = pages.handle(slack::WebRequest{"GET", "/", "", "", ""});
  REQUIRE(response.status == 200);
  const auto page = fixture.dir.path() / "dashboard.html";
  std::ofstream(page, std::ios::binary) << response.body;

  // The screenshot stays in the build tree after the test, for a person to look at.
  const std::filesystem::path screenshot = PAPERBOT_DASHBOARD_ARTIFACT;
  std::filesystem::create_directories(screenshot.parent_path());
  std::filesystem::remove(screenshot);
  run_chromium(page, {"--window-size=1000,1600", "--screenshot=" + screenshot.string()},
               fixture.dir.path());
  INFO("screenshot: " << screenshot.string());
  CHECK(std::filesystem::file_size(screenshot) > 10000);

  // The DOM after parsing: the SVG survived as elements, with their marks and the numbers.
  const std::string dom = run_chromium(page, {"--dump-dom"}, fixture.dir.path());
  REQUIRE_FALSE(dom.empty());
  // Two charts for the channel, the cutoff chart for the output folder, which has no run yet.
  CHECK(count_of(dom, "<svg class=\"score-chart\"") == 1);
  CHECK(count_of(dom, "<svg class=\"cutoff-chart\"") == 2);
  CHECK(count_of(dom, "<line class=\"cutoff\"") == 2);
  // Three posted papers in three cells, two just below in two, one move of the cutoffs.
  CHECK(count_of(dom, "<circle class=\"posted\"") == 3);
  CHECK(count_of(dom, "<circle class=\"below\"") == 2);
  CHECK(count_of(dom, "<circle class=\"move\"") == 1);
  CHECK(dom.find("relevance ≥ 6") != std::string::npos);
  CHECK(dom.find("novelty ≥ 4") != std::string::npos);
  CHECK(dom.find("<span class=\"scored-count\">12</span> papers scored") != std::string::npos);
  CHECK(dom.find(">▲2</text>") != std::string::npos);
  CHECK(dom.find(">▼1</text>") != std::string::npos);
  CHECK(dom.find("👍 3 · 👎 1") != std::string::npos);
  CHECK(dom.find("Paper &lt;0&gt; &amp; co") != std::string::npos);
}
