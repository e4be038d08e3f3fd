#include "core/digest/h_index_filter.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <optional>
#include <set>
#include <string>

namespace paperbot {

Result<HIndexFilterResult> filter_by_h_index(std::vector<Paper> papers, int h_cutoff,
                                             AuthorIndexSource& source, Store& store,
                                             spdlog::logger& logger, std::chrono::sys_seconds now) {
  HIndexFilterResult result;
  if (h_cutoff <= 0 || papers.empty()) {
    result.kept = std::move(papers);
    return result;
  }

  // Each paper once, even when a combined feed lists it twice.
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const Paper& paper : papers) {
    if (seen.insert(paper.id).second) ids.push_back(paper.id);
  }

  // The cache first: a day run again costs no request.
  auto cached = store.cached_h_indices(ids, now);
  if (!cached) return cached.error();
  std::map<std::string, std::optional<int>> best = std::move(*cached);
  std::vector<std::string> missing;
  for (const std::string& id : ids) {
    if (!best.contains(id)) missing.push_back(id);
  }

  // Only answers are saved, so that a failed lookup is tried again next time.
  bool lookup_failed = false;
  if (!missing.empty()) {
    auto looked_up = source.best_h_index(missing);
    if (!looked_up) {
      lookup_failed = true;
      logger.warn("could not look up the authors' h-indices of {} papers, so they are all kept: {}",
                  missing.size(), looked_up.error().to_string());
    } else {
      if (auto saved = store.save_h_indices(*looked_up, now); !saved) return saved.error();
      best.merge(*looked_up);
    }
  }
  logger.info("h-index filter: {} papers, {} from the cache, {} looked up", ids.size(),
              ids.size() - missing.size(), missing.size());

  int unknown = 0;
  for (Paper& paper : papers) {
    auto found = best.find(paper.id);
    bool known = found != best.end() && found->second.has_value();
    if (known && *found->second < h_cutoff) {
      logger.debug("{} dropped: its authors' best h-index is {}, below {}", paper.id,
                   *found->second, h_cutoff);
      result.dropped.push_back(paper.id);
      continue;
    }
    // Papers of a failed lookup were warned about above, all at once.
    if (!known && (found != best.end() || !lookup_failed)) ++unknown;
    result.kept.push_back(std::move(paper));
  }
  if (unknown > 0) {
    logger.warn("{} papers have no known authors' h-index, so they are kept", unknown);
  }
  return result;
}

}  // namespace paperbot
