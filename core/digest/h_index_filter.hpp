// The optional author h-index filter of the reference: a paper is dropped when the best (highest)
// Semantic Scholar h-index among its authors is known and below [FILTERING] h_cutoff. A paper
// whose best author reaches the cutoff (h >= h_cutoff) is kept, and so is every paper whose
// h-index is unknown or could not be looked up: a lookup that fails never costs a paper.
#pragma once

#include "core/common/paper.hpp"
#include "core/common/result.hpp"
#include "core/digest/author_index_source.hpp"
#include "core/store/store.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace paperbot {

struct HIndexFilterResult {
  std::vector<Paper> kept;           // in the order given
  std::vector<std::string> dropped;  // ids of the papers dropped, in the order given
};

// Filters `papers` (the caller leaves out those of followed authors, which are never filtered).
// The h-indices come from the store's cache when they were looked up less than
// Store::kHIndexMaxAge before `now`; the rest are asked of `source` in one call, and its answers
// are saved with `now`. A failing source keeps every paper it was asked about and is logged once,
// as a warning, on `logger`. The only error is a store failure. With `h_cutoff` <= 0 no paper can
// be dropped, so nothing is looked up.
Result<HIndexFilterResult> filter_by_h_index(std::vector<Paper> papers, int h_cutoff,
                                             AuthorIndexSource& source, Store& store,
                                             spdlog::logger& logger, std::chrono::sys_seconds now);

}  // namespace paperbot
