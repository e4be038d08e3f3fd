#include "bot/clients.hpp"

#include "bot/logging.hpp"
#include "bot/secrets.hpp"

#include <spdlog/spdlog.h>

namespace paperbot {

ArxivClientOptions arxiv_client_options(const Config& config) {
  ArxivClientOptions options;
  options.feed_base_url = config.paperbot.arxiv_feed_url;
  options.api_base_url = config.paperbot.arxiv_api_url;
  options.timeout = std::chrono::seconds(config.paperbot.arxiv_timeout_seconds);
  options.max_retries = config.paperbot.arxiv_retries;
  options.min_interval = std::chrono::milliseconds(
      static_cast<long>(config.paperbot.arxiv_min_interval_seconds * 1000));
  return options;
}

std::unique_ptr<ScholarClient> scholar_client(const Config& config) {
  if (!config.paperbot.h_index_filter) return nullptr;
  ScholarClientOptions options;
  options.base_url = config.paperbot.semantic_scholar_url;
  auto logger = component_logger("scholar");  // registered, so the client logs through the sink
  if (auto key = secret_from_environment("S2_API_KEY"); key) {
    options.api_key = *key;
  } else {
    logger->warn("{}; going on without a Semantic Scholar key", key.error().to_string());
  }
  logger->info("h-index filter on (cutoff {}), Semantic Scholar {} an API key",
               config.filtering.h_cutoff, options.api_key.empty() ? "without" : "with");
  return std::make_unique<ScholarClient>(std::move(options));
}

}  // namespace paperbot
