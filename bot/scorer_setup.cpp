#include "bot/scorer_setup.hpp"

#include "adapters/llm/openai_transport.hpp"
#include "bot/logging.hpp"
#include "bot/secrets.hpp"
#include "core/common/text.hpp"
#include "core/llm/llm_scorer.hpp"
#include "core/llm/pricing.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace paperbot {
namespace {

// The transport and the scorer it serves, owned together for one run.
class LlmScorerBundle final : public Scorer {
 public:
  LlmScorerBundle(OpenAiTransportOptions transport_options, LlmScorerOptions options,
                  Scorer& fallback)
      : transport_(std::move(transport_options), component_logger("llm")),
        scorer_(transport_, std::move(options), &fallback, component_logger("llm")) {}

  std::string name() const override { return scorer_.name(); }
  Result<ScoringResult> score(const Criteria& criteria, const std::vector<Paper>& papers,
                              const ScoringProgress& progress) override {
    return scorer_.score(criteria, papers, progress);
  }

 private:
  OpenAiTransport transport_;
  LlmScorer scorer_;
};

}  // namespace

Result<std::string> llm_api_key_from_environment() {
  auto key = secret_from_environment("OPENAI_API_KEY");
  if (!key || !key->empty()) return key;
  return secret_from_environment("OAI_KEY");
}

Result<ScorerChoice> choose_scorer(const std::string& choice, const std::string& api_key) {
  if (choice == "offline") return ScorerChoice{false, "the offline scorer was asked for"};
  if (choice == "llm") return ScorerChoice{true, "the LLM scorer was asked for"};
  if (choice == "auto") {
    if (api_key.empty()) {
      return ScorerChoice{false, "no LLM API key is set (OPENAI_API_KEY): offline scorer"};
    }
    return ScorerChoice{true, "an LLM API key is set: LLM scorer"};
  }
  return make_error("choose the scorer", "'" + choice + "': expected offline, llm or auto");
}

ScorerFactory llm_scorer_factory(const Config& config, std::string api_key, double spent_dollars,
                                 std::int64_t spent_tokens) {
  OpenAiTransportOptions transport;
  transport.base_url = config.llm.base_url;
  transport.api_style = config.llm.api_style;
  transport.api_version = config.llm.api_version;
  transport.api_key = std::move(api_key);
  transport.model = config.selection.model;
  transport.temperature = config.llm.temperature;
  transport.seed = config.llm.seed;
  transport.timeout = std::chrono::seconds(config.llm.timeout_seconds);
  transport.max_in_flight = config.llm.max_in_flight;
  transport.requests_per_minute = config.llm.requests_per_minute;
  transport.tokens_per_minute = config.llm.tokens_per_minute;
  transport.max_retries = config.llm.max_retries;

  PriceTable prices = default_prices();
  for (const auto& [model, price] : config.llm.prices) prices[model] = price;

  LlmScorerOptions options;
  options.model = config.selection.model;
  options.title_batch_size = config.selection.title_batch_size;
  options.abstract_batch_size = config.selection.abstract_batch_size;
  options.adaptive_batch_size = config.selection.adaptive_batch_size;
  options.adaptive_threshold = config.selection.adaptive_threshold;
  options.title_filter = config.llm.title_filter;
  options.max_attempts = config.llm.max_attempts;
  options.price = find_price(prices, options.model);
  if (config.llm.daily_budget_dollars) {
    options.budget_dollars = std::max(0.0, *config.llm.daily_budget_dollars - spent_dollars);
  }
  if (config.llm.daily_budget_tokens) {
    options.budget_tokens =
        std::max<std::int64_t>(0, *config.llm.daily_budget_tokens - spent_tokens);
  }
  if (!options.price) {
    component_logger("llm")->warn("no price is known for model {}: its cost is unknown",
                                  options.model);
  }

  return [transport, options](Scorer& offline) -> std::unique_ptr<Scorer> {
    return std::make_unique<LlmScorerBundle>(transport, options, offline);
  };
}

Result<ScorerFactory> scorer_factory_for_today(const Config& config, const ScorerChoice& choice,
                                               const std::string& api_key, Store& store) {
  if (!choice.use_llm) return ScorerFactory{};
  // The daily budget is per UTC day, less what earlier runs of the day spent.
  auto today = Date{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  auto spent = store.spent_on(today);
  if (!spent) return spent.error();
  return llm_scorer_factory(config, api_key, spent->dollars, spent->tokens);
}

}  // namespace paperbot
