// Prices of models, in dollars per million tokens, and the cost of what a run used.
#pragma once

#include "core/common/digest.hpp"
#include "core/common/price.hpp"

#include <map>
#include <optional>
#include <string>

namespace paperbot {

// List prices of common OpenAI models. Config entries override and extend them.
PriceTable default_prices();

// The price of `model`: an exact entry, else the longest entry that prefixes it
// ("gpt-4o-2024-08-06" is priced as "gpt-4o"). Nothing for an unknown model.
std::optional<ModelPrice> find_price(const PriceTable& table, const std::string& model);

// Fills usage.prompt_cost and usage.completion_cost from its tokens; leaves them empty when the
// price is unknown.
void apply_price(Usage& usage, const std::optional<ModelPrice>& price);

}  // namespace paperbot
