// A model's price in dollars per million tokens. Config holds a table of them; the LLM scorer
// turns tokens into dollars with it.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace paperbot {

struct ModelPrice {
  double prompt_per_million = 0;
  double completion_per_million = 0;
  std::optional<double> cached_prompt_per_million;  // none: cached tokens cost the full price

  bool operator==(const ModelPrice&) const = default;
};

using PriceTable = std::map<std::string, ModelPrice>;

}  // namespace paperbot
