#include "bot/announcement_runner.hpp"

#include "adapters/arxiv/arxiv_client.hpp"
#include "adapters/email/email_sink.hpp"
#include "adapters/scholar/scholar_client.hpp"
#include "adapters/slack/slack_deliveries.hpp"
#include "adapters/slack/slack_sink.hpp"
#include "adapters/slack/web_api.hpp"
#include "bot/clients.hpp"
#include "bot/logging.hpp"
#include "bot/scorer_setup.hpp"
#include "core/chat/audience.hpp"
#include "core/chat/reply_text.hpp"
#include "core/common/text.hpp"
#include "core/delivery/outbox.hpp"
#include "core/delivery/routing_sink.hpp"
#include "core/digest/digest_run.hpp"
#include "core/email/envelope.hpp"
#include "core/feed/feed_parser.hpp"
#include "core/feedback/tuning.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace paperbot {
namespace {

using std::chrono::sys_seconds;
using namespace std::chrono_literals;

// After a failure that is not arXiv's "not yet", how long before the day is tried again.
constexpr auto kFailureRetry = 10min;
// How often pending deliveries that failed for a transient reason are tried again.
constexpr auto kDeliveryRetry = 1min;
// Slack retries an event for about an hour; ids older than a week are no use.
constexpr auto kEventMemory = std::chrono::days(7);

std::string titles_of(const std::vector<std::string>& ids, const std::vector<Paper>& papers) {
  std::string text;
  for (const auto& id : ids) {
    auto paper = std::find_if(papers.begin(), papers.end(),
                              [&](const Paper& candidate) { return candidate.id == id; });
    std::string title = paper == papers.end() ? std::string() : paper->title;
    text += "\n• <https://arxiv.org/abs/" + id + "|" + id + "> " + escape_markup(title, false);
  }
  return text;
}

}  // namespace

AnnouncementRunner::AnnouncementRunner(Config config, std::unique_ptr<Store> store,
                                       RunnerSecrets secrets, Clock clock,
                                       const std::atomic<bool>& stopping)
    : config_(std::move(config)),
      store_(std::move(store)),
      secrets_(std::move(secrets)),
      clock_(std::move(clock)),
      stopping_(stopping),
      logger_(component_logger("daemon")) {
  arxiv_ = make_arxiv_client();
  scholar_ = scholar_client(config_);
  routing_sink_ = std::make_unique<RoutingMessageSink>();
  if (!secrets_.slack_bot_token.empty()) {
    SlackWebApiOptions options;
    options.base_url = config_.slack.api_url;
    slack_ = std::make_unique<SlackWebApi>(options, secrets_.slack_bot_token);
    sink_ = std::make_unique<SlackMessageSink>(*slack_);
    routing_sink_->route("slack:", *sink_);
  }
  set_up_email();
  if (slack_ || email_sink_) {
    OutboxOptions outbox_options;
    outbox_options.should_stop = [this] { return stopping_.load(); };
    outbox_options.on_given_up = [this](const Delivery& delivery, const SendError& error) {
      count_permanent_failure(*store_, config_.email, delivery, error, clock_(), *logger_);
    };
    outbox_ = std::make_unique<Outbox>(*store_, *routing_sink_, outbox_options,
                                       component_logger("outbox"), clock_);
  }
}

std::unique_ptr<ArxivClient> AnnouncementRunner::make_arxiv_client() const {
  ArxivClientOptions options = arxiv_client_options(config_);
  // A stopping daemon gives up a fetch rather than waiting out its retries: the day is not
  // recorded, so the next start reads it again.
  options.should_stop = [this] { return stopping_.load(); };
  return std::make_unique<ArxivClient>(std::move(options));
}

void AnnouncementRunner::set_up_email() {
  // Only worth a word when the config names lists that would go unsent.
  if (auto missing = email_missing(config_.email, secrets_.email)) {
    if (!config_.email.audiences.empty()) logger_->warn("{}; the e-mail lists wait", *missing);
    return;
  }
  auto client = smtp_client_for(config_.email, secrets_.email, component_logger("smtp"));
  if (!client) {
    logger_->error("e-mail is off: {}", client.error().to_string());
    return;
  }
  smtp_ = std::move(*client);
  email_sink_ = std::make_unique<EmailMessageSink>(*smtp_, EmailSinkOptions{});
  routing_sink_->route(std::string(email::kEmailAudiencePrefix), *email_sink_);
  // The URL is not logged: it may hold a user name.
  logger_->info("e-mail: sending as {} ({})", config_.email.from, config_.email.security);
}

AnnouncementRunner::~AnnouncementRunner() = default;

Result<void> AnnouncementRunner::start() {
  auto scheduler = Scheduler::create(config_.schedule);
  if (!scheduler) return scheduler.error();
  scheduler_.emplace(std::move(*scheduler));
  if (slack_) {
    auto user = slack_->auth_test();
    if (!user) {
      const SlackError& failure = user.error();
      return make_error("check Slack token",
                        failure.error.message + (failure.fix.empty() ? "" : ": " + failure.fix));
    }
    bot_user_id_ = *user;
    logger_->info("Slack: posting as {}", bot_user_id_);
  }
  return {};
}

sys_seconds AnnouncementRunner::step() {
  const sys_seconds now = clock_();
  if (auto forgotten = store_->forget_events_before(now - kEventMemory); !forgotten) {
    logger_->warn("{}", forgotten.error().to_string());
  }

  auto days = store_->days_since(Date{std::chrono::year{1970} / 1 / 1});
  if (!days) {
    note_error(days.error().to_string());
    return now + kFailureRetry;
  }
  RunHistory history;
  for (const DayRecord& day : *days) {
    if (day.status == "done" || day.status == "empty") history.processed.insert(day.date);
    if (day.status == "given_up") history.feed_given_up.insert(day.date);
  }
  if (!history.processed.empty()) history.first_processed = *history.processed.begin();

  ScheduleDecision decision = scheduler_->decide(now, history);
  // A failed catch-up is tried again kFailureRetry later, not at once; meanwhile the day that is
  // due is still read.
  if (!catch_up_retry_at_ || now >= *catch_up_retry_at_) {
    catch_up_retry_at_.reset();
    for (Date missed : decision.catch_up.missed) {
      if (stopping_) return now;
      if (catch_up(missed) == FeedState::kFailed) {
        if (stopping_) return now;
        alert_failed(missed);
        catch_up_retry_at_ = now + kFailureRetry;
        break;
      }
    }
  }
  auto or_catch_up = [this](sys_seconds at) {
    return catch_up_retry_at_ ? std::min(at, *catch_up_retry_at_) : at;
  };
  if (stopping_) return now;
  // After the catch-up, which may have filled the gap.
  alert_if_behind(now);
  if (decision.next.at <= now) return or_catch_up(run_due(decision.next.announcement, now));

  set_next(decision.next.at, decision.next.announcement);
  bool waiting = deliver();
  return or_catch_up(waiting ? std::min(decision.next.at, now + kDeliveryRetry) : decision.next.at);
}

sys_seconds AnnouncementRunner::run_due(Date announcement, sys_seconds now) {
  auto retry_at = [&]() -> std::optional<sys_seconds> {
    if (retry_ && retry_->first == announcement && now < retry_->second) return retry_->second;
    if (failed_retry_at_ && now < *failed_retry_at_) return *failed_retry_at_;
    return std::nullopt;
  }();
  if (retry_at) {
    set_next(*retry_at, announcement);
    bool waiting = deliver();
    return waiting ? std::min(*retry_at, now + kDeliveryRetry) : *retry_at;
  }

  set_next(now, announcement);
  FeedState state = read_day_feed(announcement);
  if (state == FeedState::kFailed) {
    if (stopping_) return now;
    alert_failed(announcement);
    failed_retry_at_ = now + kFailureRetry;
    deliver();
    return *failed_retry_at_;
  }
  failed_retry_at_.reset();
  if (state != FeedState::kNotYetUpdated) {
    retry_.reset();
    deliver();
    return now;  // decide again: the next announcement, or a catch-up
  }

  // Not yet updated: count the read, then retry or alert.
  auto day = store_->find_day(announcement);
  DayRecord record = day && *day ? **day : day_record(announcement, "waiting");
  record.stale_reads += 1;
  record.status = "waiting";
  RetryDecision next = scheduler_->after_not_yet_updated(announcement, record.stale_reads, now);
  if (next.action == RetryDecision::Action::kAlert) {
    record.status = "given_up";
    alert(announcement, "alert:feed",
          "arXiv's feed still showed an older announcement after " +
              std::to_string(record.stale_reads) + " reads for " + format_iso_date(announcement) +
              ". paperbot stops reading it and will fetch the day through the arXiv API once the "
              "feed has moved on; nothing needs doing unless this repeats.");
    retry_.reset();
  } else {
    logger_->info("the feed for {} is not updated yet (read {}); next read in {} min",
                  format_iso_date(announcement), record.stale_reads,
                  std::chrono::duration_cast<std::chrono::minutes>(next.at - now).count());
    retry_ = std::make_pair(announcement, next.at);
  }
  if (auto saved = store_->save_day(record); !saved) note_error(saved.error().to_string());
  bool waiting = deliver();
  if (next.action == RetryDecision::Action::kAlert) return now;
  return waiting ? std::min(next.at, now + kDeliveryRetry) : next.at;
}

AnnouncementRunner::FeedState AnnouncementRunner::process(Date announcement, const Feed& feed,
                                                          const std::string& source, bool late) {
  auto audiences = active_audiences();
  if (!audiences) {
    note_error(audiences.error().to_string());
    return FeedState::kFailed;
  }
  for (const auto& listed : *audiences) {
    if (stopping_) return FeedState::kFailed;
    const chat::ResolvedAudience audience = learn_cutoffs(listed, announcement);
    // Forced: a day not recorded as processed may have runs from before a crash; they are redone
    // from the score cache, and their deliveries are enqueued once.
    if (auto ran = run_audience(audience, feed, source, late, true, false); !ran) {
      note_error(audience.name + ": " + ran.error().to_string());
      return FeedState::kFailed;
    }
  }
  if (auto saved = store_->save_day(day_record(announcement, "done", late)); !saved) {
    note_error(saved.error().to_string());
    return FeedState::kFailed;
  }
  logger_->info("processed the announcement of {}{} for {} audience(s)",
                format_iso_date(announcement), late ? " (late)" : "", audiences->size());
  return FeedState::kProcessed;
}

Result<std::vector<chat::ResolvedAudience>> AnnouncementRunner::active_audiences() {
  std::vector<chat::ResolvedAudience> active;
  for (const std::string& id : chat::audience_ids(config_)) {
    // Without a bot token nothing can be posted: the Slack audiences wait; likewise e-mail
    // lists without a usable [EMAIL] (logged once at start).
    if (id.starts_with("slack:") && !slack_) continue;
    if (id.starts_with(email::kEmailAudiencePrefix) && !email_sink_) continue;
    auto audience = chat::resolve_audience(config_, id, *store_);
    if (!audience) return audience.error();
    if (audience->paused) continue;
    active.push_back(std::move(*audience));
  }
  return active;
}

chat::ResolvedAudience AnnouncementRunner::learn_cutoffs(const chat::ResolvedAudience& listed,
                                                         Date day) {
  if (listed.id == chat::kFilesAudience) return listed;
  // Read again: a person may have changed the cutoffs while earlier audiences ran.
  auto audience = chat::resolve_audience(config_, listed.id, *store_);
  if (!audience) {
    logger_->error("{}: {}; its cutoffs stay as they were", listed.name,
                   audience.error().to_string());
    return listed;
  }
  const Config& config = audience->config;
  const feedback::Cutoffs current{config.filtering.relevance_cutoff,
                                  config.filtering.novelty_cutoff};
  auto tuned = feedback::tune(*store_, audience->id, current, config.feedback, day, clock_());
  if (!tuned) {
    // The digest matters more than the tuning: it goes out with the cutoffs as they are.
    logger_->error("{}: learning the cutoffs failed: {}", audience->name,
                   tuned.error().to_string());
    return *audience;
  }
  if (!*tuned) return *audience;
  logger_->info("{}: cutoffs {}", audience->name, (*tuned)->reason);
  if (!(*tuned)->moved()) return *audience;
  auto moved = chat::resolve_audience(config_, listed.id, *store_);
  return moved ? *moved : *audience;
}

Result<std::optional<std::string>> AnnouncementRunner::cutoffs_moved_on(const std::string& audience,
                                                                        Date day) {
  auto tunings = store_->tunings_since(audience, day);
  if (!tunings) return tunings.error();
  if (tunings->empty() || tunings->front().date != day || !tunings->front().moved() ||
      tunings->front().undone) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>("Cutoffs moved by feedback: " + tunings->front().reason);
}

Result<void> AnnouncementRunner::run_audience(const chat::ResolvedAudience& audience,
                                              const Feed& feed, const std::string& source,
                                              bool late, bool force, bool rescoring) {
  const Config& config = audience.config;
  auto choice = choose_scorer(config.paperbot.scorer, secrets_.llm_api_key);
  if (!choice) return choice.error();
  auto make_scorer = scorer_factory_for_today(config, *choice, secrets_.llm_api_key, *store_);
  if (!make_scorer) return make_scorer.error();

  DigestRun run(config, *store_, *make_scorer, logger_);
  if (scholar_ && config.paperbot.h_index_filter) run.set_author_index(scholar_.get());
  DigestOptions options;
  options.expected_date = feed.announced;
  options.audience = audience.id;
  options.force = force;
  options.late = late;
  options.write_files = audience.id == chat::kFilesAudience;
  if (!options.write_files && config.feedback.learn) options.explore = config.feedback.explore;
  options.out_dir = config.output.output_path;
  auto report = run.run_parsed(feed, source, options);
  if (!report) return report.error().error;
  if (report->outcome != RunOutcome::kPublished) return {};
  logger_->info("{}: {}", audience.name, report->message);

  if (audience.id.starts_with(email::kEmailAudiencePrefix)) {
    const EmailAudienceConfig* list = config_.email.audience_of_list(
        std::string_view(audience.id).substr(email::kEmailAudiencePrefix.size()));
    if (list == nullptr || !email_sink_) return {};
    // A re-scored day mails nobody again: what it moved in was not shown to the readers.
    if (!rescoring) {
      if (auto shown = record_shown(audience.id, report->digest); !shown) return shown.error();
    }
    auto moved = cutoffs_moved_on(audience.id, report->digest.date);
    if (!moved) return moved.error();
    if (*moved) report->digest.notes.push_back(**moved);
    auto added = enqueue_newsletters(*store_, config_.email, *list, report->digest,
                                     secrets_.email.link_secret, clock_(), *logger_);
    if (!added) return added.error();
    if (*added > 0) logger_->info("{}: {} newsletter(s) to send", audience.name, *added);
    return {};
  }
  if (audience.channel.empty() || !slack_) return {};
  SlackDigestOptions slack_options;
  slack_options.header_titles = static_cast<std::size_t>(config_.slack.header_titles);
  slack_options.threaded = audience.threaded;
  slack_options.cutoffs = "relevance " + std::to_string(config.filtering.relevance_cutoff) +
                          ", novelty " + std::to_string(config.filtering.novelty_cutoff);
  if (auto shown = record_shown(audience.id, report->digest); !shown) return shown.error();
  // A move of the cutoffs is said in one line before the day's digest (enqueued once).
  std::vector<Delivery> deliveries;
  auto moved = cutoffs_moved_on(audience.id, report->digest.date);
  if (!moved) return moved.error();
  if (*moved) {
    deliveries.push_back(slack_alert_delivery(
        audience.id, report->digest.date, "cutoffs",
        **moved + ". `cutoffs why` explains, `undo` reverts, `cutoffs lock` keeps them."));
  }
  for (Delivery& delivery : slack_digest_deliveries(audience.id, report->digest, slack_options))
    deliveries.push_back(std::move(delivery));
  auto added = store_->enqueue_deliveries(deliveries);
  if (!added) return added.error();
  if (*added > 0) logger_->info("{}: {} message(s) to post", audience.name, *added);
  return {};
}

Result<void> AnnouncementRunner::record_shown(const std::string& audience, const Digest& digest) {
  return store_->record_exposures(feedback::shown_papers(audience, digest));
}

bool AnnouncementRunner::deliver() {
  if (!outbox_) return false;
  auto pass = outbox_->run_once();
  if (!pass) {
    note_error(pass.error().to_string());
    return true;
  }
  if (pass->sent > 0 || pass->recovered > 0) {
    logger_->info("posted {} message(s){}", pass->sent,
                  pass->recovered > 0
                      ? ", found " + std::to_string(pass->recovered) + " already posted"
                      : std::string());
  }
  // More than a batch, or failures to retry: call again soon.
  auto pending = store_->pending_deliveries(std::nullopt, 1);
  return pass->retry_later > 0 || pass->waiting > 0 || !pass->blocked.empty() ||
         (pending && !pending->empty());
}

std::string AnnouncementRunner::rescore(const chat::RescoreJob& job) {
  auto audience = chat::resolve_audience(config_, job.audience, *store_);
  if (!audience) return "Re-scoring failed: " + audience.error().to_string();
  auto papers = store_->announced_papers(job.date);
  if (!papers) return "Re-scoring failed: " + papers.error().to_string();
  if (papers->empty()) {
    return "Nothing to re-score: no announcement of " + format_iso_date(job.date) +
           " is in the store.";
  }
  auto selected = [&]() -> std::vector<std::string> {
    auto run = store_->find_run(job.date, audience->id);
    return run && *run ? (*run)->selected_ids : std::vector<std::string>{};
  };
  std::vector<std::string> before = selected();

  Feed feed;
  feed.announced = job.date;
  feed.papers = *papers;
  feed.channels = audience->config.filtering.categories;
  if (auto ran = run_audience(*audience, feed, "the store", false, true, true); !ran) {
    return "Re-scoring failed: " + ran.error().to_string();
  }
  std::vector<std::string> after = selected();

  std::vector<std::string> moved_in;
  std::vector<std::string> moved_out;
  for (const auto& id : after) {
    if (std::find(before.begin(), before.end(), id) == before.end()) moved_in.push_back(id);
  }
  for (const auto& id : before) {
    if (std::find(after.begin(), after.end(), id) == after.end()) moved_out.push_back(id);
  }
  std::string text = "Re-scored " + format_iso_date(job.date) + " for " + audience->name +
                     " under criteria v" + std::to_string(audience->criteria_id) + ": " +
                     std::to_string(after.size()) + " paper(s) in the digest.";
  if (moved_in.empty() && moved_out.empty()) text += " Nothing moved in or out.";
  if (!moved_in.empty()) text += "\n*Moved in:*" + titles_of(moved_in, *papers);
  if (!moved_out.empty()) text += "\n*Moved out:*" + titles_of(moved_out, *papers);

  if (slack_ && !audience->channel.empty()) {
    SlackMessage message;
    message.text = cut_utf8(text, kMaxFallbackText);
    if (auto posted = slack_->post_message(audience->channel, message); !posted) {
      logger_->warn("{}", posted.error().error.to_string());
    }
  }
  deliver();
  return text;
}

void AnnouncementRunner::reload(Config config) {
  auto scheduler = Scheduler::create(config.schedule);
  if (!scheduler) {
    logger_->error("reload: {}; keeping the previous config", scheduler.error().to_string());
    return;
  }
  scheduler_.emplace(std::move(*scheduler));
  config_ = std::move(config);
  arxiv_ = make_arxiv_client();
  scholar_ = scholar_client(config_);
  retry_.reset();
  failed_retry_at_.reset();
  catch_up_retry_at_.reset();
}

chat::DaemonFacts AnnouncementRunner::facts() const {
  std::lock_guard lock(facts_mutex_);
  return facts_;
}

void AnnouncementRunner::alert(Date date, const std::string& kind, const std::string& text) {
  logger_->warn("{}", text);
  email_alert(date, kind, text);
  if (!slack_ || config_.slack.admin_channel.empty()) return;
  auto added = store_->enqueue_deliveries(
      {slack_alert_delivery("slack:" + config_.slack.admin_channel, date, kind, text)});
  if (!added) logger_->error("{}", added.error().to_string());
}

DayRecord AnnouncementRunner::day_record(Date date, std::string status, bool late) {
  DayRecord record;
  record.date = date;
  record.status = std::move(status);
  record.late = late;
  return record;
}

void AnnouncementRunner::note_error(const std::string& message) {
  logger_->error("{}", message);
  std::lock_guard lock(facts_mutex_);
  facts_.last_error = message;
}

void AnnouncementRunner::set_next(std::optional<sys_seconds> at, std::optional<Date> announcement) {
  std::lock_guard lock(facts_mutex_);
  // Said once per new time: the operator sees when the daemon will next read arXiv.
  if (at && announcement && at != facts_.next_run && *at > clock_()) {
    logger_->info("next run at {}, for the announcement of {}", chat::format_time(*at),
                  format_iso_date(*announcement));
  }
  facts_.next_run = at;
  facts_.next_announcement = announcement;
}

}  // namespace paperbot
