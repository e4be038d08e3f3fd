// Proof that the cutoffs learn: a synthetic audience with a hidden cutoff on RELEVANCE sees real
// papers (the day feeds of ../shared/data/arxiv/days, scored by the offline scorer, one day after
// another, the five feeds in turn) and reacts with noise: a 👍 on half the papers at or above its
// cutoff, on one in twenty below it, a 👎 on one in twenty below it, and silence otherwise. Each
// day runs as the daemon runs it: the learner tunes the cutoffs, the digest and the papers just
// below the bar are shown, and the reactions are stored as feedback.
//
// The learning curves go to artifacts/cutoff_learning.csv in the build tree (bench/README.md).
#include "core/config/config.hpp"
#include "core/digest/digest_run.hpp"
#include "core/feed/feed_parser.hpp"
#include "core/feedback/tuning.hpp"
#include "core/store/store.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

using namespace paperbot;
using namespace std::chrono_literals;

namespace {

constexpr int kDays = 15;
constexpr int kHidden = 5;  // the audience's hidden relevance cutoff
constexpr Date kFirstDay{std::chrono::year{2025}, std::chrono::month{3}, std::chrono::day{3}};
const char* const kFeeds[] = {
    "arxiv/days/2025-01-28.cs.LG+cs.AI.rss.xml",
    "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml",
    "arxiv/days/2025-06-03.cs.CL+cs.CV+cs.MM+cs.LG+cs.SI.rss.xml",
    "arxiv/days/2025-06-03.cs.SD+eess.AS.rss.xml",
    "arxiv/days/2026-04-21.cs.CV.rss.xml",
};

enum class Reactions { kNoisy, kNone, kNoisyWithDownvoteBurst };

struct Simulation {
  std::vector<Feed> feeds;
  testing::TempDir dir;
  std::shared_ptr<spdlog::logger> logger =
      std::make_shared<spdlog::logger>("sim", std::make_shared<spdlog::sinks::null_sink_mt>());

  static Config base_config() {
    Config config = default_config();
    config.paperbot.top_n.reset();  // the cutoffs alone decide what is posted
    config.selection.run_author_match = false;
    config.feedback.relevance_min = 1;
    config.feedback.relevance_max = 10;
    config.feedback.novelty_min = 1;
    config.feedback.novelty_max = 10;
    return config;
  }

  // Relevance cutoff after each day, starting from `start`.
  std::vector<int> run(const std::string& name, int start, Reactions reactions, unsigned seed = 7) {
    auto store = Store::open(dir.path() / (name + ".db"));
    REQUIRE(store.has_value());
    Config config = base_config();
    const std::string audience = "slack:CSIM";
    feedback::Cutoffs cutoffs{start, 1};  // novelty at its floor: the audience ignores it
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> chance(0, 1);
    std::vector<int> curve;

    for (int day = 0; day < kDays; ++day) {
      const Date date{std::chrono::sys_days(kFirstDay) + std::chrono::days(day)};
      const auto now = std::chrono::sys_days(date) + 7h;
      auto tuned = feedback::tune(**store, audience, cutoffs, config.feedback, date, now);
      REQUIRE(tuned.has_value());
      if (*tuned) {
        const feedback::Decision& decision = **tuned;
        CHECK(std::abs(decision.after.relevance - decision.before.relevance) <= 1);
        CHECK(std::abs(decision.after.novelty - decision.before.novelty) <= 1);
        cutoffs = decision.after;
      }
      curve.push_back(cutoffs.relevance);

      Feed feed = feeds[static_cast<std::size_t>(day) % feeds.size()];
      feed.announced = date;
      config.filtering.categories = feed.channels;
      config.filtering.relevance_cutoff = cutoffs.relevance;
      config.filtering.novelty_cutoff = cutoffs.novelty;
      DigestRun run(config, **store, nullptr, logger);
      DigestOptions options;
      options.audience = audience;
      options.write_files = false;
      options.force = true;
      options.explore = config.feedback.explore;
      auto report = run.run_parsed(feed, "simulated day " + std::to_string(day), options);
      REQUIRE(report.has_value());
      auto shown = feedback::shown_papers(audience, report->digest);
      REQUIRE((*store)->record_exposures(shown).has_value());

      for (const Exposure& exposure : shown) {
        if (reactions == Reactions::kNone) break;
        const double draw = chance(random);
        int vote = 0;
        if (exposure.relevance >= kHidden) {
          vote = draw < 0.5 ? 1 : 0;
        } else {
          vote = draw < 0.05 ? 1 : draw < 0.10 ? -1 : 0;
        }
        const std::string person = "reader-" + std::to_string(day);
        if (vote != 0) {
          Feedback feedback{audience, exposure.paper_id, date, person, vote, "slack"};
          REQUIRE((*store)->record_feedback(feedback, now).has_value());
        }
        // One person, one afternoon: a 👎 on every paper shown.
        if (reactions == Reactions::kNoisyWithDownvoteBurst && day == 9) {
          Feedback burst{audience, exposure.paper_id, date, "U0GRUMPY", -1, "slack"};
          REQUIRE((*store)->record_feedback(burst, now).has_value());
        }
      }
    }
    return curve;
  }
};

std::string joined(const std::vector<int>& values) {
  std::string text;
  for (int value : values) text += (text.empty() ? "" : ",") + std::to_string(value);
  return text;
}

}  // namespace

TEST_CASE("a simulated audience teaches the relevance cutoff in 15 days") {
  Simulation simulation;
  for (const char* relative : kFeeds) {
    PAPERBOT_SHARED_DATA_FILE(path, relative);
    auto feed = parse_feed(testing::read_file(path), path.string());
    REQUIRE(feed.has_value());
    simulation.feeds.push_back(std::move(*feed));
  }

  const auto from_above = simulation.run("above", kHidden + 3, Reactions::kNoisy);
  const auto from_below = simulation.run("below", kHidden - 3, Reactions::kNoisy);
  const auto silent = simulation.run("silent", kHidden + 3, Reactions::kNone);
  const auto burst = simulation.run("burst", kHidden, Reactions::kNoisyWithDownvoteBurst);

  const std::filesystem::path artifact = PAPERBOT_LEARNING_ARTIFACT;
  std::filesystem::create_directories(artifact.parent_path());
  std::ofstream csv(artifact);
  csv << "scenario,relevance cutoff before each day 1.." << kDays << "\n";
  csv << "from above," << joined(from_above) << "\nfrom below," << joined(from_below)
      << "\nno reactions," << joined(silent) << "\ndownvote burst on day 10," << joined(burst)
      << "\n";
  INFO("hidden cutoff " << kHidden << "; curves in " << artifact.string());
  INFO("from above: " << joined(from_above));
  INFO("from below: " << joined(from_below));
  INFO("burst: " << joined(burst));

  CHECK(std::abs(from_above.back() - kHidden) <= 1);
  CHECK(std::abs(from_below.back() - kHidden) <= 1);
  // It moved down from above and up from below, never more than a point a day (checked in run).
  CHECK(from_above.back() < from_above.front());
  CHECK(from_below.back() > from_below.front());
  // Silence is not dislike: no reaction, no move.
  CHECK(silent == std::vector<int>(kDays, kHidden + 3));
  // One person's 👎 on everything moves the bar a point a day at most and not far: it is back
  // within a point of the audience's cutoff by the end.
  for (std::size_t day = 1; day < burst.size(); ++day) {
    CHECK(std::abs(burst[day] - burst[day - 1]) <= 1);
  }
  CHECK(std::abs(burst.back() - kHidden) <= 1);
}
