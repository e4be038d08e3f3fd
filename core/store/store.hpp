// The store: one SQLite file (WAL) that remembers announcements, papers with every version seen,
// criteria versions, scores and runs. The schema is versioned and migrated when the store opens.
//
// Thread safety: a Store is used from one thread at a time. Every method that writes does so in
// one transaction, so a failure leaves the file as it was before the call.
#pragma once

#include "core/common/criteria.hpp"
#include "core/common/date.hpp"
#include "core/common/http.hpp"
#include "core/common/paper.hpp"
#include "core/common/result.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace paperbot {

// A paper version and its score, as stored.
struct StoredScore {
  std::string paper_id;
  int version = 1;
  std::int64_t criteria_id = 0;
  Score score;
};

// Counts of one run, reported to the operator and kept with the run.
struct RunCounts {
  int fetched = 0;  // items in the feed(s), a paper listed in two categories counted twice
  int unique = 0;   // distinct papers
  int kept = 0;     // papers left after filtering, sent to scoring
  int scored = 0;   // papers with a score (from the scorer or the cache)
  int cached = 0;   // of those, how many came from the cache
  int unscored = 0;
  int selected = 0;                         // papers in the digest
  std::map<std::string, int> per_category;  // category -> items listed in it
  std::map<std::string, int> dropped;       // reason -> papers dropped for it
};

struct RunRecord {
  std::int64_t id = 0;
  Date date;
  std::string audience = "files";  // who the digest is for; "files" for the output folder
  std::string status;              // "done", "failed", "empty"
  std::string scorer;
  std::int64_t criteria_id = 0;
  RunCounts counts;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cached_prompt_tokens = 0;
  std::optional<double> cost;  // dollars; empty when unknown
  bool late = false;
  std::string started_at;                 // ISO 8601 UTC
  std::string finished_at;                // ISO 8601 UTC
  std::vector<std::string> selected_ids;  // the digest, in rank order
};

class Store {
 public:
  // Opens (creating if needed) the SQLite file at `path` and migrates it to the current schema.
  // ":memory:" opens a private in-memory store.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& path);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;

  // The id of these criteria, adding them as a new version (with who and why) when the text is
  // new. The same text always gives the same id.
  Result<std::int64_t> criteria_version(const Criteria& criteria, const std::string& author,
                                        const std::string& reason);

  // Records the papers of an announcement: every paper, and every version not seen before.
  // Re-recording the same announcement adds nothing.
  Result<void> record_announcement(Date date, const std::string& source,
                                   const std::vector<Paper>& papers);

  // Of `ids`, those that were scored (any version, any criteria) for an announcement before
  // `date`.
  Result<std::vector<std::string>> scored_before(const std::vector<std::string>& ids, Date date);

  // Cached scores for these papers (exact versions) under `criteria_id` by `scorer`.
  // Keyed by versioned id ("2501.16396v1").
  Result<std::map<std::string, Score>> cached_scores(const std::vector<Paper>& papers,
                                                     std::int64_t criteria_id,
                                                     const std::string& scorer);

  Result<void> save_scores(const std::vector<StoredScore>& scores);

  // Papers announced in the `days` before `date` (not on it), newest first, at most `limit`.
  Result<std::vector<Paper>> recent_papers(Date date, int days, int limit);

  // The finished run of `date` for `audience`, if any.
  Result<std::optional<RunRecord>> find_run(Date date, const std::string& audience);

  // Saves a run, replacing an earlier run of the same date and audience.
  Result<std::int64_t> save_run(const RunRecord& run);

  // Conditional-GET validators last seen for `url` (empty when never fetched).
  Result<HttpValidators> http_validators(const std::string& url);
  Result<void> save_http_validators(const std::string& url, const HttpValidators& validators);

 private:
  explicit Store(sqlite3* db);
  Result<void> migrate();

  sqlite3* db_;
};

}  // namespace paperbot
