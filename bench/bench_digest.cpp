// The whole digest (parse, filter, offline scoring, rank, render, store) on a real announcement
// day and on 10,000 real arXiv records, with wall time and peak memory; and the offline scorer's
// ranking against the papers gpt-4o selected on 2025-01-29.
//
//   bench_digest day DATA_DIR      the 2025-01-29 day feed with that day's config
//   bench_digest scale DATA_DIR    the 10,000 cs records of DATA_DIR/arxiv/oai-pmh
//   bench_digest quality DATA_DIR  how many of gpt-4o's 10 papers the offline top 20 holds
//
// Each mode runs in its own process so that its peak memory is its own.
#include "bench/bench_support.hpp"
#include "core/config/config.hpp"
#include "core/digest/digest_run.hpp"
#include "core/feed/feed_parser.hpp"
#include "core/score/offline_scorer.hpp"
#include "core/store/store.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace {

using paperbot::bench::check;
using paperbot::bench::parse_file;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct TempStore {
  fs::path folder = fs::temp_directory_path() / ("paperbot-bench-" + std::to_string(getpid()));
  TempStore() { fs::create_directories(folder); }
  ~TempStore() { fs::remove_all(folder); }
};

int run_digest(const paperbot::Config& config, paperbot::Feed feed, const char* label,
               Clock::time_point start) {
  TempStore temp;
  auto store = check(paperbot::Store::open(temp.folder / "bench.db"));
  auto logger =
      std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
  paperbot::DigestRun run(config, *store, nullptr, logger);
  paperbot::DigestOptions options;
  options.out_dir = temp.folder / "out";
  auto report = run.run_parsed(std::move(feed), label, options);
  if (!report) {
    std::fprintf(stderr, "%s\n", report.error().error.to_string().c_str());
    return 1;
  }
  std::printf("%s: %d papers, %d selected, %.0f ms wall, %.1f MB peak RSS\n", label,
              report->counts.unique, report->counts.selected, ms_since(start), peak_rss_mb());
  return 0;
}

int bench_day(const fs::path& data) {
  auto start = Clock::now();
  auto config = check(paperbot::load_config(data / "gpa/config-2025-01-29"));
  auto feed = parse_file(data / "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  return run_digest(config, std::move(feed), "day 2025-01-29", start);
}

int bench_scale(const fs::path& data) {
  auto start = Clock::now();
  auto config = check(paperbot::load_config(data / "gpa/config-2025-01-29"));

  // Ten OAI-PMH pages of 1,000 records: one announcement of 10,000 papers.
  paperbot::Feed combined;
  std::vector<fs::path> pages;
  for (const auto& entry : fs::directory_iterator(data / "arxiv/oai-pmh")) {
    pages.push_back(entry.path());
  }
  std::sort(pages.begin(), pages.end());
  std::set<std::string> categories;
  for (const auto& page : pages) {
    auto feed = parse_file(page);
    for (auto& paper : feed.papers) {
      categories.insert(paper.categories.begin(), paper.categories.end());
      combined.papers.push_back(std::move(paper));
    }
  }
  double parse_ms = ms_since(start);
  combined.announced = paperbot::parse_iso_date("2016-03-09");
  config.filtering.categories.assign(categories.begin(), categories.end());
  config.filtering.announce_types = {paperbot::AnnounceType::kNew, paperbot::AnnounceType::kCross,
                                     paperbot::AnnounceType::kReplace,
                                     paperbot::AnnounceType::kReplaceCross};
  std::printf("parsed %zu records from %zu pages in %.0f ms\n", combined.papers.size(),
              pages.size(), parse_ms);
  return run_digest(config, std::move(combined), "10,000 OAI-PMH records", start);
}

int bench_quality(const fs::path& data) {
  auto config = check(paperbot::load_config(data / "gpa/config-2025-01-29"));
  auto day = parse_file(data / "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  auto previous = parse_file(data / "arxiv/days/2025-01-28.cs.LG+cs.AI.rss.xml");
  const std::vector<std::string> selected_by_gpt4o = {
      "2501.16396", "2501.16783", "2501.16650", "2501.16753", "2501.16975",
      "2501.16615", "2501.16337", "2501.16986", "2501.17088", "2501.16817"};

  for (bool with_history : {false, true}) {
    paperbot::OfflineScorer scorer(with_history ? previous.papers : std::vector<paperbot::Paper>{});
    auto result = check(scorer.score(config.criteria, day.papers, {}));

    // Rank all papers by SCORE, ties in feed order, as the digest does.
    std::vector<std::pair<int, std::size_t>> order;
    for (std::size_t k = 0; k < day.papers.size(); ++k) {
      order.emplace_back(-result.scores.at(day.papers[k].id).total(), k);
    }
    std::stable_sort(order.begin(), order.end());
    auto hits_in_top = [&](std::size_t n) {
      int hits = 0;
      for (std::size_t k = 0; k < std::min(n, order.size()); ++k) {
        const auto& id = day.papers[order[k].second].id;
        hits += std::count(selected_by_gpt4o.begin(), selected_by_gpt4o.end(), id) > 0;
      }
      return hits;
    };
    std::printf(
        "%s: gpt-4o's 10 papers in the offline top 10: %d, top 20: %d, top 30: %d "
        "(of %zu)\n",
        with_history ? "with 2025-01-28 as recent papers" : "with an empty store", hits_in_top(10),
        hits_in_top(20), hits_in_top(30), day.papers.size());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench_digest day|scale|quality DATA_DIR\n");
    return 2;
  }
  std::string mode = argv[1];
  fs::path data = argv[2];
  if (mode == "day") return bench_day(data);
  if (mode == "scale") return bench_scale(data);
  if (mode == "quality") return bench_quality(data);
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
