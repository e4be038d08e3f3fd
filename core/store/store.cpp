// Opening the store, criteria versions, announcements and their papers, and scores.
// Runs and HTTP validators are in store_runs.cpp.
#include "core/store/store.hpp"

#include "core/store/paper_rows.hpp"
#include "core/store/schema.hpp"
#include "core/store/sqlite_statement.hpp"

#include <sqlite3.h>

#include <chrono>
#include <set>
#include <system_error>
#include <thread>

namespace paperbot {
namespace {

using sqlite::Statement;
using Mode = sqlite::Transaction::Mode;

// Long enough for another paperbot process (a CLI run beside the daemon) to finish a write.
constexpr int kBusyTimeoutMilliseconds = 5000;

constexpr const char* kInsertAnnouncement =
    "INSERT INTO announcements (date, source) VALUES (?1, ?2) ON CONFLICT DO NOTHING";

// The latest metadata follows the highest version seen, whatever order the days are recorded in
// (a late day caught up after a newer one must not bring back an old DOI). The right-hand
// sides all read the row as it was before the update.
constexpr const char* kUpsertPaper = R"sql(
INSERT INTO papers (id, version, authors, categories, doi, journal_ref, comment, first_announced)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT (id) DO UPDATE SET
  first_announced = min(first_announced, excluded.first_announced),
  authors = iif(excluded.version >= version, excluded.authors, authors),
  categories = iif(excluded.version >= version, excluded.categories, categories),
  doi = iif(excluded.version >= version, excluded.doi, doi),
  journal_ref = iif(excluded.version >= version, excluded.journal_ref, journal_ref),
  comment = iif(excluded.version >= version, excluded.comment, comment),
  version = max(version, excluded.version)
)sql";

// A version keeps the earliest announcement that carried it: that is when it was new.
constexpr const char* kUpsertVersion = R"sql(
INSERT INTO paper_versions (paper_id, version, announced, announce_type, title, abstract)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (paper_id, version) DO UPDATE SET
  announced = excluded.announced, announce_type = excluded.announce_type
WHERE excluded.announced < paper_versions.announced
)sql";

// One row per paper and day; a combined feed listing a paper twice keeps its highest version.
constexpr const char* kUpsertAnnouncementPaper = R"sql(
INSERT INTO announcement_papers (date, paper_id, version, announce_type)
VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (date, paper_id) DO UPDATE SET
  version = excluded.version, announce_type = excluded.announce_type
WHERE excluded.version > announcement_papers.version
)sql";

constexpr const char* kScoredBefore = R"sql(
SELECT EXISTS (
  SELECT 1 FROM scores s
  JOIN paper_versions v ON v.paper_id = s.paper_id AND v.version = s.version
  WHERE s.paper_id = ?1 AND v.announced < ?2)
)sql";

constexpr const char* kCachedScore = R"sql(
SELECT relevance, novelty, comment FROM scores
WHERE paper_id = ?1 AND version = ?2 AND criteria_id = ?3 AND scorer = ?4
)sql";

constexpr const char* kUpsertScore = R"sql(
INSERT INTO scores (paper_id, version, criteria_id, scorer, relevance, novelty, comment)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (paper_id, version, criteria_id, scorer) DO UPDATE SET
  relevance = excluded.relevance, novelty = excluded.novelty, comment = excluded.comment,
  scored_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
)sql";

// Switching a file to WAL needs it to itself, and SQLite reports a clash at once instead of
// waiting in the busy handler; so processes creating the store together take turns here.
Result<void> use_wal(sqlite3* db) {
  constexpr auto kPause = std::chrono::milliseconds(20);
  for (int waited = 0;; waited += static_cast<int>(kPause.count())) {
    auto mode = Statement::prepare(db, "PRAGMA journal_mode = WAL");
    auto row = mode ? mode->step() : Result<bool>(mode.error());
    if (row) {
      std::string name = mode->text(0);
      if (name == "wal") return {};
      return make_error("store", "the file stays in \"" + name + "\" mode");
    }
    if (sqlite3_errcode(db) != SQLITE_BUSY || waited >= kBusyTimeoutMilliseconds)
      return row.error();
    std::this_thread::sleep_for(kPause);
  }
}

std::string iso(Date date) {
  return format_iso_date(date);
}

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& path) {
  const std::string name = path.string();
  const std::string what = "open " + name;

  // A configured path such as "data/paperbot.db" should work on a fresh machine.
  if (name != ":memory:" && path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return make_error("store", what + ": cannot create its folder: " + ec.message());
  }

  // The Store owns the handle from here, so that every early return closes it.
  sqlite3* db = nullptr;
  int code =
      sqlite3_open_v2(name.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<Store> store(new Store(db));
  if (code != SQLITE_OK) {
    return db != nullptr ? sqlite::last_error(db, what)
                         : make_error("store", what + ": " + sqlite3_errstr(code));
  }

  if (auto configured = store->configure(); !configured)
    return sqlite::store_error(what, configured.error());
  return store;
}

Result<void> Store::configure() {
  sqlite3_busy_timeout(db_, kBusyTimeoutMilliseconds);

  // Refuse a newer store before changing anything in it, journal mode included.
  auto version = schema::current_version(db_);
  if (!version) return sqlite::store_error("read schema version", version.error());
  if (auto known = schema::check_known(*version); !known) return known;

  if (auto on = sqlite::execute(db_, "PRAGMA foreign_keys = ON"); !on)
    return sqlite::store_error("turn on foreign keys", on.error());

  // WAL lets readers (a chat command) run while the daemon writes. An in-memory store has no
  // file to log to and keeps its "memory" journal.
  if (sqlite3_db_filename(db_, "main")[0] != '\0') {
    if (auto wal = use_wal(db_); !wal)
      return sqlite::store_error("set WAL journal mode", wal.error());
  }

  // In WAL mode NORMAL loses no committed data when the process dies, only on power loss,
  // and spares an fsync per transaction.
  if (auto synchronous = sqlite::execute(db_, "PRAGMA synchronous = NORMAL"); !synchronous)
    return sqlite::store_error("set synchronous mode", synchronous.error());

  return schema::migrate(db_);
}

Store::~Store() {
  sqlite3_close_v2(db_);
}

int Store::schema_version() const {
  auto version = schema::current_version(db_);
  return version ? *version : -1;
}

int Store::latest_schema_version() {
  return schema::latest_version();
}

Result<std::int64_t> Store::criteria_version(const Criteria& criteria, const std::string& author,
                                             const std::string& reason) {
  const std::string hash = criteria.hash();
  return sqlite::in_transaction(
      db_, Mode::kWrite, "record criteria version", [&]() -> Result<std::int64_t> {
        // The hash is unique: the same text keeps its first id, author and reason.
        auto insert = Statement::prepare(db_, R"sql(
INSERT INTO criteria_versions (hash, base_prompt, topics, score_criteria, postfix, author, reason)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (hash) DO NOTHING
)sql");
        if (!insert) return insert.error();
        insert->bind(1, hash).bind(2, criteria.base_prompt).bind(3, criteria.topics);
        insert->bind(4, criteria.score_criteria).bind(5, criteria.postfix);
        insert->bind(6, author).bind(7, reason);
        if (auto inserted = insert->run(); !inserted) return inserted.error();

        auto select = Statement::prepare(db_, "SELECT id FROM criteria_versions WHERE hash = ?1");
        if (!select) return select.error();
        select->bind(1, hash);
        auto row = select->step();
        if (!row) return row.error();
        return select->integer(0);
      });
}

Result<std::optional<CriteriaVersion>> Store::find_criteria(std::int64_t id) {
  using Found = std::optional<CriteriaVersion>;
  return sqlite::in_transaction(db_, Mode::kRead, "read criteria version", [&]() -> Result<Found> {
    auto select = Statement::prepare(db_, R"sql(
SELECT base_prompt, topics, score_criteria, postfix, created_at, author, reason
FROM criteria_versions WHERE id = ?1
)sql");
    if (!select) return select.error();
    select->bind(1, id);
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) return Found();

    CriteriaVersion found;
    found.id = id;
    found.criteria = Criteria{select->text(0), select->text(1), select->text(2), select->text(3)};
    found.created_at = select->text(4);
    found.author = select->text(5);
    found.reason = select->text(6);
    return Found(std::move(found));
  });
}

Result<void> Store::record_announcement(Date date, const std::string& source,
                                        const std::vector<Paper>& papers) {
  const std::string day = iso(date);
  return sqlite::in_transaction(
      db_, Mode::kWrite, "record announcement " + day, [&]() -> Result<void> {
        auto announcement = Statement::prepare(db_, kInsertAnnouncement);
        if (!announcement) return announcement.error();
        announcement->bind(1, day).bind(2, source);
        if (auto inserted = announcement->run(); !inserted) return inserted;

        // Prepared once and reused for every paper: a day of thousands stays one quick pass.
        auto paper_row = Statement::prepare(db_, kUpsertPaper);
        auto version_row = Statement::prepare(db_, kUpsertVersion);
        auto listing_row = Statement::prepare(db_, kUpsertAnnouncementPaper);
        for (auto* prepared : {&paper_row, &version_row, &listing_row}) {
          if (!*prepared) return prepared->error();
        }

        for (const Paper& paper : papers) {
          const std::string_view type = to_string(paper.announce_type);
          paper_row->bind(1, paper.id).bind(2, paper.version);
          paper_row->bind(3, store_rows::encode_list(paper.authors));
          paper_row->bind(4, store_rows::encode_list(paper.categories)).bind(5, paper.doi);
          paper_row->bind(6, paper.journal_ref).bind(7, paper.comment).bind(8, day);
          version_row->bind(1, paper.id).bind(2, paper.version).bind(3, day).bind(4, type);
          version_row->bind(5, paper.title).bind(6, paper.abstract);
          listing_row->bind(1, day).bind(2, paper.id).bind(3, paper.version).bind(4, type);

          for (auto* prepared : {&paper_row, &version_row, &listing_row}) {
            if (auto written = (*prepared)->run(); !written)
              return make_error("store", paper.versioned_id() + ": " + written.error().message);
          }
        }
        return {};
      });
}

Result<std::vector<Paper>> Store::announced_papers(Date date) {
  const std::string day = iso(date);
  using Papers = std::vector<Paper>;
  return sqlite::in_transaction(
      db_, Mode::kRead, "read announcement " + day, [&]() -> Result<Papers> {
        auto select =
            Statement::prepare(db_, store_rows::kSelectListedPaper +
                                        std::string(" WHERE a.date = ?1 ORDER BY a.paper_id"));
        if (!select) return select.error();
        select->bind(1, day);
        return store_rows::read_papers(*select);
      });
}

Result<std::vector<std::string>> Store::scored_before(const std::vector<std::string>& ids,
                                                      Date date) {
  const std::string day = iso(date);
  using Ids = std::vector<std::string>;
  return sqlite::in_transaction(db_, Mode::kRead, "look up earlier scores", [&]() -> Result<Ids> {
    auto exists = Statement::prepare(db_, kScoredBefore);
    if (!exists) return exists.error();

    Ids found;
    std::set<std::string> asked;
    for (const std::string& id : ids) {
      if (!asked.insert(id).second) continue;
      exists->bind(1, id).bind(2, day);
      auto row = exists->step();
      if (!row) return row.error();
      if (exists->integer(0) != 0) found.push_back(id);
      exists->reset();
    }
    return found;
  });
}

Result<std::map<std::string, Score>> Store::cached_scores(const std::vector<Paper>& papers,
                                                          std::int64_t criteria_id,
                                                          const std::string& scorer) {
  using Scores = std::map<std::string, Score>;
  return sqlite::in_transaction(db_, Mode::kRead, "read cached scores", [&]() -> Result<Scores> {
    auto select = Statement::prepare(db_, kCachedScore);
    if (!select) return select.error();

    Scores found;
    for (const Paper& paper : papers) {
      select->bind(1, paper.id).bind(2, paper.version).bind(3, criteria_id).bind(4, scorer);
      auto row = select->step();
      if (!row) return row.error();
      if (*row) {
        found[paper.versioned_id()] =
            Score{static_cast<int>(select->integer(0)), static_cast<int>(select->integer(1)),
                  select->text(2), scorer};
      }
      select->reset();
    }
    return found;
  });
}

Result<void> Store::save_scores(const std::vector<StoredScore>& scores) {
  return sqlite::in_transaction(db_, Mode::kWrite, "save scores", [&]() -> Result<void> {
    auto upsert = Statement::prepare(db_, kUpsertScore);
    if (!upsert) return upsert.error();

    for (const StoredScore& stored : scores) {
      upsert->bind(1, stored.paper_id).bind(2, stored.version).bind(3, stored.criteria_id);
      upsert->bind(4, stored.score.scorer).bind(5, stored.score.relevance);
      upsert->bind(6, stored.score.novelty).bind(7, stored.score.comment);
      if (auto written = upsert->run(); !written) {
        // The usual cause is a foreign key: say which rows it needs.
        return make_error("store", stored.paper_id + "v" + std::to_string(stored.version) +
                                       " under criteria " + std::to_string(stored.criteria_id) +
                                       ": " + written.error().message +
                                       " (the paper version must be recorded and the criteria "
                                       "id must exist)");
      }
    }
    return {};
  });
}

Result<std::vector<Paper>> Store::recent_papers(Date date, int days, int limit) {
  using Papers = std::vector<Paper>;
  if (days <= 0 || limit <= 0) return Papers();

  const std::string end = iso(date);
  const std::string begin = iso(Date(std::chrono::sys_days(date) - std::chrono::days(days)));
  return sqlite::in_transaction(db_, Mode::kRead, "read recent papers", [&]() -> Result<Papers> {
    // Each paper once, on the latest of its days in the window. The order is the (date, paper)
    // key walked backwards, so nothing is sorted and the walk stops at the limit.
    auto select = Statement::prepare(db_, store_rows::kSelectListedPaper + std::string(R"sql(
WHERE a.date >= ?1 AND a.date < ?2
  AND a.date = (SELECT max(b.date) FROM announcement_papers b
                WHERE b.paper_id = a.paper_id AND b.date < ?2)
ORDER BY a.date DESC, a.paper_id DESC
LIMIT ?3
)sql"));
    if (!select) return select.error();
    select->bind(1, begin).bind(2, end).bind(3, limit);
    return store_rows::read_papers(*select);
  });
}

}  // namespace paperbot
