// What the cutoffs learn from: the papers each audience was shown and the votes on them, the
// learner's daily records, and the admins' locks. The learner's record that moves the cutoffs is
// written with the settings change it makes (Store::record_tuning, store_settings.cpp).
#include "core/store/sqlite_statement.hpp"
#include "core/store/store.hpp"

namespace paperbot {
namespace {

using sqlite::Statement;
using Mode = sqlite::Transaction::Mode;

std::int64_t unix_seconds(std::chrono::sys_seconds time) {
  return static_cast<std::int64_t>(time.time_since_epoch().count());
}

Result<Date> read_date(const Statement& select, int column, std::string_view table) {
  std::string text = select.text(column);
  auto parsed = parse_iso_date(text);
  if (!parsed) {
    return make_error("store", "not an ISO date in " + std::string(table) + ": \"" + text + "\"");
  }
  return *parsed;
}

constexpr const char* kTuningColumns = R"sql(
SELECT t.audience, t.announcement_date, t.relevance_before, t.novelty_before, t.relevance_after,
       t.novelty_after, t.reason, t.at, c.undone_by IS NOT NULL
FROM cutoff_tunings t LEFT JOIN settings_changes c ON c.id = t.change_id
)sql";

Result<CutoffTuning> read_tuning(const Statement& select) {
  CutoffTuning tuning;
  tuning.audience = select.text(0);
  auto date = read_date(select, 1, "cutoff_tunings");
  if (!date) return date.error();
  tuning.date = *date;
  tuning.relevance_before = static_cast<int>(select.integer(2));
  tuning.novelty_before = static_cast<int>(select.integer(3));
  tuning.relevance_after = static_cast<int>(select.integer(4));
  tuning.novelty_after = static_cast<int>(select.integer(5));
  tuning.reason = select.text(6);
  tuning.at = select.text(7);
  tuning.undone = select.integer(8) != 0;
  return tuning;
}

}  // namespace

Result<void> Store::record_exposures(const std::vector<Exposure>& exposures) {
  return sqlite::in_transaction(db_, Mode::kWrite, "record shown papers", [&]() -> Result<void> {
    auto upsert = Statement::prepare(db_, R"sql(
INSERT INTO exposures (audience, announcement_date, paper_id, relevance, novelty, rank_score,
                       below_bar)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (audience, announcement_date, paper_id) DO NOTHING
)sql");
    if (!upsert) return upsert.error();
    for (const Exposure& exposure : exposures) {
      upsert->bind(1, exposure.audience).bind(2, format_iso_date(exposure.date));
      upsert->bind(3, exposure.paper_id).bind(4, exposure.relevance).bind(5, exposure.novelty);
      upsert->bind(6, exposure.rank_score).bind(7, exposure.below_bar ? 1 : 0);
      if (auto ran = upsert->run(); !ran) return ran.error();
    }
    return {};
  });
}

Result<std::vector<ExposureOutcome>> Store::exposure_outcomes(const std::string& audience,
                                                              Date first, Date last) {
  using Outcomes = std::vector<ExposureOutcome>;
  return sqlite::in_transaction(db_, Mode::kRead, "read shown papers", [&]() -> Result<Outcomes> {
    auto select = Statement::prepare(db_, R"sql(
SELECT e.audience, e.announcement_date, e.paper_id, e.relevance, e.novelty, e.rank_score,
       e.below_bar,
       (SELECT count(DISTINCT f.person) FROM feedback f
        WHERE f.audience = e.audience AND f.paper_id = e.paper_id
          AND f.announcement_date = e.announcement_date AND f.vote = 1),
       (SELECT count(DISTINCT f.person) FROM feedback f
        WHERE f.audience = e.audience AND f.paper_id = e.paper_id
          AND f.announcement_date = e.announcement_date AND f.vote = -1)
FROM exposures e
WHERE (?1 = '' OR e.audience = ?1) AND e.announcement_date BETWEEN ?2 AND ?3
ORDER BY e.announcement_date, e.audience, e.paper_id
)sql");
    if (!select) return select.error();
    select->bind(1, audience).bind(2, format_iso_date(first)).bind(3, format_iso_date(last));
    Outcomes outcomes;
    for (;;) {
      auto row = select->step();
      if (!row) return row.error();
      if (!*row) break;
      ExposureOutcome outcome;
      outcome.exposure.audience = select->text(0);
      auto date = read_date(*select, 1, "exposures");
      if (!date) return date.error();
      outcome.exposure.date = *date;
      outcome.exposure.paper_id = select->text(2);
      outcome.exposure.relevance = static_cast<int>(select->integer(3));
      outcome.exposure.novelty = static_cast<int>(select->integer(4));
      outcome.exposure.rank_score = static_cast<int>(select->integer(5));
      outcome.exposure.below_bar = select->integer(6) != 0;
      outcome.up = static_cast<int>(select->integer(7));
      outcome.down = static_cast<int>(select->integer(8));
      outcomes.push_back(std::move(outcome));
    }
    return outcomes;
  });
}

Result<std::optional<Date>> Store::last_shown(const std::string& audience,
                                              const std::string& paper_id) {
  using Found = std::optional<Date>;
  return sqlite::in_transaction(db_, Mode::kRead, "read shown papers", [&]() -> Result<Found> {
    auto select = Statement::prepare(db_, R"sql(
SELECT max(announcement_date) FROM exposures WHERE audience = ?1 AND paper_id = ?2
)sql");
    if (!select) return select.error();
    select->bind(1, audience).bind(2, paper_id);
    auto row = select->step();
    if (!row) return row.error();
    if (!*row || select->is_null(0)) return Found();
    auto date = read_date(*select, 0, "exposures");
    select->reset();
    if (!date) return date.error();
    return Found(*date);
  });
}

Result<std::vector<CutoffTuning>> Store::tunings_since(const std::string& audience, Date first) {
  using Tunings = std::vector<CutoffTuning>;
  return sqlite::in_transaction(
      db_, Mode::kRead, "read the cutoffs of " + audience, [&]() -> Result<Tunings> {
        auto select = Statement::prepare(
            db_,
            std::string(kTuningColumns) +
                "WHERE t.audience = ?1 AND t.announcement_date >= ?2 ORDER BY t.announcement_date");
        if (!select) return select.error();
        select->bind(1, audience).bind(2, format_iso_date(first));
        Tunings tunings;
        for (;;) {
          auto row = select->step();
          if (!row) return row.error();
          if (!*row) break;
          auto tuning = read_tuning(*select);
          if (!tuning) return tuning.error();
          tunings.push_back(std::move(*tuning));
        }
        return tunings;
      });
}

Result<std::optional<CutoffTuning>> Store::last_move(const std::string& audience) {
  using Found = std::optional<CutoffTuning>;
  return sqlite::in_transaction(
      db_, Mode::kRead, "read the cutoffs of " + audience, [&]() -> Result<Found> {
        auto select = Statement::prepare(db_, std::string(kTuningColumns) +
                                                  "WHERE t.audience = ?1 AND c.id IS NOT NULL AND "
                                                  "c.undone_by IS NULL "
                                                  "ORDER BY t.announcement_date DESC LIMIT 1");
        if (!select) return select.error();
        select->bind(1, audience);
        auto row = select->step();
        if (!row) return row.error();
        if (!*row) return Found();
        auto tuning = read_tuning(*select);
        if (!tuning) return tuning.error();
        return Found(std::move(*tuning));
      });
}

Result<bool> Store::set_cutoffs_locked(const std::string& scope, bool locked,
                                       const std::string& person, std::chrono::sys_seconds at) {
  return sqlite::in_transaction(
      db_, Mode::kWrite, "lock the cutoffs of " + scope, [&]() -> Result<bool> {
        auto statement =
            Statement::prepare(db_, locked ? R"sql(
INSERT INTO cutoff_locks (scope, locked_by, locked_at)
VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', ?3, 'unixepoch'))
ON CONFLICT DO NOTHING RETURNING 1
)sql"
                                           : "DELETE FROM cutoff_locks WHERE scope = ?1 "
                                             "AND ?2 = ?2 AND ?3 = ?3 RETURNING 1");
        if (!statement) return statement.error();
        statement->bind(1, scope).bind(2, person);
        statement->bind(3, unix_seconds(at));
        int changed = 0;
        for (;;) {
          auto row = statement->step();
          if (!row) return row.error();
          if (!*row) break;
          ++changed;
        }
        return changed > 0;
      });
}

Result<std::optional<CutoffLock>> Store::cutoffs_lock(const std::string& scope) {
  using Found = std::optional<CutoffLock>;
  return sqlite::in_transaction(
      db_, Mode::kRead, "read the lock of " + scope, [&]() -> Result<Found> {
        auto select = Statement::prepare(
            db_, "SELECT locked_by, locked_at FROM cutoff_locks WHERE scope = ?1");
        if (!select) return select.error();
        select->bind(1, scope);
        auto row = select->step();
        if (!row) return row.error();
        if (!*row) return Found();
        CutoffLock lock{select->text(0), select->text(1)};
        select->reset();
        return Found(std::move(lock));
      });
}

}  // namespace paperbot
