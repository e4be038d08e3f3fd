// The daemon's blocking side: everything that reads arXiv, scores, writes the store or posts the
// digest. One AnnouncementRunner runs on one worker thread; the daemon's io_context only decides
// when to call it.
//
// A step does what is due at the runner's clock:
//   1. announcements missed while the daemon was down (Scheduler::decide) are fetched through the
//      arXiv API, oldest first, and processed once, marked late;
//   2. when the run for the current announcement is due, the day feed of every followed category
//      is fetched once. An empty feed is "no announcement". A feed still showing the previous
//      announcement is "not yet updated": it is read again every [SCHEDULE] retry_minutes, and
//      after max_retries the admins are alerted and the day is left to the catch-up;
//   3. otherwise each audience that is not paused gets its digest: the output folder ("files")
//      its Markdown, JSON and HTML files, each Slack channel its deliveries in the outbox, each
//      e-mail list one newsletter per reader in the outbox. One fetch and one score cache serve
//      them all;
//   4. the outbox sends what is pending: Slack and e-mail through one outbox, routed by the
//      audience's kind.
// The day is recorded as processed only once every audience has its digest, so a failure halfway
// (or a kill) is resumed by the next step: runs already done are redone from the score cache,
// and enqueueing is idempotent.
//
// Reading an announcement (the day feed, the API catch-up) is in announcement_feeds.cpp; the
// alarms (a failed day, announcements left unprocessed) in runner_alarms.cpp; the rest in
// announcement_runner.cpp.
//
// Thread safety: step(), deliver(), rescore() and reload() are called from one thread (the
// worker). facts() may be called from any thread.
#pragma once

#include "bot/email_delivery.hpp"
#include "core/chat/audience.hpp"
#include "core/chat/executor.hpp"
#include "core/common/result.hpp"
#include "core/config/config.hpp"
#include "core/schedule/scheduler.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace spdlog {
class logger;
}

namespace paperbot {

class ArxivClient;
class EmailMessageSink;
class Outbox;
class RoutingMessageSink;
class ScholarClient;
class SlackMessageSink;
class SlackWebApi;
class Store;
struct Feed;

struct RunnerSecrets {
  std::string llm_api_key;      // empty: the offline scorer, unless [PAPERBOT] scorer = llm
  std::string slack_bot_token;  // empty: no Slack
  EmailSecrets email;           // no link secret: no e-mail (see bot/email_delivery.hpp)
};

class AnnouncementRunner {
 public:
  using Clock = std::function<std::chrono::sys_seconds()>;

  // `stopping` is read before each message and between days: once true, the runner finishes
  // the message in flight and returns.
  AnnouncementRunner(Config config, std::unique_ptr<Store> store, RunnerSecrets secrets,
                     Clock clock, const std::atomic<bool>& stopping);
  ~AnnouncementRunner();
  AnnouncementRunner(const AnnouncementRunner&) = delete;
  AnnouncementRunner& operator=(const AnnouncementRunner&) = delete;

  // Checks the config's time zone and the Slack token (auth.test) before the first step.
  Result<void> start();

  // The bot's Slack user id, known after start(); empty without Slack.
  const std::string& bot_user_id() const { return bot_user_id_; }

  // Does what is due now (see the top of the file) and returns when to be called again.
  std::chrono::sys_seconds step();

  // Sends pending deliveries; true when some wait for a retry.
  bool deliver();

  // Scores `job`'s day again for its audience under the current settings, enqueues the papers
  // that moved into the digest, posts what moved in and out to the channel and returns that text.
  std::string rescore(const chat::RescoreJob& job);

  // Takes a new config (SIGHUP). The store, the Slack token, the SMTP client and the listener
  // stay as they are.
  void reload(Config config);

  // For `status`: the next run and the last error.
  chat::DaemonFacts facts() const;

 private:
  enum class FeedState { kProcessed, kEmpty, kNotYetUpdated, kFailed };

  std::chrono::sys_seconds run_due(Date announcement, std::chrono::sys_seconds now);
  FeedState read_day_feed(Date announcement);
  FeedState catch_up(Date announcement);
  Result<Feed> fetch_through_api(Date announcement, const std::vector<std::string>& categories);
  FeedState process(Date announcement, const Feed& feed, const std::string& source, bool late);
  Result<std::vector<chat::ResolvedAudience>> active_audiences();
  // Lets the audience's feedback move its cutoffs before the day's run (once a day) and returns
  // the audience as it then stands. A failure is logged: the day goes on with the cutoffs as
  // they were.
  chat::ResolvedAudience learn_cutoffs(const chat::ResolvedAudience& listed, Date day);
  // The line that tells an audience its cutoffs moved before `day`'s digest, if they did (and the
  // move was not undone).
  Result<std::optional<std::string>> cutoffs_moved_on(const std::string& audience, Date day);
  // `rescoring`: a day already sent, scored again; e-mail readers get nothing new.
  Result<void> run_audience(const chat::ResolvedAudience& audience, const Feed& feed,
                            const std::string& source, bool late, bool force, bool rescoring);
  // Records the papers the digest shows `audience`, with their scores, for the learner.
  Result<void> record_shown(const std::string& audience, const Digest& digest);
  std::unique_ptr<ArxivClient> make_arxiv_client() const;
  void set_up_email();
  void alert(Date date, const std::string& kind, const std::string& text);
  // Alarms (runner_alarms.cpp): a day that failed, announcements left unprocessed, and the
  // e-mail copy of an alert.
  void alert_failed(Date announcement);
  void alert_if_behind(std::chrono::sys_seconds now);
  void email_alert(Date date, const std::string& kind, const std::string& text);
  void note_error(const std::string& message);
  // The store's record of a day: `status` as DayRecord names them.
  static DayRecord day_record(Date date, std::string status, bool late = false);
  void set_next(std::optional<std::chrono::sys_seconds> at, std::optional<Date> announcement);

  Config config_;
  std::unique_ptr<Store> store_;
  RunnerSecrets secrets_;
  Clock clock_;
  const std::atomic<bool>& stopping_;
  std::shared_ptr<spdlog::logger> logger_;
  std::optional<Scheduler> scheduler_;
  std::unique_ptr<ArxivClient> arxiv_;
  std::unique_ptr<ScholarClient> scholar_;
  std::unique_ptr<SlackWebApi> slack_;
  std::unique_ptr<SlackMessageSink> sink_;
  std::unique_ptr<SmtpClient> smtp_;                  // null: no e-mail
  std::unique_ptr<EmailMessageSink> email_sink_;      // null: no e-mail
  std::unique_ptr<RoutingMessageSink> routing_sink_;  // Slack and e-mail, by audience
  std::unique_ptr<Outbox> outbox_;
  std::string bot_user_id_;

  // A read found the feed not yet updated: when to read it again.
  std::optional<std::pair<Date, std::chrono::sys_seconds>> retry_;
  // A day whose processing failed: when to try it again.
  std::optional<std::chrono::sys_seconds> failed_retry_at_;
  // A catch-up through the API that failed: when to try the missed days again.
  std::optional<std::chrono::sys_seconds> catch_up_retry_at_;
  // The announcement the runner last raised "behind" for, so that the log says it once.
  std::optional<Date> behind_alerted_;

  mutable std::mutex facts_mutex_;
  chat::DaemonFacts facts_;
};

}  // namespace paperbot
