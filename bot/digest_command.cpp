#include "bot/digest_command.hpp"

#include "adapters/arxiv/arxiv_client.hpp"
#include "adapters/scholar/scholar_client.hpp"
#include "bot/clients.hpp"
#include "bot/exit_codes.hpp"
#include "bot/logging.hpp"
#include "bot/scorer_setup.hpp"
#include "core/common/text.hpp"
#include "core/config/config.hpp"
#include "core/digest/digest_run.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace paperbot {
namespace {

Result<Config> load_configuration(const DigestCommandOptions& options) {
  if (!options.config_dir) return default_config();
  return load_config(*options.config_dir);
}

Result<FetchedFeed> read_feed_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("read feed", "cannot open " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return make_error("read feed", "cannot read " + path.string());
  FetchedFeed feed;
  feed.source = path.string();
  feed.body = std::move(bytes).str();
  return feed;
}

// A progress line while scoring: rewritten in place on a terminal, a few log lines otherwise.
ScoringProgress make_progress(std::shared_ptr<spdlog::logger> logger) {
  bool terminal = isatty(STDERR_FILENO) != 0;
  auto last_quarter = std::make_shared<int>(-1);
  return [terminal, logger, last_quarter](int done, int total, double dollars) {
    if (terminal) {
      std::fprintf(stderr, "\rscoring: %d/%d papers, $%.2f spent%s", done, total, dollars,
                   done == total ? "\n" : "");
      return;
    }
    int quarter = total == 0 ? 4 : done * 4 / total;
    if (quarter != *last_quarter) {
      *last_quarter = quarter;
      logger->info("scoring: {}/{} papers, ${:.2f} spent", done, total, dollars);
    }
  };
}

int exit_code_for(RunFailure failure) {
  switch (failure) {
    case RunFailure::kMalformedFeed:
    case RunFailure::kWrongDay: return kExitBadFeed;
    case RunFailure::kStore: return kExitStore;
    case RunFailure::kScoring: return kExitScoring;
    case RunFailure::kOutput: return kExitOutput;
  }
  return kExitOutput;
}

void print_counts(const DigestReport& report, spdlog::logger& logger) {
  const RunCounts& counts = report.counts;
  for (const auto& [category, count] : counts.per_category) {
    logger.info("listed in {}: {}", category, count);
  }
  logger.info("fetched {}, unique {}, kept {}, scored {} ({} from the cache), unscored {}",
              counts.fetched, counts.unique, counts.kept, counts.scored, counts.cached,
              counts.unscored);
  for (const auto& [reason, count] : counts.dropped) {
    logger.info("dropped {}: {}", count, reason);
  }
}

}  // namespace

int run_digest_command(const DigestCommandOptions& options) {
  auto logger = component_logger("digest");

  // Configuration first: every error in it stops the run before anything is fetched.
  auto config = load_configuration(options);
  if (!config) {
    logger->error("{}", config.error().to_string());
    return kExitConfig;
  }
  for (const auto& notice : config->notices) {
    if (notice.line > 0) {
      logger->warn("{}:{}: {}", notice.file, notice.line, notice.message);
    } else {
      logger->warn("{}: {}", notice.file, notice.message);
    }
  }
  std::optional<Date> date;
  if (options.date) {
    date = parse_iso_date(*options.date);
    if (!date) {
      logger->error("--date {}: expected a date like 2025-01-29", *options.date);
      return kExitUsage;
    }
  }
  auto api_key = llm_api_key_from_environment();
  if (!api_key) {
    logger->error("{}", api_key.error().to_string());
    return kExitConfig;
  }
  auto choice = choose_scorer(options.scorer.value_or(config->paperbot.scorer), *api_key);
  if (!choice) {
    logger->error("{}", choice.error().to_string());
    return kExitUsage;
  }
  logger->info("{}", choice->reason);
  if (choice->use_llm && api_key->empty()) {
    logger->warn(
        "no API key is set (OPENAI_API_KEY, OAI_KEY or OPENAI_API_KEY_FILE): requests "
        "go without one, which only local servers accept");
  }

  auto store_path = options.store_path.value_or(config->paperbot.store_path);
  auto store = Store::open(store_path);
  if (!store) {
    logger->error("{}", store.error().to_string());
    return kExitStore;
  }

  // The feed: a saved file, or the day feed of the followed categories.
  FetchedFeed feed;
  std::string feed_url;
  if (options.feed_file) {
    auto read = read_feed_file(*options.feed_file);
    if (!read) {
      logger->error("{}", read.error().to_string());
      return kExitFetch;
    }
    feed = std::move(*read);
  } else {
    ArxivClientOptions client_options = arxiv_client_options(*config);
    ArxivClient client(client_options);
    feed_url = client_options.feed_base_url + join(config->filtering.categories, "+");
    auto validators = (*store)->http_validators(feed_url);
    if (!validators) {
      logger->error("{}", validators.error().to_string());
      return kExitStore;
    }
    // A forced run fetches the whole feed again rather than asking whether it changed.
    auto fetched = client.fetch_day_feed(config->filtering.categories,
                                         options.force ? HttpValidators{} : *validators);
    if (!fetched) {
      logger->error("{}", fetched.error().to_string());
      logger->error("without a network, give a saved feed: paperbot digest --feed FILE");
      return kExitFetch;
    }
    feed = std::move(*fetched);
  }

  DigestOptions digest_options;
  digest_options.expected_date = date;
  digest_options.out_dir = options.out_dir.value_or(config->output.output_path);
  digest_options.force = options.force;
  digest_options.rescore_replacements = options.rescore_replacements;
  digest_options.progress = make_progress(logger);

  auto make_scorer = scorer_factory_for_today(*config, *choice, *api_key, **store);
  if (!make_scorer) {
    logger->error("{}", make_scorer.error().to_string());
    return kExitStore;
  }
  DigestRun run(*config, **store, *make_scorer, logger);

  // The h-index filter asks Semantic Scholar; without it no paper is dropped for its authors.
  std::unique_ptr<ScholarClient> scholar = scholar_client(*config);
  if (scholar) run.set_author_index(scholar.get());
  auto report = run.run(feed, digest_options);
  if (!report) {
    logger->error("{}", report.error().error.to_string());
    return exit_code_for(report.error().failure);
  }

  // Remember the feed's validators only once its announcement is safely processed.
  if (!feed_url.empty() && report->outcome != RunOutcome::kNotModified) {
    if (auto saved = (*store)->save_http_validators(feed_url, feed.validators); !saved) {
      logger->warn("{}", saved.error().to_string());
    }
  }

  if (report->outcome == RunOutcome::kPublished) {
    print_counts(*report, *logger);
    for (const auto& file : report->files) logger->info("wrote {}", file.string());
  }
  std::printf("%s\n", report->message.c_str());
  return kExitOk;
}

}  // namespace paperbot
