// The store: one SQLite file (WAL) that remembers announcements, papers with every version seen,
// criteria versions, scores, runs and the authors' h-indices looked up. The schema is versioned and
// migrated when the store opens.
//
// Thread safety: a Store is used from one thread at a time. Every method that writes does so in
// one transaction, so a failure leaves the file as it was before the call.
#pragma once

#include "core/common/criteria.hpp"
#include "core/common/date.hpp"
#include "core/common/digest.hpp"
#include "core/common/http.hpp"
#include "core/common/paper.hpp"
#include "core/common/result.hpp"
#include "core/store/feedback_records.hpp"
#include "core/store/metrics_records.hpp"
#include "core/store/outbox_records.hpp"
#include "core/store/settings_records.hpp"
#include "core/store/subscribers_records.hpp"

#include <chrono>
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

// One stored version of the criteria, with who made it and why.
struct CriteriaVersion {
  std::int64_t id = 0;
  Criteria criteria;
  std::string created_at;  // ISO 8601 UTC
  std::string author;
  std::string reason;
};

// Tokens and dollars billed by scorers over some period.
struct Spending {
  std::int64_t tokens = 0;  // prompt + completion
  double dollars = 0;       // what priced models cost; unpriced ones add nothing
};

class Store {
 public:
  // Opens (creating it and its folder if needed) the SQLite file at `path`, in WAL mode with
  // foreign keys on and a busy timeout, and migrates it to the current schema. ":memory:" opens
  // a private in-memory store. A store written by a newer paperbot (a schema version this build
  // does not know) is refused, untouched.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& path);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The schema version of the open file; -1 when it cannot be read.
  int schema_version() const;

  // The schema version this build migrates stores to.
  static int latest_schema_version();

  // The id of these criteria, adding them as a new version (with who and why) when the text is
  // new. The same text always gives the same id.
  Result<std::int64_t> criteria_version(const Criteria& criteria, const std::string& author,
                                        const std::string& reason);

  // The criteria version `id`, if there is one.
  Result<std::optional<CriteriaVersion>> find_criteria(std::int64_t id);

  // Records the papers of an announcement: every paper, and every version not seen before.
  // Re-recording the same announcement adds nothing. A paper listed twice (two categories of
  // a combined feed) is recorded once. A paper's latest text is that of its highest version.
  Result<void> record_announcement(Date date, const std::string& source,
                                   const std::vector<Paper>& papers);

  // The papers the announcement of `date` listed, with the version and announce type it listed
  // them with, in id order. Empty when the day was never recorded.
  Result<std::vector<Paper>> announced_papers(Date date);

  // Of `ids`, those that were scored (any version, any criteria) for an announcement before
  // `date`.
  Result<std::vector<std::string>> scored_before(const std::vector<std::string>& ids, Date date);

  // Cached scores for these papers (exact versions) under `criteria_id` by `scorer`.
  // Keyed by versioned id ("2501.16396v1").
  Result<std::map<std::string, Score>> cached_scores(const std::vector<Paper>& papers,
                                                     std::int64_t criteria_id,
                                                     const std::string& scorer);

  // Saves scores, replacing an earlier score of the same paper version, criteria and scorer.
  // The cache is keyed by `score.scorer`, which must be the name later given to cached_scores.
  // Each paper version must have been recorded by record_announcement and each criteria id
  // must come from criteria_version; otherwise nothing is saved and the error names the paper.
  Result<void> save_scores(const std::vector<StoredScore>& scores);

  // Papers announced in the `days` before `date` (not on it), newest day first and newest id
  // first within a day, at most `limit`.
  // A paper announced on several of those days is listed once, as of its latest announcement.
  Result<std::vector<Paper>> recent_papers(Date date, int days, int limit);

  // The run saved for `date` and `audience`, whatever its status, if any.
  Result<std::optional<RunRecord>> find_run(Date date, const std::string& audience);

  // Saves a run, replacing an earlier run of the same date and audience; the run keeps its id,
  // which is returned. `run.id` is ignored. A criteria_id of 0 means no criteria were used.
  Result<std::int64_t> save_run(const RunRecord& run);

  // Records what one scoring pass billed, at once, so that it counts against the daily budget
  // even if the run fails afterwards. Nothing is written when `usage` billed nothing.
  Result<void> record_spending(Date announcement, const std::string& scorer, const Usage& usage);

  // What scoring billed on the UTC day `day`.
  Result<Spending> spent_on(Date day);

  // Conditional-GET validators last seen for `url` (empty when never fetched). Any user name
  // and password in the URL are dropped before it is stored or looked up, so none is kept.
  Result<HttpValidators> http_validators(const std::string& url);
  Result<void> save_http_validators(const std::string& url, const HttpValidators& validators);

  // How long a looked-up h-index is trusted before it is looked up again.
  static constexpr std::chrono::days kHIndexMaxAge{30};

  // The cached best author h-index of each of these papers (arXiv ids without version) that was
  // looked up less than kHIndexMaxAge before `now`. Papers with no fresh entry are left out; a
  // nullopt value is a paper looked up but with no known h-index.
  Result<std::map<std::string, std::optional<int>>> cached_h_indices(
      const std::vector<std::string>& ids, std::chrono::sys_seconds now);

  // Saves lookups made at `looked_up_at`, replacing earlier ones of the same papers. Only
  // answers belong here: a lookup that failed is not saved, so that it is tried again.
  Result<void> save_h_indices(const std::map<std::string, std::optional<int>>& best,
                              std::chrono::sys_seconds looked_up_at);

  // The outbox (store_outbox.cpp). Deliveries are written before they are sent and marked after,
  // so that a restart knows what was in flight; see core/delivery/outbox.hpp for the protocol.

  // Adds the deliveries not already enqueued (same audience, date, kind, paper and part), in one
  // transaction and in the given order, which is the order they are sent in. Returns how many
  // were new.
  Result<int> enqueue_deliveries(const std::vector<Delivery>& deliveries);

  // Pending deliveries of `audience` (all audiences when empty), oldest first, at most `limit`.
  Result<std::vector<Delivery>> pending_deliveries(const std::optional<std::string>& audience,
                                                   int limit);

  // Records that a send of delivery `id` starts at `now`. Until mark_sent or mark_failed, the
  // delivery reads back with `sending` set: its outcome is unknown.
  Result<void> mark_sending(std::int64_t id, std::chrono::sys_seconds now);

  // Records that delivery `id` was posted to `channel` as message `external_id` at `now`.
  Result<void> mark_sent(std::int64_t id, const std::string& channel,
                         const std::string& external_id, std::chrono::sys_seconds now);

  // Records a failed send (or a failed check of the history) of delivery `id`. Permanent: the
  // delivery is given up (status failed). Otherwise it stays pending with one more attempt.
  Result<void> mark_failed(std::int64_t id, const std::string& error, bool permanent);

  // Records why delivery `id` cannot go out until a person fixes something (the bot is not in
  // the channel): it stays pending, with no attempt counted and no send in flight.
  Result<void> mark_blocked(std::int64_t id, const std::string& error);

  // The paper posted to `channel` as message `external_id`, if any.
  Result<std::optional<PostedPaper>> find_posted(const std::string& channel,
                                                 const std::string& external_id);

  // The external id of part 0 of the day's `thread_key` message (no paper) once it was sent;
  // empty while it is pending, when it failed, or when there is none.
  Result<std::optional<std::string>> thread_parent(const std::string& audience, Date date,
                                                   const std::string& thread_key = "header");

  // Feedback (store_outbox.cpp). Recording the same vote twice, or removing one that is not
  // there, changes nothing; each returns whether the store changed.
  Result<bool> record_feedback(const Feedback& feedback, std::chrono::sys_seconds at);
  Result<bool> remove_feedback(const std::string& audience, const std::string& paper_id,
                               const std::string& person, int vote);

  // 👍 and 👎 on `paper_id` in `audience`, counting each person once per vote.
  Result<FeedbackCounts> feedback_counts(const std::string& audience, const std::string& paper_id);

  // Chat-made settings (store_settings.cpp). A scope is kGlobalScope or an audience id.

  // The settings of `scope`; all unset (and not paused) when never set.
  Result<ScopeSettings> scope_settings(const std::string& scope);

  // Replaces the settings of `scope` with `next` and records the change (the settings before and
  // after, `what`, `summary`, who and when) in one transaction; returns the change's id.
  // `next.paused` is ignored: pausing is set_paused's and stays as it is.
  Result<std::int64_t> change_settings(const std::string& scope, const ScopeSettings& next,
                                       const std::string& what, const std::string& summary,
                                       const std::string& person, std::chrono::sys_seconds at);

  // Pauses or resumes the daily digest of `scope`. Not part of the history: undo never
  // pauses or resumes.
  Result<void> set_paused(const std::string& scope, bool paused);

  // The changes of `scope`, newest first, at most `limit`, undone ones included and marked.
  Result<std::vector<SettingsChange>> settings_history(const std::string& scope, int limit);

  // Puts back the settings `scope` had before its newest change not yet undone (keeping the
  // current `paused`), marks that change undone by `person` at `at`, and returns it. Nullopt,
  // changing nothing, when every change is undone or there is none.
  Result<std::optional<SettingsChange>> undo_last_change(const std::string& scope,
                                                         const std::string& person,
                                                         std::chrono::sys_seconds at);

  // Announcement days the daemon processed (store_settings.cpp).

  // Saves `day`, replacing an earlier record of the same date.
  Result<void> save_day(const DayRecord& day);
  Result<std::optional<DayRecord>> find_day(Date date);
  // Records of `from` and later, oldest first.
  Result<std::vector<DayRecord>> days_since(Date from);

  // Slack events already handled, so that a redelivered event is not acted on twice, even
  // across a restart. True the first time `event_id` is seen (and remembers it at `now`).
  Result<bool> remember_event(const std::string& event_id, std::chrono::sys_seconds now);
  // Forgets events remembered before `before`; returns how many.
  Result<int> forget_events_before(std::chrono::sys_seconds before);

  // Reads for the chat commands (store_lookups.cpp).

  // The paper as its latest announcement listed it; nullopt when no recorded announcement did.
  Result<std::optional<Paper>> find_paper(const std::string& paper_id);

  // The announcements that listed `paper_id`, oldest first.
  Result<std::vector<Date>> announcement_dates(const std::string& paper_id);

  // Every score of `paper_id` (any version, criteria and scorer), newest first.
  Result<std::vector<RecordedScore>> paper_scores(const std::string& paper_id);

  // The date of the latest run saved for `audience`, whatever its status; nullopt when none.
  Result<std::optional<Date>> latest_run_date(const std::string& audience);

  // The messages of `paper_id` enqueued for `audience`, oldest announcement first (parts of one
  // message counted once, by part 0).
  Result<std::vector<PaperDelivery>> paper_deliveries(const std::string& audience,
                                                      const std::string& paper_id);

  // How many deliveries of `audience` (all audiences when empty) are still pending.
  Result<int> pending_count(const std::optional<std::string>& audience);

  // All 👍 and 👎 in `audience`, counting each person once per paper and vote.
  Result<FeedbackCounts> audience_feedback(const std::string& audience);

  // What scoring billed on the UTC days from `first` up to, not including, `end`.
  Result<Spending> spent_between(Date first, Date end);

  // E-mail subscribers (store_subscribers.cpp). `audience` is an e-mail audience id
  // ("email:theory"); addresses are matched as normalized_address() writes them, without regard
  // to ASCII case. `who` is a Slack user id, kSubscriberByConfig or kSubscriberByLink. Each
  // returns whether the store changed.

  // Makes `address` subscribed to `audience`. Re-subscribing an unsubscribed or suspended
  // address subscribes it again with no failures counted; an address already subscribed is
  // left as it is.
  Result<bool> subscribe(const std::string& audience, const std::string& address,
                         const std::string& who, std::chrono::sys_seconds at);

  // Makes `address` unsubscribed from `audience`, remembering it even when only the config named
  // it, so that the config's list no longer reaches it. An empty `audience` unsubscribes it from
  // every audience the store has a row of it in (the store does not know the config's lists).
  Result<bool> unsubscribe(const std::string& audience, const std::string& address,
                           const std::string& who, std::chrono::sys_seconds at);

  // The rows of `audience` (every audience when empty), whatever their status, by audience and
  // then in the order they were first added.
  Result<std::vector<Subscriber>> subscribers(const std::string& audience);

  // Who a digest of `audience` goes to: `config_recipients` in their order, then the subscribers
  // added in chat in the order they were added, each address once, leaving out those
  // unsubscribed or suspended in `audience`. Addresses come back normalized.
  Result<std::vector<std::string>> recipients(const std::string& audience,
                                              const std::vector<std::string>& config_recipients);

  // Counts one permanent delivery failure of `address` in `audience` (a row is made for a config
  // recipient). When the count reaches `max_failures` the address is suspended and this returns
  // true; otherwise false. An unsubscribed or already suspended address is left as it is.
  Result<bool> record_permanent_failure(const std::string& audience, const std::string& address,
                                        int max_failures, std::chrono::sys_seconds at);

  // What the cutoffs learn from (store_feedback.cpp).

  // Records the papers shown to an audience on a day. A paper already recorded for the same
  // audience and day keeps the scores it was first shown with, which are what readers saw.
  Result<void> record_exposures(const std::vector<Exposure>& exposures);

  // The exposures of `audience` (every audience when empty) on days from `first` to `last`, both
  // included, oldest day first, with the votes on each paper in its audience.
  Result<std::vector<ExposureOutcome>> exposure_outcomes(const std::string& audience, Date first,
                                                         Date last);

  // Records what the learner did with `tuning.audience`'s cutoffs on `tuning.date`, in one
  // transaction: when it moved one, that cutoff becomes the scope's own chat setting (the other
  // keeps inheriting) and the change enters the history (made by `person`, the reason as its
  // summary), so `undo` reverts it. False, changing nothing, when the day was already tuned: the
  // learner moves at most once a day.
  Result<bool> record_tuning(const CutoffTuning& tuning, const std::string& person,
                             std::chrono::sys_seconds at);

  // The learner's records of `audience` from `first` on, oldest first.
  Result<std::vector<CutoffTuning>> tunings_since(const std::string& audience, Date first);

  // The newest record of `audience` in which the cutoffs moved and that was not undone, if any.
  Result<std::optional<CutoffTuning>> last_move(const std::string& audience);

  // The latest announcement on which `paper_id` was shown to `audience`, if it was.
  Result<std::optional<Date>> last_shown(const std::string& audience, const std::string& paper_id);

  // Locks or unlocks the cutoffs of `scope` against the learner; returns whether that changed.
  Result<bool> set_cutoffs_locked(const std::string& scope, bool locked, const std::string& person,
                                  std::chrono::sys_seconds at);
  Result<std::optional<CutoffLock>> cutoffs_lock(const std::string& scope);

  // Reads for the operator's views: /metrics, /healthz and the daemon's page
  // (store_metrics.cpp; see metrics_records.hpp).

  // Runs, what they handled, spending, deliveries and votes, grouped for /metrics.
  Result<StoreTotals> totals();

  // The latest run of each audience that has one, by audience.
  Result<std::vector<LatestRun>> latest_runs();

  // The latest score under `criteria_id` of each paper the announcement of `date` listed (in the
  // version it listed), by paper id; papers without one are left out.
  Result<std::vector<DayScore>> day_scores(Date date, std::int64_t criteria_id);

 private:
  explicit Store(sqlite3* db) : db_(db) {}
  Result<void> configure();

  sqlite3* db_;  // owned; closed by the destructor
};

}  // namespace paperbot
