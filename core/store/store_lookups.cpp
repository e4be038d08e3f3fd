// Reads the chat commands answer from: one paper's announcements, scores and messages, an
// audience's latest run, pending deliveries and feedback, and spending over a period.
#include "core/store/paper_rows.hpp"
#include "core/store/sqlite_statement.hpp"
#include "core/store/store.hpp"

namespace paperbot {
namespace {

using sqlite::Statement;
using Mode = sqlite::Transaction::Mode;

// Newest first; rowid breaks ties between scores given within the same second.
constexpr const char* kSelectScores = R"sql(
SELECT paper_id, version, criteria_id, scorer, relevance, novelty, comment, scored_at
FROM scores WHERE paper_id = ?1 ORDER BY scored_at DESC, rowid DESC
)sql";

// Part 0 stands for a message split in several parts.
constexpr const char* kSelectPaperDeliveries = R"sql(
SELECT announcement_date, status, sent_at, relevance, novelty FROM deliveries
WHERE audience = ?1 AND paper_id = ?2 AND part = 0 ORDER BY announcement_date, id
)sql";

Result<Date> read_date(const Statement& statement, int column) {
  std::string text = statement.text(column);
  auto date = parse_iso_date(text);
  if (!date) return make_error("store", "not an ISO date: \"" + text + "\"");
  return *date;
}

std::optional<int> optional_integer(const Statement& statement, int column) {
  if (statement.is_null(column)) return std::nullopt;
  return static_cast<int>(statement.integer(column));
}

DeliveryStatus delivery_status(const std::string& text) {
  if (text == "sent") return DeliveryStatus::kSent;
  if (text == "failed") return DeliveryStatus::kFailed;
  return DeliveryStatus::kPending;
}

// Runs a query of one row whose columns are all integers (a count, a sum).
Result<std::vector<std::int64_t>> integers(Statement& select, int columns) {
  auto row = select.step();
  if (!row) return row.error();
  std::vector<std::int64_t> values;
  for (int column = 0; column < columns; ++column) {
    values.push_back(*row ? select.integer(column) : 0);
  }
  select.reset();
  return values;
}

}  // namespace

Result<std::optional<Paper>> Store::find_paper(const std::string& paper_id) {
  using Found = std::optional<Paper>;
  return sqlite::in_transaction(db_, Mode::kRead, "find paper " + paper_id, [&]() -> Result<Found> {
    auto select = Statement::prepare(
        db_, store_rows::kSelectListedPaper +
                 std::string(" WHERE a.paper_id = ?1 ORDER BY a.date DESC LIMIT 1"));
    if (!select) return select.error();
    select->bind(1, paper_id);
    auto papers = store_rows::read_papers(*select);
    if (!papers) return papers.error();
    if (papers->empty()) return Found();
    return Found(std::move(papers->front()));
  });
}

Result<std::vector<Date>> Store::announcement_dates(const std::string& paper_id) {
  using Dates = std::vector<Date>;
  return sqlite::in_transaction(
      db_, Mode::kRead, "read announcements of " + paper_id, [&]() -> Result<Dates> {
        auto select = Statement::prepare(
            db_, "SELECT date FROM announcement_papers WHERE paper_id = ?1 ORDER BY date");
        if (!select) return select.error();
        select->bind(1, paper_id);

        Dates dates;
        for (;;) {
          auto row = select->step();
          if (!row) return row.error();
          if (!*row) break;
          auto date = read_date(*select, 0);
          if (!date) return date.error();
          dates.push_back(*date);
        }
        return dates;
      });
}

Result<std::vector<RecordedScore>> Store::paper_scores(const std::string& paper_id) {
  using Scores = std::vector<RecordedScore>;
  return sqlite::in_transaction(db_, Mode::kRead, "read scores of " + paper_id,
                                [&]() -> Result<Scores> {
                                  auto select = Statement::prepare(db_, kSelectScores);
                                  if (!select) return select.error();
                                  select->bind(1, paper_id);

                                  Scores scores;
                                  for (;;) {
                                    auto row = select->step();
                                    if (!row) return row.error();
                                    if (!*row) break;
                                    RecordedScore recorded;
                                    recorded.paper_id = select->text(0);
                                    recorded.version = static_cast<int>(select->integer(1));
                                    recorded.criteria_id = select->integer(2);
                                    recorded.score.scorer = select->text(3);
                                    recorded.score.relevance = static_cast<int>(select->integer(4));
                                    recorded.score.novelty = static_cast<int>(select->integer(5));
                                    recorded.score.comment = select->text(6);
                                    recorded.scored_at = select->text(7);
                                    scores.push_back(std::move(recorded));
                                  }
                                  return scores;
                                });
}

Result<std::optional<Date>> Store::latest_run_date(const std::string& audience) {
  using Found = std::optional<Date>;
  return sqlite::in_transaction(
      db_, Mode::kRead, "find latest run of " + audience, [&]() -> Result<Found> {
        auto select = Statement::prepare(db_, "SELECT max(date) FROM runs WHERE audience = ?1");
        if (!select) return select.error();
        select->bind(1, audience);
        auto row = select->step();
        if (!row) return row.error();
        if (!*row || select->is_null(0)) return Found();
        auto date = read_date(*select, 0);
        if (!date) return date.error();
        return Found(*date);
      });
}

Result<std::vector<PaperDelivery>> Store::paper_deliveries(const std::string& audience,
                                                           const std::string& paper_id) {
  using Found = std::vector<PaperDelivery>;
  return sqlite::in_transaction(
      db_, Mode::kRead, "read deliveries of " + paper_id, [&]() -> Result<Found> {
        auto select = Statement::prepare(db_, kSelectPaperDeliveries);
        if (!select) return select.error();
        select->bind(1, audience).bind(2, paper_id);

        Found found;
        for (;;) {
          auto row = select->step();
          if (!row) return row.error();
          if (!*row) break;
          PaperDelivery delivery;
          auto date = read_date(*select, 0);
          if (!date) return date.error();
          delivery.date = *date;
          delivery.status = delivery_status(select->text(1));
          delivery.sent_at = select->is_null(2) ? std::string() : select->text(2);
          delivery.relevance = optional_integer(*select, 3);
          delivery.novelty = optional_integer(*select, 4);
          found.push_back(std::move(delivery));
        }
        return found;
      });
}

Result<int> Store::pending_count(const std::optional<std::string>& audience) {
  return sqlite::in_transaction(db_, Mode::kRead, "count pending deliveries", [&]() -> Result<int> {
    auto select = Statement::prepare(db_, R"sql(
SELECT count(*) FROM deliveries WHERE status = 'pending' AND (?1 IS NULL OR audience = ?1)
)sql");
    if (!select) return select.error();
    if (audience) {
      select->bind(1, *audience);
    } else {
      select->bind_null(1);
    }
    auto values = integers(*select, 1);
    if (!values) return values.error();
    return static_cast<int>(values->at(0));
  });
}

Result<FeedbackCounts> Store::audience_feedback(const std::string& audience) {
  return sqlite::in_transaction(
      db_, Mode::kRead, "count feedback of " + audience, [&]() -> Result<FeedbackCounts> {
        auto select = Statement::prepare(db_, R"sql(
SELECT count(*) FILTER (WHERE vote = 1), count(*) FILTER (WHERE vote = -1)
FROM feedback WHERE audience = ?1
)sql");
        if (!select) return select.error();
        select->bind(1, audience);
        auto values = integers(*select, 2);
        if (!values) return values.error();
        return FeedbackCounts{static_cast<int>(values->at(0)), static_cast<int>(values->at(1))};
      });
}

Result<Spending> Store::spent_between(Date first, Date end) {
  return sqlite::in_transaction(db_, Mode::kRead, "read spending", [&]() -> Result<Spending> {
    // spent_at is ISO 8601 text, so comparing with bare dates selects whole UTC days.
    auto select = Statement::prepare(db_, R"sql(
SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0), COALESCE(SUM(dollars), 0)
FROM spending WHERE spent_at >= ?1 AND spent_at < ?2
)sql");
    if (!select) return select.error();
    select->bind(1, format_iso_date(first)).bind(2, format_iso_date(end));
    auto row = select->step();
    if (!row) return row.error();
    Spending spent{select->integer(0), select->real(1)};
    select->reset();
    return spent;
  });
}

}  // namespace paperbot
