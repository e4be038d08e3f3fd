#include "core/store/schema.hpp"

#include "core/store/sqlite_statement.hpp"

#include <span>
#include <string>

namespace paperbot::schema {
namespace {

struct Migration {
  const char* purpose;  // for the error message when the step fails
  const char* sql;
};

// Dates are ISO 8601 text ("2025-01-29"), so that text order is date order; timestamps are
// ISO 8601 UTC. Lists (authors, categories) and run counts are JSON text.
//
// Append new steps at the end; never edit a step that has shipped, since stores in the field
// have already applied it.
constexpr Migration kMigrations[] = {
    {"create the first schema", R"sql(
CREATE TABLE announcements (
  date        TEXT NOT NULL,
  source      TEXT NOT NULL,  -- the feed URL or file the papers came from
  recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (date, source)
);

-- Each paper: its latest version and metadata, and the first announcement it appeared in. The
-- title and abstract live only in paper_versions (join on the latest version), so the longest
-- text is written once per version.
CREATE TABLE papers (
  id              TEXT PRIMARY KEY,
  version         INTEGER NOT NULL,
  authors         TEXT NOT NULL,
  categories      TEXT NOT NULL,
  doi             TEXT NOT NULL DEFAULT '',
  journal_ref     TEXT NOT NULL DEFAULT '',
  comment         TEXT NOT NULL DEFAULT '',
  first_announced TEXT NOT NULL
);

-- Every version seen, with the earliest announcement that carried it.
CREATE TABLE paper_versions (
  paper_id      TEXT NOT NULL REFERENCES papers (id),
  version       INTEGER NOT NULL,
  announced     TEXT NOT NULL,
  announce_type TEXT NOT NULL,
  title         TEXT NOT NULL,
  abstract      TEXT NOT NULL,
  PRIMARY KEY (paper_id, version)
);

-- Which papers each announcement listed; a paper appears once per announcement.
CREATE TABLE announcement_papers (
  date          TEXT NOT NULL,
  paper_id      TEXT NOT NULL,
  version       INTEGER NOT NULL,
  announce_type TEXT NOT NULL,
  PRIMARY KEY (date, paper_id),
  FOREIGN KEY (paper_id, version) REFERENCES paper_versions (paper_id, version)
);
CREATE INDEX announcement_papers_by_paper ON announcement_papers (paper_id, date);

CREATE TABLE criteria_versions (
  id             INTEGER PRIMARY KEY,
  hash           TEXT NOT NULL UNIQUE,
  base_prompt    TEXT NOT NULL,
  topics         TEXT NOT NULL,
  score_criteria TEXT NOT NULL,
  postfix        TEXT NOT NULL,
  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  author         TEXT NOT NULL,
  reason         TEXT NOT NULL
);

-- The scorer names what produced the score ("offline", "llm:gpt-4o@<prompt hash>"), so the
-- cache never mixes models. No range check: author matches carry the configured score.
CREATE TABLE scores (
  paper_id    TEXT NOT NULL,
  version     INTEGER NOT NULL,
  criteria_id INTEGER NOT NULL REFERENCES criteria_versions (id),
  scorer      TEXT NOT NULL,
  relevance   INTEGER NOT NULL,
  novelty     INTEGER NOT NULL,
  comment     TEXT NOT NULL,
  scored_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (paper_id, version, criteria_id, scorer),
  FOREIGN KEY (paper_id, version) REFERENCES paper_versions (paper_id, version)
);

CREATE TABLE runs (
  id                   INTEGER PRIMARY KEY,
  date                 TEXT NOT NULL,
  audience             TEXT NOT NULL,
  status               TEXT NOT NULL,
  scorer               TEXT NOT NULL,
  criteria_id          INTEGER REFERENCES criteria_versions (id),  -- NULL when none was used
  counts               TEXT NOT NULL,
  prompt_tokens        INTEGER NOT NULL,
  completion_tokens    INTEGER NOT NULL,
  cached_prompt_tokens INTEGER NOT NULL,
  cost                 REAL,  -- dollars, NULL when unknown
  late                 INTEGER NOT NULL,
  started_at           TEXT NOT NULL,
  finished_at          TEXT NOT NULL,
  UNIQUE (date, audience)
);

CREATE TABLE run_papers (
  run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  rank     INTEGER NOT NULL,
  paper_id TEXT NOT NULL,
  PRIMARY KEY (run_id, rank)
);

CREATE TABLE http_validators (
  url           TEXT PRIMARY KEY,
  etag          TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
)sql"},
    {"record what scoring spent", R"sql(
-- One row per scoring pass that billed tokens, written as soon as the pass ends, so that a run
-- which fails later still counts against the daily budget.
CREATE TABLE spending (
  id                   INTEGER PRIMARY KEY,
  spent_at             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  announcement_date    TEXT NOT NULL,
  scorer               TEXT NOT NULL,
  prompt_tokens        INTEGER NOT NULL,
  completion_tokens    INTEGER NOT NULL,
  cached_prompt_tokens INTEGER NOT NULL,
  dollars              REAL  -- NULL when the model's price is unknown
);
CREATE INDEX spending_by_time ON spending (spent_at);
)sql"},
    {"cache the authors' h-indices", R"sql(
-- The highest Semantic Scholar h-index among a paper's authors, as last looked up. NULL: Semantic
-- Scholar answered but knew no h-index for the paper. Failed lookups are not written. Keyed by the
-- arXiv id alone, since the authors rarely change between versions.
CREATE TABLE h_index_cache (
  paper_id     TEXT PRIMARY KEY,
  best_h_index INTEGER,
  looked_up_at TEXT NOT NULL  -- ISO 8601 UTC
);
)sql"},
    {"the outbox and feedback", R"sql(
-- One row per message to one audience, written before it is sent. A NULL paper_id counts as ''
-- in the identity, so that a day's header is enqueued once however often the day is rendered.
-- sending_since is set just before a send and cleared by its outcome: a row pending with it set
-- was in flight when the process stopped, and the channel's history decides whether it went out.
CREATE TABLE deliveries (
  id                INTEGER PRIMARY KEY,
  audience          TEXT NOT NULL,
  announcement_date TEXT NOT NULL,
  kind              TEXT NOT NULL,
  paper_id          TEXT,
  part              INTEGER NOT NULL DEFAULT 0,
  payload           TEXT NOT NULL,
  thread_key        TEXT,  -- the kind of the message this one replies to; NULL: top level
  relevance         INTEGER,  -- the paper's scores when rendered; NULL without model scores
  novelty           INTEGER,
  rank_score        INTEGER,
  status            TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sent', 'failed')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  last_error        TEXT NOT NULL DEFAULT '',
  sending_since     TEXT,
  external_id       TEXT,  -- Slack's ts
  posted_channel    TEXT,
  created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  sent_at           TEXT
);
CREATE UNIQUE INDEX deliveries_identity
  ON deliveries (audience, announcement_date, kind, coalesce(paper_id, ''), part);
CREATE INDEX deliveries_pending ON deliveries (status, id);
CREATE INDEX deliveries_posted ON deliveries (posted_channel, external_id);

-- What a reaction on (channel, ts) is about, with the scores the paper had when it was posted.
CREATE VIEW posted_papers AS
SELECT audience, posted_channel AS channel, external_id AS ts, paper_id, announcement_date,
       relevance, novelty, rank_score, sent_at
FROM deliveries WHERE status = 'sent' AND paper_id IS NOT NULL;

-- One row per person and vote; taking the reaction back deletes the row.
CREATE TABLE feedback (
  audience          TEXT NOT NULL,
  paper_id          TEXT NOT NULL,
  announcement_date TEXT NOT NULL,
  person            TEXT NOT NULL,
  vote              INTEGER NOT NULL CHECK (vote IN (1, -1)),
  source            TEXT NOT NULL,
  at                TEXT NOT NULL,  -- ISO 8601 UTC
  UNIQUE (audience, paper_id, person, vote)
);
)sql"},
    {"chat settings, processed days and handled events", R"sql(
-- The settings made in chat, one row per scope ('global' or an audience id such as
-- 'slack:C0123'). NULL inherits: from the global scope, then from the config.
CREATE TABLE scope_settings (
  scope            TEXT PRIMARY KEY,
  criteria_id      INTEGER REFERENCES criteria_versions (id),
  authors          TEXT,  -- JSON list of {"name", "semantic_scholar_id"}; NULL inherits
  relevance_cutoff INTEGER,
  novelty_cutoff   INTEGER,
  top_n            INTEGER,
  paused           INTEGER NOT NULL DEFAULT 0,
  updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Every change of a scope's settings, with the settings before and after as JSON (the same
-- fields as scope_settings, paused left out), so that undo can put the earlier ones back.
CREATE TABLE settings_changes (
  id              INTEGER PRIMARY KEY,
  scope           TEXT NOT NULL,
  what            TEXT NOT NULL,  -- 'criteria', 'authors', 'cutoffs'
  summary         TEXT NOT NULL,
  person          TEXT NOT NULL,
  at              TEXT NOT NULL,  -- ISO 8601 UTC
  settings_before TEXT NOT NULL,
  settings_after  TEXT NOT NULL,
  undone_by       TEXT,  -- NULL until undone
  undone_at       TEXT
);
CREATE INDEX settings_changes_by_scope ON settings_changes (scope, id);

-- The announcement days the daemon dealt with: processed, empty, or given up after the feed
-- never changed. The scheduler reads these to know what is left to catch up.
CREATE TABLE days (
  date        TEXT PRIMARY KEY,
  status      TEXT NOT NULL,
  late        INTEGER NOT NULL DEFAULT 0,
  stale_reads INTEGER NOT NULL DEFAULT 0,
  updated_at  TEXT NOT NULL
);

-- Slack event ids already handled; Slack redelivers an event it thinks was not acknowledged.
CREATE TABLE seen_events (
  event_id TEXT PRIMARY KEY,
  seen_at  TEXT NOT NULL  -- ISO 8601 UTC
);
CREATE INDEX seen_events_by_time ON seen_events (seen_at);
)sql"},
    {"e-mail subscribers", R"sql(
-- Addresses added to or taken off an e-mail audience ('email:theory') in chat or through a
-- link, on top of the config's recipients. A row of a config address records that it was
-- unsubscribed or suspended, so the config alone can no longer mail it. The domain is stored
-- lower-cased; the whole address compares without regard to ASCII case, so one mailbox is one
-- row however it is typed.
CREATE TABLE subscribers (
  audience   TEXT NOT NULL,
  address    TEXT NOT NULL COLLATE NOCASE,
  status     TEXT NOT NULL CHECK (status IN ('subscribed', 'unsubscribed', 'suspended')),
  failures   INTEGER NOT NULL DEFAULT 0,  -- permanent delivery failures since last subscribed
  who        TEXT NOT NULL,  -- Slack user id, 'config' or 'link'
  created_at TEXT NOT NULL,  -- ISO 8601 UTC
  updated_at TEXT NOT NULL,
  UNIQUE (audience, address)
);
)sql"},
    {"what the cutoffs learn from", R"sql(
-- Each paper shown to an audience, with the scores it had when shown: posted in the digest, or
-- posted just below the bar to find out whether the bar is too high. The learner reads these
-- with the feedback on them; a paper that drew no reaction is a row with no feedback.
CREATE TABLE exposures (
  audience          TEXT NOT NULL,
  announcement_date TEXT NOT NULL,
  paper_id          TEXT NOT NULL,
  relevance         INTEGER NOT NULL,
  novelty           INTEGER NOT NULL,
  rank_score        INTEGER NOT NULL,
  below_bar         INTEGER NOT NULL,
  PRIMARY KEY (audience, announcement_date, paper_id)
);
-- One row per audience and announcement day that the learner looked at the cutoffs, moved or
-- not, with its reason in words and the evidence it had. Read back for `cutoffs why` and for the
-- chart of how the cutoffs moved.
CREATE TABLE cutoff_tunings (
  audience          TEXT NOT NULL,
  announcement_date TEXT NOT NULL,
  relevance_before  INTEGER NOT NULL,
  novelty_before    INTEGER NOT NULL,
  relevance_after   INTEGER NOT NULL,
  novelty_after     INTEGER NOT NULL,
  reason            TEXT NOT NULL,
  change_id         INTEGER REFERENCES settings_changes (id),  -- NULL when nothing moved
  at                TEXT NOT NULL,  -- ISO 8601 UTC
  PRIMARY KEY (audience, announcement_date)
);
-- Audiences whose cutoffs an admin locked: the learner leaves them alone.
CREATE TABLE cutoff_locks (
  scope     TEXT PRIMARY KEY,
  locked_by TEXT NOT NULL,
  locked_at TEXT NOT NULL  -- ISO 8601 UTC
);
)sql"},
};

}  // namespace

int latest_version() {
  return static_cast<int>(std::size(kMigrations));
}

Result<int> current_version(sqlite3* db) {
  auto statement = sqlite::Statement::prepare(db, "PRAGMA user_version");
  if (!statement) return statement.error();
  auto row = statement->step();
  if (!row) return row.error();
  return static_cast<int>(statement->integer(0));
}

Result<void> check_known(int version) {
  if (version <= latest_version()) return {};
  return make_error("store", "the store has schema version " + std::to_string(version) +
                                 ", newer than this paperbot knows (" +
                                 std::to_string(latest_version()) +
                                 "); upgrade paperbot or open another store file");
}

Result<void> migrate(sqlite3* db) {
  auto version = current_version(db);
  if (!version) return sqlite::store_error("read schema version", version.error());

  if (auto known = check_known(*version); !known) return known;

  std::span<const Migration> steps(kMigrations);
  for (int next = *version + 1; next <= latest_version(); ++next) {
    const Migration& step = steps[static_cast<std::size_t>(next - 1)];
    std::string what =
        "migrate schema to version " + std::to_string(next) + " (" + step.purpose + ")";

    // The version is written in the same transaction as the step, so they stand or fall together.
    auto applied = sqlite::in_transaction(db, sqlite::Transaction::Mode::kWrite, what, [&] {
      // Another process opening the same new file may have applied the step while we waited
      // for the write lock.
      auto now = current_version(db);
      if (!now || *now >= next) return now ? Result<void>() : Result<void>(now.error());

      auto changed = sqlite::execute(db, step.sql);
      if (!changed) return changed;
      return sqlite::execute(db, "PRAGMA user_version = " + std::to_string(next));
    });
    if (!applied) return applied;
  }
  return {};
}

}  // namespace paperbot::schema
