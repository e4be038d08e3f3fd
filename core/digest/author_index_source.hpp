// Where the authors' h-indices come from, for the optional h-index filter. adapters/scholar asks
// Semantic Scholar; tests use a fake server behind it, or a fake of this interface.
#pragma once

#include "core/common/result.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace paperbot {

class AuthorIndexSource {
 public:
  virtual ~AuthorIndexSource() = default;

  // For each arXiv id (without version, "2501.16396"), the highest h-index among the paper's
  // authors; nullopt when the source does not know the paper or any of its authors' h-indices.
  // An id the source could not answer for is left out of the map. An error means no answer at
  // all (the service could not be reached, or answered with something unreadable).
  virtual Result<std::map<std::string, std::optional<int>>> best_h_index(
      const std::vector<std::string>& arxiv_ids) = 0;
};

}  // namespace paperbot
