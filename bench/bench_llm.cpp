// The LLM scorer's throughput against a fake OpenAI-compatible server on loopback with a fixed
// latency per call, at the reference's batch sizes; and the prompt tokens it spends per paper.
//
//   bench_llm throughput DATA_DIR [LATENCY_MS]   1,000 real records, 300 ms a call by default
//   bench_llm tokens DATA_DIR                    the 2025-01-29 day with that day's config
#include "adapters/llm/openai_transport.hpp"
#include "bench/bench_support.hpp"
#include "core/config/config.hpp"
#include "core/feed/feed_parser.hpp"
#include "core/llm/llm_scorer.hpp"
#include "tests/support/fake_openai.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace {

using paperbot::bench::check;
using paperbot::bench::parse_file;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

paperbot::LlmScorerOptions reference_options(const paperbot::Config& config) {
  paperbot::LlmScorerOptions options;
  options.model = config.selection.model;
  options.title_batch_size = config.selection.title_batch_size;
  options.abstract_batch_size = config.selection.abstract_batch_size;
  options.adaptive_batch_size = config.selection.adaptive_batch_size;
  options.adaptive_threshold = config.selection.adaptive_threshold;
  return options;
}

struct Outcome {
  double seconds = 0;
  int calls = 0;
  std::int64_t prompt_tokens = 0;
  std::size_t scored = 0;
};

Outcome score_through_fake(const paperbot::Config& config,
                           const std::vector<paperbot::Paper>& papers,
                           std::chrono::milliseconds latency, int concurrency) {
  paperbot::testing::FakeOpenAi server(latency);
  paperbot::OpenAiTransportOptions transport_options;
  transport_options.base_url = server.base_url();
  transport_options.api_key = "bench";
  transport_options.max_in_flight = concurrency;
  auto logger =
      std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
  paperbot::OpenAiTransport transport(transport_options, logger);
  paperbot::LlmScorer scorer(transport, reference_options(config), nullptr, logger);

  auto start = Clock::now();
  auto result = check(scorer.score(config.criteria, papers, {}));
  Outcome outcome;
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  outcome.calls = server.requests();
  outcome.prompt_tokens = result.usage.prompt_tokens;
  outcome.scored = result.scores.size();
  return outcome;
}

int bench_throughput(const fs::path& data, std::chrono::milliseconds latency) {
  auto config = check(paperbot::load_config(data / "gpa/config-2025-01-29"));
  auto feed = parse_file(data / "arxiv/oai-pmh/oai-pmh_ListRecords_arXiv_set-cs_2016_part84.xml");
  feed.papers.resize(std::min<std::size_t>(feed.papers.size(), 1000));

  for (int concurrency : {1, 4, 8}) {
    auto outcome = score_through_fake(config, feed.papers, latency, concurrency);
    double per_call = static_cast<double>(latency.count()) / 1000.0;
    double sequential = outcome.calls * per_call;
    double ideal = static_cast<double>(outcome.calls) / concurrency * per_call;
    std::printf(
        "%zu papers, %d in flight: %d calls, %.2f s wall; sequential %.2f s, ideal %.2f s "
        "(%.2fx ideal, %.1fx faster than sequential)\n",
        outcome.scored, concurrency, outcome.calls, outcome.seconds, sequential, ideal,
        outcome.seconds / ideal, sequential / outcome.seconds);
  }
  return 0;
}

int bench_tokens(const fs::path& data) {
  auto config = check(paperbot::load_config(data / "gpa/config-2025-01-29"));
  auto feed = parse_file(data / "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  auto outcome = score_through_fake(config, feed.papers, std::chrono::milliseconds(0), 4);
  std::printf(
      "2025-01-29: %zu papers, %d calls, %lld prompt tokens, %.0f per paper "
      "(the fake's title stage drops none)\n",
      feed.papers.size(), outcome.calls, static_cast<long long>(outcome.prompt_tokens),
      static_cast<double>(outcome.prompt_tokens) / static_cast<double>(feed.papers.size()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_llm throughput|tokens DATA_DIR [LATENCY_MS]\n");
    return 2;
  }
  std::string mode = argv[1];
  fs::path data = argv[2];
  std::chrono::milliseconds latency(argc > 3 ? std::atoi(argv[3]) : 300);
  if (mode == "throughput") return bench_throughput(data, latency);
  if (mode == "tokens") return bench_tokens(data);
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
