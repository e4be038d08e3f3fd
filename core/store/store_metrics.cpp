// Reads for the operator's views: totals for /metrics, each audience's latest run for /healthz,
// and one day's scores for the daemon's page. Each is one read transaction.
#include "core/store/sqlite_statement.hpp"
#include "core/store/store.hpp"

#include <map>
#include <tuple>

namespace paperbot {
namespace {

using sqlite::Statement;
using Mode = sqlite::Transaction::Mode;

constexpr const char* kRunOutcomes = R"sql(
SELECT audience, status, count(*) FROM runs GROUP BY audience, status ORDER BY audience, status
)sql";

// Counts are JSON (store_runs.cpp); a count a run did not write adds nothing.
constexpr const char* kRunTotals = R"sql(
SELECT audience, sum(coalesce(json_extract(counts, '$.fetched'), 0)),
       sum(coalesce(json_extract(counts, '$.scored'), 0)),
       sum(coalesce(json_extract(counts, '$.cached'), 0)),
       sum(coalesce(json_extract(counts, '$.selected'), 0))
FROM runs GROUP BY audience ORDER BY audience
)sql";

constexpr const char* kSpending = R"sql(
SELECT scorer, sum(prompt_tokens), sum(completion_tokens), coalesce(sum(dollars), 0)
FROM spending GROUP BY scorer ORDER BY scorer
)sql";

constexpr const char* kDeliveries = R"sql(
SELECT audience, status, count(*) FROM deliveries GROUP BY audience, status
)sql";

constexpr const char* kVotes = R"sql(
SELECT audience, vote, count(*) FROM feedback GROUP BY audience, vote ORDER BY audience, vote
)sql";

constexpr const char* kLatestRuns = R"sql(
SELECT r.audience, r.date, r.status FROM runs r
WHERE r.date = (SELECT max(date) FROM runs WHERE audience = r.audience)
ORDER BY r.audience
)sql";

// The latest score of each paper the day listed, in the version it listed.
constexpr const char* kDayScores = R"sql(
SELECT a.paper_id, s.relevance, s.novelty
FROM announcement_papers a
JOIN scores s ON s.paper_id = a.paper_id AND s.version = a.version AND s.criteria_id = ?2
WHERE a.date = ?1
ORDER BY a.paper_id, s.scored_at, s.rowid
)sql";

// Calls `read` for each row of `select`.
template <class Read>
Result<void> each_row(Statement& select, Read&& read) {
  for (;;) {
    auto row = select.step();
    if (!row) return row.error();
    if (!*row) return {};
    if (auto done = read(); !done) return done;
  }
}

// "email:<list>:<address>" -> "email:<list>"; other audiences as they are.
std::string without_address(const std::string& audience) {
  if (!audience.starts_with("email:")) return audience;
  const auto colon = audience.rfind(':');
  return colon > 5 ? audience.substr(0, colon) : audience;
}

Result<void> read_runs(sqlite3* db, StoreTotals& totals) {
  auto select = Statement::prepare(db, kRunOutcomes);
  if (!select) return select.error();
  auto read = each_row(*select, [&]() -> Result<void> {
    totals.runs.push_back({select->text(0), select->text(1), select->integer(2)});
    return {};
  });
  if (!read) return read;

  auto sums = Statement::prepare(db, kRunTotals);
  if (!sums) return sums.error();
  return each_row(*sums, [&]() -> Result<void> {
    totals.handled.push_back(
        {sums->text(0), sums->integer(1), sums->integer(2), sums->integer(3), sums->integer(4)});
    return {};
  });
}

Result<void> read_spending(sqlite3* db, StoreTotals& totals) {
  auto select = Statement::prepare(db, kSpending);
  if (!select) return select.error();
  return each_row(*select, [&]() -> Result<void> {
    totals.spending.push_back(
        {select->text(0), select->integer(1), select->integer(2), select->real(3)});
    return {};
  });
}

Result<void> read_deliveries(sqlite3* db, StoreTotals& totals) {
  auto select = Statement::prepare(db, kDeliveries);
  if (!select) return select.error();
  // Readers of one list fold into the list.
  std::map<std::pair<std::string, std::string>, std::int64_t> folded;
  auto read = each_row(*select, [&]() -> Result<void> {
    folded[{without_address(select->text(0)), select->text(1)}] += select->integer(2);
    return {};
  });
  if (!read) return read;
  for (const auto& [key, count] : folded) {
    totals.deliveries.push_back({key.first, key.second, count});
  }
  return {};
}

Result<void> read_votes(sqlite3* db, StoreTotals& totals) {
  auto select = Statement::prepare(db, kVotes);
  if (!select) return select.error();
  return each_row(*select, [&]() -> Result<void> {
    totals.feedback.push_back(
        {select->text(0), static_cast<int>(select->integer(1)), select->integer(2)});
    return {};
  });
}

}  // namespace

Result<StoreTotals> Store::totals() {
  return sqlite::in_transaction(db_, Mode::kRead, "read totals", [&]() -> Result<StoreTotals> {
    StoreTotals totals;
    for (auto read : {read_runs, read_spending, read_deliveries, read_votes}) {
      if (auto done = read(db_, totals); !done) return done.error();
    }
    return totals;
  });
}

Result<std::vector<LatestRun>> Store::latest_runs() {
  using Runs = std::vector<LatestRun>;
  return sqlite::in_transaction(db_, Mode::kRead, "read latest runs", [&]() -> Result<Runs> {
    auto select = Statement::prepare(db_, kLatestRuns);
    if (!select) return select.error();
    Runs runs;
    auto read = each_row(*select, [&]() -> Result<void> {
      auto date = parse_iso_date(select->text(1));
      if (!date) return make_error("store", "not an ISO date in runs: " + select->text(1));
      runs.push_back({select->text(0), *date, select->text(2)});
      return {};
    });
    if (!read) return read.error();
    return runs;
  });
}

Result<std::vector<DayScore>> Store::day_scores(Date date, std::int64_t criteria_id) {
  using Scores = std::vector<DayScore>;
  return sqlite::in_transaction(db_, Mode::kRead, "read the day's scores", [&]() -> Result<Scores> {
    auto select = Statement::prepare(db_, kDayScores);
    if (!select) return select.error();
    select->bind(1, format_iso_date(date)).bind(2, criteria_id);
    Scores scores;
    auto read = each_row(*select, [&]() -> Result<void> {
      DayScore score{select->text(0), static_cast<int>(select->integer(1)),
                     static_cast<int>(select->integer(2))};
      // Rows of one paper come oldest score first: the last one stands.
      if (!scores.empty() && scores.back().paper_id == score.paper_id) {
        scores.back() = std::move(score);
      } else {
        scores.push_back(std::move(score));
      }
      return {};
    });
    if (!read) return read.error();
    return scores;
  });
}

}  // namespace paperbot
