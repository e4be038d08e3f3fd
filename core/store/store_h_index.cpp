// The cache of the authors' best h-index per paper, so that a day run again, or a paper announced
// again, costs no Semantic Scholar request within Store::kHIndexMaxAge.
#include "core/store/sqlite_statement.hpp"
#include "core/store/store.hpp"

#include <set>

namespace paperbot {
namespace {

using sqlite::Statement;
using Mode = sqlite::Transaction::Mode;

// Timestamps are written by SQLite from Unix seconds, in the same ISO 8601 form as the other
// tables, so that text order is time order.
constexpr const char* kSelectFresh = R"sql(
SELECT best_h_index FROM h_index_cache
WHERE paper_id = ?1 AND looked_up_at > strftime('%Y-%m-%dT%H:%M:%SZ', ?2, 'unixepoch')
)sql";

constexpr const char* kUpsert = R"sql(
INSERT INTO h_index_cache (paper_id, best_h_index, looked_up_at)
VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', ?3, 'unixepoch'))
ON CONFLICT (paper_id) DO UPDATE SET
  best_h_index = excluded.best_h_index, looked_up_at = excluded.looked_up_at
)sql";

std::int64_t unix_seconds(std::chrono::sys_seconds time) {
  return static_cast<std::int64_t>(time.time_since_epoch().count());
}

}  // namespace

Result<std::map<std::string, std::optional<int>>> Store::cached_h_indices(
    const std::vector<std::string>& ids, std::chrono::sys_seconds now) {
  using Found = std::map<std::string, std::optional<int>>;
  const std::int64_t oldest = unix_seconds(now - kHIndexMaxAge);
  return sqlite::in_transaction(db_, Mode::kRead, "read cached h-indices", [&]() -> Result<Found> {
    auto select = Statement::prepare(db_, kSelectFresh);
    if (!select) return select.error();

    Found found;
    std::set<std::string> asked;
    for (const std::string& id : ids) {
      if (!asked.insert(id).second) continue;
      select->bind(1, id).bind(2, oldest);
      auto row = select->step();
      if (!row) return row.error();
      if (*row) {
        found[id] = select->is_null(0) ? std::nullopt
                                       : std::optional<int>(static_cast<int>(select->integer(0)));
      }
      select->reset();
    }
    return found;
  });
}

Result<void> Store::save_h_indices(const std::map<std::string, std::optional<int>>& best,
                                   std::chrono::sys_seconds looked_up_at) {
  const std::int64_t when = unix_seconds(looked_up_at);
  return sqlite::in_transaction(db_, Mode::kWrite, "save h-indices", [&]() -> Result<void> {
    auto upsert = Statement::prepare(db_, kUpsert);
    if (!upsert) return upsert.error();
    for (const auto& [id, h_index] : best) {
      upsert->bind(1, id).bind(3, when);
      if (h_index) {
        upsert->bind(2, *h_index);
      } else {
        upsert->bind_null(2);
      }
      if (auto saved = upsert->run(); !saved) return saved.error();
    }
    return Result<void>();
  });
}

}  // namespace paperbot
