// The daemon's own state: settings made in chat with their undoable history, the announcement
// days processed, and the Slack events already handled.
#include "core/store/sqlite_statement.hpp"
#include "core/store/store.hpp"

#include <boost/json.hpp>

namespace paperbot {
namespace {

using sqlite::Statement;
using Mode = sqlite::Transaction::Mode;

constexpr const char* kSelectSettings = R"sql(
SELECT criteria_id, authors, relevance_cutoff, novelty_cutoff, top_n, paused
FROM scope_settings WHERE scope = ?1
)sql";

constexpr const char* kUpsertSettings = R"sql(
INSERT INTO scope_settings (scope, criteria_id, authors, relevance_cutoff, novelty_cutoff, top_n,
                            paused)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (scope) DO UPDATE SET
  criteria_id = excluded.criteria_id, authors = excluded.authors,
  relevance_cutoff = excluded.relevance_cutoff, novelty_cutoff = excluded.novelty_cutoff,
  top_n = excluded.top_n, paused = excluded.paused,
  updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
)sql";

constexpr const char* kInsertChange = R"sql(
INSERT INTO settings_changes (scope, what, summary, person, at, settings_before, settings_after)
VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', ?5, 'unixepoch'), ?6, ?7)
RETURNING id
)sql";

constexpr const char* kChangeColumns = R"sql(
SELECT id, scope, what, summary, person, at, undone_by IS NOT NULL, settings_before,
       coalesce(undone_at, '')
FROM settings_changes
)sql";

constexpr const char* kMarkUndone = R"sql(
UPDATE settings_changes
SET undone_by = ?2, undone_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?3, 'unixepoch')
WHERE id = ?1
)sql";

// An empty updated_at takes the store's clock, so callers need not format one.
constexpr const char* kUpsertDay = R"sql(
INSERT INTO days (date, status, late, stale_reads, updated_at)
VALUES (?1, ?2, ?3, ?4, coalesce(nullif(?5, ''), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))
ON CONFLICT (date) DO UPDATE SET
  status = excluded.status, late = excluded.late, stale_reads = excluded.stale_reads,
  updated_at = excluded.updated_at
)sql";

constexpr const char* kDayColumns = "SELECT date, status, late, stale_reads, updated_at FROM days";

std::int64_t unix_seconds(std::chrono::sys_seconds time) {
  return static_cast<std::int64_t>(time.time_since_epoch().count());
}

// Steps a statement to its end and counts the rows it returned: with RETURNING, the rows it
// changed.
Result<int> count_rows(Statement& statement) {
  int rows = 0;
  for (;;) {
    auto row = statement.step();
    if (!row) return row.error();
    if (!*row) break;
    ++rows;
  }
  statement.reset();
  return rows;
}

boost::json::array encode_authors(const std::vector<FollowedAuthor>& authors) {
  boost::json::array array;
  for (const FollowedAuthor& author : authors) {
    array.push_back(boost::json::object{{"name", author.name},
                                        {"semantic_scholar_id", author.semantic_scholar_id}});
  }
  return array;
}

Result<std::vector<FollowedAuthor>> decode_authors(const boost::json::value& value) {
  auto bad = [&] {
    return make_error("store",
                      "followed authors are not a JSON list of {name, "
                      "semantic_scholar_id}: " +
                          boost::json::serialize(value));
  };
  if (!value.is_array()) return bad();
  std::vector<FollowedAuthor> authors;
  for (const boost::json::value& item : value.get_array()) {
    const auto* object = item.if_object();
    const auto* name = object != nullptr ? object->if_contains("name") : nullptr;
    const auto* id = object != nullptr ? object->if_contains("semantic_scholar_id") : nullptr;
    if (name == nullptr || !name->is_string() || (id != nullptr && !id->is_string())) return bad();
    authors.push_back(FollowedAuthor{std::string(name->get_string()),
                                     id != nullptr ? std::string(id->get_string()) : ""});
  }
  return authors;
}

// The history keeps each side of a change as one JSON object; an unset field is left out.
std::string encode_settings(const ScopeSettings& settings) {
  boost::json::object object;
  if (settings.criteria_id) object["criteria_id"] = *settings.criteria_id;
  if (settings.authors) object["authors"] = encode_authors(*settings.authors);
  if (settings.relevance_cutoff) object["relevance_cutoff"] = *settings.relevance_cutoff;
  if (settings.novelty_cutoff) object["novelty_cutoff"] = *settings.novelty_cutoff;
  if (settings.top_n) object["top_n"] = *settings.top_n;
  return boost::json::serialize(object);
}

Result<ScopeSettings> decode_settings(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_object())
    return make_error("store", "settings are not a JSON object: " + std::string(json));
  const boost::json::object& object = value.get_object();

  ScopeSettings settings;
  auto number = [&](const char* key) -> std::optional<std::int64_t> {
    const auto* field = object.if_contains(key);
    if (field == nullptr || !field->is_int64()) return std::nullopt;
    return field->get_int64();
  };
  settings.criteria_id = number("criteria_id");
  for (auto [key, field] : {std::pair{"relevance_cutoff", &settings.relevance_cutoff},
                            std::pair{"novelty_cutoff", &settings.novelty_cutoff},
                            std::pair{"top_n", &settings.top_n}}) {
    if (auto found = number(key)) *field = static_cast<int>(*found);
  }
  if (const auto* authors = object.if_contains("authors")) {
    auto decoded = decode_authors(*authors);
    if (!decoded) return decoded.error();
    settings.authors = std::move(*decoded);
  }
  return settings;
}

void bind_optional(Statement& statement, int index, std::optional<std::int64_t> value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind_null(index);
  }
}

std::optional<std::int64_t> optional_integer(const Statement& statement, int column) {
  if (statement.is_null(column)) return std::nullopt;
  return statement.integer(column);
}

// The settings row of `scope`, inside the caller's transaction; defaults when there is none.
Result<ScopeSettings> read_settings(sqlite3* db, const std::string& scope) {
  auto select = Statement::prepare(db, kSelectSettings);
  if (!select) return select.error();
  select->bind(1, scope);
  auto row = select->step();
  if (!row) return row.error();

  ScopeSettings settings;
  if (!*row) return settings;
  settings.criteria_id = optional_integer(*select, 0);
  if (!select->is_null(1)) {
    boost::system::error_code ec;
    boost::json::value authors = boost::json::parse(select->text(1), ec);
    if (ec) return make_error("store", "authors of " + scope + " are not JSON");
    auto decoded = decode_authors(authors);
    if (!decoded) return decoded.error();
    settings.authors = std::move(*decoded);
  }
  auto small = [&](int column) -> std::optional<int> {
    if (select->is_null(column)) return std::nullopt;
    return static_cast<int>(select->integer(column));
  };
  settings.relevance_cutoff = small(2);
  settings.novelty_cutoff = small(3);
  settings.top_n = small(4);
  settings.paused = select->integer(5) != 0;
  return settings;
}

Result<void> write_settings(sqlite3* db, const std::string& scope, const ScopeSettings& settings) {
  auto upsert = Statement::prepare(db, kUpsertSettings);
  if (!upsert) return upsert.error();
  upsert->bind(1, scope);
  bind_optional(*upsert, 2, settings.criteria_id);
  if (settings.authors) {
    upsert->bind(3, boost::json::serialize(encode_authors(*settings.authors)));
  } else {
    upsert->bind_null(3);
  }
  bind_optional(*upsert, 4, settings.relevance_cutoff);
  bind_optional(*upsert, 5, settings.novelty_cutoff);
  bind_optional(*upsert, 6, settings.top_n);
  upsert->bind(7, settings.paused ? 1 : 0);
  return upsert->run();
}

// Replaces the settings of `scope` with `next` (keeping `paused`) and records the change, inside
// the caller's transaction; returns the change's id.
Result<std::int64_t> apply_change(sqlite3* db, const std::string& scope, const ScopeSettings& next,
                                  const std::string& what, const std::string& summary,
                                  const std::string& person, std::chrono::sys_seconds at) {
  auto current = read_settings(db, scope);
  if (!current) return current.error();
  ScopeSettings stored = next;
  stored.paused = current->paused;
  if (auto written = write_settings(db, scope, stored); !written) return written.error();

  auto insert = Statement::prepare(db, kInsertChange);
  if (!insert) return insert.error();
  insert->bind(1, scope).bind(2, what).bind(3, summary).bind(4, person);
  insert->bind(5, unix_seconds(at)).bind(6, encode_settings(*current));
  insert->bind(7, encode_settings(stored));
  auto row = insert->step();
  if (!row) return row.error();
  const std::int64_t id = insert->integer(0);
  insert->reset();
  return id;
}

// One row of kChangeColumns.
SettingsChange read_change(const Statement& select) {
  SettingsChange change;
  change.id = select.integer(0);
  change.scope = select.text(1);
  change.what = select.text(2);
  change.summary = select.text(3);
  change.person = select.text(4);
  change.at = select.text(5);
  change.undone = select.integer(6) != 0;
  change.undone_at = select.text(8);
  return change;
}

Result<DayRecord> read_day(const Statement& select) {
  DayRecord day;
  std::string date = select.text(0);
  auto parsed = parse_iso_date(date);
  if (!parsed) return make_error("store", "not an ISO date in days: \"" + date + "\"");
  day.date = *parsed;
  day.status = select.text(1);
  day.late = select.integer(2) != 0;
  day.stale_reads = static_cast<int>(select.integer(3));
  day.updated_at = select.text(4);
  return day;
}

}  // namespace

Result<ScopeSettings> Store::scope_settings(const std::string& scope) {
  return sqlite::in_transaction(db_, Mode::kRead, "read settings of " + scope,
                                [&] { return read_settings(db_, scope); });
}

Result<std::int64_t> Store::change_settings(const std::string& scope, const ScopeSettings& next,
                                            const std::string& what, const std::string& summary,
                                            const std::string& person,
                                            std::chrono::sys_seconds at) {
  return sqlite::in_transaction(db_, Mode::kWrite, "change settings of " + scope,
                                [&]() -> Result<std::int64_t> {
                                  return apply_change(db_, scope, next, what, summary, person, at);
                                });
}

Result<bool> Store::record_tuning(const CutoffTuning& tuning, const std::string& person,
                                  std::chrono::sys_seconds at) {
  return sqlite::in_transaction(
      db_, Mode::kWrite, "record the cutoffs of " + tuning.audience, [&]() -> Result<bool> {
        auto insert = Statement::prepare(db_, R"sql(
INSERT INTO cutoff_tunings (audience, announcement_date, relevance_before, novelty_before,
                            relevance_after, novelty_after, reason, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, strftime('%Y-%m-%dT%H:%M:%SZ', ?8, 'unixepoch'))
ON CONFLICT DO NOTHING RETURNING 1
)sql");
        if (!insert) return insert.error();
        insert->bind(1, tuning.audience).bind(2, format_iso_date(tuning.date));
        insert->bind(3, tuning.relevance_before).bind(4, tuning.novelty_before);
        insert->bind(5, tuning.relevance_after).bind(6, tuning.novelty_after);
        insert->bind(7, tuning.reason).bind(8, unix_seconds(at));
        auto added = count_rows(*insert);
        if (!added) return added.error();
        if (*added == 0) return false;
        if (!tuning.moved()) return true;

        // Only the cutoff that moved becomes the audience's own; the rest keeps inheriting.
        auto next = read_settings(db_, tuning.audience);
        if (!next) return next.error();
        if (tuning.relevance_after != tuning.relevance_before)
          next->relevance_cutoff = tuning.relevance_after;
        if (tuning.novelty_after != tuning.novelty_before)
          next->novelty_cutoff = tuning.novelty_after;
        auto change =
            apply_change(db_, tuning.audience, *next, "cutoffs", tuning.reason, person, at);
        if (!change) return change.error();
        auto link = Statement::prepare(db_,
                                       "UPDATE cutoff_tunings SET change_id = ?3 WHERE audience = "
                                       "?1 AND announcement_date = ?2");
        if (!link) return link.error();
        link->bind(1, tuning.audience).bind(2, format_iso_date(tuning.date)).bind(3, *change);
        if (auto linked = link->run(); !linked) return linked.error();
        return true;
      });
}

Result<void> Store::set_paused(const std::string& scope, bool paused) {
  return sqlite::in_transaction(db_, Mode::kWrite, "pause " + scope, [&]() -> Result<void> {
    auto current = read_settings(db_, scope);
    if (!current) return current.error();
    current->paused = paused;
    return write_settings(db_, scope, *current);
  });
}

Result<std::vector<SettingsChange>> Store::settings_history(const std::string& scope, int limit) {
  using Changes = std::vector<SettingsChange>;
  return sqlite::in_transaction(
      db_, Mode::kRead, "read settings history of " + scope, [&]() -> Result<Changes> {
        auto select = Statement::prepare(
            db_, std::string(kChangeColumns) + "WHERE scope = ?1 ORDER BY id DESC LIMIT ?2");
        if (!select) return select.error();
        select->bind(1, scope).bind(2, limit);

        Changes changes;
        for (;;) {
          auto row = select->step();
          if (!row) return row.error();
          if (!*row) break;
          changes.push_back(read_change(*select));
        }
        return changes;
      });
}

Result<std::optional<SettingsChange>> Store::undo_last_change(const std::string& scope,
                                                              const std::string& person,
                                                              std::chrono::sys_seconds at) {
  using Found = std::optional<SettingsChange>;
  return sqlite::in_transaction(
      db_, Mode::kWrite, "undo a settings change of " + scope, [&]() -> Result<Found> {
        auto select = Statement::prepare(
            db_, std::string(kChangeColumns) +
                     "WHERE scope = ?1 AND undone_by IS NULL ORDER BY id DESC LIMIT 1");
        if (!select) return select.error();
        select->bind(1, scope);
        auto row = select->step();
        if (!row) return row.error();
        if (!*row) return Found();
        SettingsChange change = read_change(*select);
        auto before = decode_settings(select->text(7));
        select->reset();
        if (!before) return before.error();

        // Pausing is not part of the history, so the scope stays paused or running as it is.
        auto current = read_settings(db_, scope);
        if (!current) return current.error();
        before->paused = current->paused;
        if (auto written = write_settings(db_, scope, *before); !written) return written.error();

        auto mark = Statement::prepare(db_, kMarkUndone);
        if (!mark) return mark.error();
        mark->bind(1, change.id).bind(2, person).bind(3, unix_seconds(at));
        if (auto marked = mark->run(); !marked) return marked.error();
        change.undone = true;
        return Found(std::move(change));
      });
}

Result<void> Store::save_day(const DayRecord& day) {
  const std::string date = format_iso_date(day.date);
  return sqlite::in_transaction(db_, Mode::kWrite, "save day " + date, [&]() -> Result<void> {
    auto upsert = Statement::prepare(db_, kUpsertDay);
    if (!upsert) return upsert.error();
    upsert->bind(1, date).bind(2, day.status).bind(3, day.late ? 1 : 0);
    upsert->bind(4, day.stale_reads).bind(5, day.updated_at);
    return upsert->run();
  });
}

Result<std::optional<DayRecord>> Store::find_day(Date date) {
  using Found = std::optional<DayRecord>;
  const std::string day = format_iso_date(date);
  return sqlite::in_transaction(db_, Mode::kRead, "read day " + day, [&]() -> Result<Found> {
    auto select = Statement::prepare(db_, std::string(kDayColumns) + " WHERE date = ?1");
    if (!select) return select.error();
    select->bind(1, day);
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) return Found();
    auto record = read_day(*select);
    if (!record) return record.error();
    return Found(std::move(*record));
  });
}

Result<std::vector<DayRecord>> Store::days_since(Date from) {
  using Days = std::vector<DayRecord>;
  return sqlite::in_transaction(db_, Mode::kRead, "read days", [&]() -> Result<Days> {
    auto select =
        Statement::prepare(db_, std::string(kDayColumns) + " WHERE date >= ?1 ORDER BY date");
    if (!select) return select.error();
    select->bind(1, format_iso_date(from));

    Days days;
    for (;;) {
      auto row = select->step();
      if (!row) return row.error();
      if (!*row) break;
      auto record = read_day(*select);
      if (!record) return record.error();
      days.push_back(std::move(*record));
    }
    return days;
  });
}

Result<bool> Store::remember_event(const std::string& event_id, std::chrono::sys_seconds now) {
  return sqlite::in_transaction(db_, Mode::kWrite, "remember event", [&]() -> Result<bool> {
    auto insert = Statement::prepare(db_, R"sql(
INSERT INTO seen_events (event_id, seen_at)
VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', ?2, 'unixepoch'))
ON CONFLICT DO NOTHING RETURNING 1
)sql");
    if (!insert) return insert.error();
    insert->bind(1, event_id).bind(2, unix_seconds(now));
    auto added = count_rows(*insert);
    if (!added) return added.error();
    return *added > 0;
  });
}

Result<int> Store::forget_events_before(std::chrono::sys_seconds before) {
  return sqlite::in_transaction(db_, Mode::kWrite, "forget old events", [&]() -> Result<int> {
    auto remove = Statement::prepare(db_, R"sql(
DELETE FROM seen_events WHERE seen_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?1, 'unixepoch')
RETURNING 1
)sql");
    if (!remove) return remove.error();
    remove->bind(1, unix_seconds(before));
    return count_rows(*remove);
  });
}

}  // namespace paperbot
