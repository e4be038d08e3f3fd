#include "core/llm/pricing.hpp"

namespace paperbot {

PriceTable default_prices() {
  // Dollars per million tokens: prompt, completion, cached prompt.
  return {
      {"gpt-4o", {2.50, 10.00, 1.25}},
      {"gpt-4o-mini", {0.15, 0.60, 0.075}},
      {"gpt-4.1", {2.00, 8.00, 0.50}},
      {"gpt-4.1-mini", {0.40, 1.60, 0.10}},
      {"gpt-4.1-nano", {0.10, 0.40, 0.025}},
      {"gpt-4-turbo", {10.00, 30.00, std::nullopt}},
      {"gpt-3.5-turbo", {0.50, 1.50, std::nullopt}},
      {"o3-mini", {1.10, 4.40, 0.55}},
      {"o4-mini", {1.10, 4.40, 0.275}},
      {"gpt-5", {1.25, 10.00, 0.125}},
      {"gpt-5-mini", {0.25, 2.00, 0.025}},
      {"gpt-5-nano", {0.05, 0.40, 0.005}},
  };
}

std::optional<ModelPrice> find_price(const PriceTable& table, const std::string& model) {
  if (auto exact = table.find(model); exact != table.end()) return exact->second;
  std::optional<ModelPrice> best;
  std::size_t best_length = 0;
  for (const auto& [name, price] : table) {
    // A dated snapshot: the name, then "-" and the rest.
    bool prefixes = model.size() > name.size() && model.compare(0, name.size(), name) == 0 &&
                    model[name.size()] == '-';
    if (prefixes && name.size() > best_length) {
      best = price;
      best_length = name.size();
    }
  }
  return best;
}

void apply_price(Usage& usage, const std::optional<ModelPrice>& price) {
  if (!price) {
    usage.prompt_cost.reset();
    usage.completion_cost.reset();
    return;
  }
  double cached_rate = price->cached_prompt_per_million.value_or(price->prompt_per_million);
  auto uncached = static_cast<double>(usage.prompt_tokens - usage.cached_prompt_tokens);
  usage.prompt_cost = (uncached * price->prompt_per_million +
                       static_cast<double>(usage.cached_prompt_tokens) * cached_rate) /
                      1e6;
  usage.completion_cost =
      static_cast<double>(usage.completion_tokens) * price->completion_per_million / 1e6;
}

}  // namespace paperbot
