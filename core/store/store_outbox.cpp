// The outbox (deliveries written before they are sent, marked after) and the 👍/👎 feedback on
// posted papers.
#include "core/store/sqlite_statement.hpp"
#include "core/store/store.hpp"

#include <functional>
#include <string_view>

namespace paperbot {
namespace {

using sqlite::Statement;
using Mode = sqlite::Transaction::Mode;

// RETURNING tells whether the row was new without a second query.
constexpr const char* kInsertDelivery = R"sql(
INSERT INTO deliveries (audience, announcement_date, kind, paper_id, part, payload, thread_key,
                        relevance, novelty, rank_score)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
ON CONFLICT DO NOTHING
RETURNING id
)sql";

constexpr const char* kDeliveryColumns = R"sql(
SELECT id, audience, announcement_date, kind, paper_id, part, payload, thread_key, relevance,
       novelty, rank_score, status, attempts, last_error, sending_since IS NOT NULL,
       external_id, posted_channel, created_at, sent_at
FROM deliveries
)sql";

constexpr const char* kPendingWhere =
    "WHERE status = 'pending' AND (?1 IS NULL OR audience = ?1) ORDER BY id LIMIT ?2";

constexpr const char* kMarkSending = R"sql(
UPDATE deliveries SET sending_since = strftime('%Y-%m-%dT%H:%M:%SZ', ?2, 'unixepoch')
WHERE id = ?1 AND status = 'pending' RETURNING id
)sql";

constexpr const char* kMarkSent = R"sql(
UPDATE deliveries SET status = 'sent', posted_channel = ?2, external_id = ?3,
  sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?4, 'unixepoch'), sending_since = NULL
WHERE id = ?1 RETURNING id
)sql";

constexpr const char* kMarkFailed = R"sql(
UPDATE deliveries SET attempts = attempts + 1, last_error = ?2, sending_since = NULL,
  status = iif(?3, 'failed', status)
WHERE id = ?1 AND status = 'pending' RETURNING id
)sql";

constexpr const char* kMarkBlocked = R"sql(
UPDATE deliveries SET last_error = ?2, sending_since = NULL
WHERE id = ?1 AND status = 'pending' RETURNING id
)sql";

constexpr const char* kSelectPosted = R"sql(
SELECT audience, paper_id, announcement_date, relevance, novelty, rank_score
FROM posted_papers WHERE channel = ?1 AND ts = ?2
)sql";

constexpr const char* kSelectThreadParent = R"sql(
SELECT external_id FROM deliveries
WHERE audience = ?1 AND announcement_date = ?2 AND kind = ?3 AND paper_id IS NULL AND part = 0
  AND status = 'sent'
)sql";

constexpr const char* kInsertFeedback = R"sql(
INSERT INTO feedback (audience, paper_id, announcement_date, person, vote, source, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ', ?7, 'unixepoch'))
ON CONFLICT DO NOTHING
RETURNING 1
)sql";

constexpr const char* kDeleteFeedback = R"sql(
DELETE FROM feedback WHERE audience = ?1 AND paper_id = ?2 AND person = ?3 AND vote = ?4
RETURNING 1
)sql";

constexpr const char* kCountFeedback = R"sql(
SELECT count(*) FILTER (WHERE vote = 1), count(*) FILTER (WHERE vote = -1)
FROM feedback WHERE audience = ?1 AND paper_id = ?2
)sql";

void bind_optional(Statement& statement, int index, const std::optional<std::string>& text) {
  if (text) {
    statement.bind(index, *text);
  } else {
    statement.bind_null(index);
  }
}

void bind_optional(Statement& statement, int index, std::optional<int> value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind_null(index);
  }
}

std::optional<int> optional_integer(const Statement& statement, int column) {
  if (statement.is_null(column)) return std::nullopt;
  return static_cast<int>(statement.integer(column));
}

std::optional<std::string> optional_text(const Statement& statement, int column) {
  if (statement.is_null(column)) return std::nullopt;
  return statement.text(column);
}

Result<Date> read_date(const Statement& statement, int column) {
  std::string text = statement.text(column);
  auto date = parse_iso_date(text);
  if (!date) return make_error("store", "not an ISO date in the outbox: \"" + text + "\"");
  return *date;
}

Result<DeliveryStatus> read_status(const std::string& text) {
  if (text == "pending") return DeliveryStatus::kPending;
  if (text == "sent") return DeliveryStatus::kSent;
  if (text == "failed") return DeliveryStatus::kFailed;
  return make_error("store", "unknown delivery status \"" + text + "\"");
}

// One row of kDeliveryColumns.
Result<Delivery> read_delivery(const Statement& select) {
  Delivery delivery;
  delivery.id = select.integer(0);
  delivery.audience = select.text(1);
  auto date = read_date(select, 2);
  if (!date) return date.error();
  delivery.date = *date;
  delivery.kind = select.text(3);
  delivery.paper_id = optional_text(select, 4);
  delivery.part = static_cast<int>(select.integer(5));
  delivery.payload = select.text(6);
  delivery.thread_key = optional_text(select, 7);
  delivery.relevance = optional_integer(select, 8);
  delivery.novelty = optional_integer(select, 9);
  delivery.rank_score = optional_integer(select, 10);
  auto status = read_status(select.text(11));
  if (!status) return status.error();
  delivery.status = *status;
  delivery.attempts = static_cast<int>(select.integer(12));
  delivery.last_error = select.text(13);
  delivery.sending = select.integer(14) != 0;
  delivery.external_id = select.is_null(15) ? std::string() : select.text(15);
  delivery.posted_channel = select.is_null(16) ? std::string() : select.text(16);
  delivery.created_at = select.text(17);
  delivery.sent_at = select.is_null(18) ? std::string() : select.text(18);
  return delivery;
}

std::int64_t unix_seconds(std::chrono::sys_seconds time) {
  return static_cast<std::int64_t>(time.time_since_epoch().count());
}

// Steps a statement ending in RETURNING to its end: whether it returned a row, that is whether
// it changed one.
Result<bool> changed_a_row(Statement& statement) {
  auto row = statement.step();
  if (!row) return row.error();
  const bool changed = *row;
  while (true) {
    auto more = statement.step();
    if (!more) return more.error();
    if (!*more) break;
  }
  statement.reset();
  return changed;
}

// Runs an update of one delivery by id; an id that matches nothing is the caller's mistake.
Result<void> update_delivery(sqlite3* db, std::string_view what, std::int64_t id, const char* sql,
                             const std::function<void(Statement&)>& bind) {
  return sqlite::in_transaction(db, Mode::kWrite, what, [&]() -> Result<void> {
    auto update = Statement::prepare(db, sql);
    if (!update) return update.error();
    update->bind(1, id);
    bind(*update);
    auto changed = changed_a_row(*update);
    if (!changed) return changed.error();
    if (!*changed)
      return make_error("store", "no pending delivery " + std::to_string(id) + " to update");
    return Result<void>();
  });
}

}  // namespace

Result<int> Store::enqueue_deliveries(const std::vector<Delivery>& deliveries) {
  return sqlite::in_transaction(db_, Mode::kWrite, "enqueue deliveries", [&]() -> Result<int> {
    auto insert = Statement::prepare(db_, kInsertDelivery);
    if (!insert) return insert.error();

    int added = 0;
    for (const Delivery& delivery : deliveries) {
      insert->bind(1, delivery.audience).bind(2, format_iso_date(delivery.date));
      insert->bind(3, delivery.kind);
      bind_optional(*insert, 4, delivery.paper_id);
      insert->bind(5, delivery.part).bind(6, delivery.payload);
      bind_optional(*insert, 7, delivery.thread_key);
      bind_optional(*insert, 8, delivery.relevance);
      bind_optional(*insert, 9, delivery.novelty);
      bind_optional(*insert, 10, delivery.rank_score);
      auto inserted = changed_a_row(*insert);
      if (!inserted) return inserted.error();
      if (*inserted) ++added;
    }
    return added;
  });
}

Result<std::vector<Delivery>> Store::pending_deliveries(const std::optional<std::string>& audience,
                                                        int limit) {
  using Found = std::vector<Delivery>;
  return sqlite::in_transaction(
      db_, Mode::kRead, "read pending deliveries", [&]() -> Result<Found> {
        auto select = Statement::prepare(db_, std::string(kDeliveryColumns) + kPendingWhere);
        if (!select) return select.error();
        bind_optional(*select, 1, audience);
        select->bind(2, limit);

        Found found;
        while (true) {
          auto row = select->step();
          if (!row) return row.error();
          if (!*row) break;
          auto delivery = read_delivery(*select);
          if (!delivery) return delivery.error();
          found.push_back(std::move(*delivery));
        }
        return found;
      });
}

Result<void> Store::mark_sending(std::int64_t id, std::chrono::sys_seconds now) {
  return update_delivery(db_, "mark delivery sending", id, kMarkSending,
                         [&](Statement& update) { update.bind(2, unix_seconds(now)); });
}

Result<void> Store::mark_sent(std::int64_t id, const std::string& channel,
                              const std::string& external_id, std::chrono::sys_seconds now) {
  return update_delivery(db_, "mark delivery sent", id, kMarkSent, [&](Statement& update) {
    update.bind(2, channel).bind(3, external_id).bind(4, unix_seconds(now));
  });
}

Result<void> Store::mark_failed(std::int64_t id, const std::string& error, bool permanent) {
  return update_delivery(db_, "mark delivery failed", id, kMarkFailed, [&](Statement& update) {
    update.bind(2, error).bind(3, permanent ? 1 : 0);
  });
}

Result<void> Store::mark_blocked(std::int64_t id, const std::string& error) {
  return update_delivery(db_, "mark delivery blocked", id, kMarkBlocked,
                         [&](Statement& update) { update.bind(2, error); });
}

Result<std::optional<PostedPaper>> Store::find_posted(const std::string& channel,
                                                      const std::string& external_id) {
  using Found = std::optional<PostedPaper>;
  return sqlite::in_transaction(db_, Mode::kRead, "find posted paper", [&]() -> Result<Found> {
    auto select = Statement::prepare(db_, kSelectPosted);
    if (!select) return select.error();
    select->bind(1, channel).bind(2, external_id);
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) return Found();

    PostedPaper posted;
    posted.audience = select->text(0);
    posted.paper_id = select->text(1);
    auto date = read_date(*select, 2);
    if (!date) return date.error();
    posted.date = *date;
    posted.relevance = optional_integer(*select, 3);
    posted.novelty = optional_integer(*select, 4);
    posted.rank_score = optional_integer(*select, 5);
    return posted;
  });
}

Result<std::optional<std::string>> Store::thread_parent(const std::string& audience, Date date,
                                                        const std::string& thread_key) {
  using Found = std::optional<std::string>;
  return sqlite::in_transaction(db_, Mode::kRead, "find thread parent", [&]() -> Result<Found> {
    auto select = Statement::prepare(db_, kSelectThreadParent);
    if (!select) return select.error();
    select->bind(1, audience).bind(2, format_iso_date(date)).bind(3, thread_key);
    auto row = select->step();
    if (!row) return row.error();
    if (!*row || select->is_null(0)) return Found();
    return Found(select->text(0));
  });
}

Result<bool> Store::record_feedback(const Feedback& feedback, std::chrono::sys_seconds at) {
  return sqlite::in_transaction(db_, Mode::kWrite, "record feedback", [&]() -> Result<bool> {
    auto insert = Statement::prepare(db_, kInsertFeedback);
    if (!insert) return insert.error();
    insert->bind(1, feedback.audience).bind(2, feedback.paper_id);
    insert->bind(3, format_iso_date(feedback.date)).bind(4, feedback.person);
    insert->bind(5, feedback.vote).bind(6, feedback.source).bind(7, unix_seconds(at));
    return changed_a_row(*insert);
  });
}

Result<bool> Store::remove_feedback(const std::string& audience, const std::string& paper_id,
                                    const std::string& person, int vote) {
  return sqlite::in_transaction(db_, Mode::kWrite, "remove feedback", [&]() -> Result<bool> {
    auto remove = Statement::prepare(db_, kDeleteFeedback);
    if (!remove) return remove.error();
    remove->bind(1, audience).bind(2, paper_id).bind(3, person).bind(4, vote);
    return changed_a_row(*remove);
  });
}

Result<FeedbackCounts> Store::feedback_counts(const std::string& audience,
                                              const std::string& paper_id) {
  return sqlite::in_transaction(db_, Mode::kRead, "count feedback",
                                [&]() -> Result<FeedbackCounts> {
                                  auto select = Statement::prepare(db_, kCountFeedback);
                                  if (!select) return select.error();
                                  select->bind(1, audience).bind(2, paper_id);
                                  auto row = select->step();
                                  if (!row) return row.error();
                                  return FeedbackCounts{static_cast<int>(select->integer(0)),
                                                        static_cast<int>(select->integer(1))};
                                });
}

}  // namespace paperbot
