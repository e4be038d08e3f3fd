// The daemon's schedule, as pure decisions: given the time, the [SCHEDULE] config and what the
// store says was processed, when the next run is due, which announcements were missed and must be
// caught up through the arXiv API, and what to do when the feed has not changed yet.
//
// The rules:
//  - The feed dated D (an announcement date, see arxiv_calendar.hpp) appears at midnight Eastern
//    starting D, and stays until the next midnight Eastern; after that, D can only be fetched
//    through the API. The run for D is due at the first [SCHEDULE] run_hour:00, on the clock of
//    [SCHEDULE] time_zone, at or after the feed appears (01:00 Eastern by default).
//  - An announcement whose feed is gone and that was not processed is missed. Missed ones from
//    the last catch_up_days days are caught up, oldest first, before the next run; none from
//    before the first announcement the store ever processed, so that a new installation starts
//    with today's announcement instead of a backlog.
//  - A run that finds the feed still showing an older announcement reads it again every
//    retry_minutes, max_retries times, then alerts the admins. It alerts sooner if the next read
//    would come after the feed has moved on; the day is then caught up through the API.
//
// A Scheduler is immutable once built and safe to share between threads. It reads no clock: the
// caller passes `now`.
#pragma once

#include "core/common/date.hpp"
#include "core/common/result.hpp"
#include "core/config/config.hpp"
#include "core/schedule/arxiv_calendar.hpp"
#include "core/schedule/time_zone.hpp"

#include <chrono>
#include <optional>
#include <set>
#include <vector>

namespace paperbot {

// The next run through the RSS feed.
struct NextRun {
  std::chrono::sys_seconds at;  // at or before `now`: due now
  Date announcement;            // the feed date the run expects to find

  bool operator==(const NextRun&) const = default;
};

// Announcements whose feed is gone: each is fetched through the API (for its submission window)
// and processed once, marked as late. Oldest first.
struct CatchUp {
  std::vector<Date> missed;

  bool operator==(const CatchUp&) const = default;
};

// What to do now: first the catch-up, then wait for the next run.
struct ScheduleDecision {
  CatchUp catch_up;
  NextRun next;
};

// What the store says about earlier runs.
struct RunHistory {
  // Announcements processed, on time or late (at least those of the last catch_up_days days).
  std::set<Date> processed;
  // The first announcement the store ever processed; none for a new store.
  std::optional<Date> first_processed;
  // Announcements whose feed never changed within the retries (the admins were alerted). Their
  // feed is not read again; they are caught up once the feed has moved on.
  std::set<Date> feed_given_up;
};

// What to do after a read found the feed still showing an older announcement.
struct RetryDecision {
  enum class Action { kRetry, kAlert };

  Action action = Action::kRetry;
  std::chrono::sys_seconds at{};  // kRetry: when to read the feed again

  bool operator==(const RetryDecision&) const = default;
};

class Scheduler {
 public:
  // Resolves the config's time zone and holidays. An error when the time zone (or US Eastern)
  // is not in the system's tz database; load_config() has already checked the configured one.
  static Result<Scheduler> create(const ScheduleConfig& config);

  const ArxivCalendar& calendar() const { return calendar_; }
  const ScheduleConfig& config() const { return config_; }

  // When the run for the announcement dated `announcement` is due.
  std::chrono::sys_seconds run_time(Date announcement) const;

  // The catch-up and the next run at `now`.
  ScheduleDecision decide(std::chrono::sys_seconds now, const RunHistory& history) const;

  // After the `stale_reads`-th read (from 1) of the feed for `announcement` found it not yet
  // updated, at `now`: when to read again, or that it is time to alert.
  RetryDecision after_not_yet_updated(Date announcement, int stale_reads,
                                      std::chrono::sys_seconds now) const;

 private:
  Scheduler(ScheduleConfig config, ArxivCalendar calendar, TimeZone zone)
      : config_(std::move(config)), calendar_(std::move(calendar)), zone_(zone) {}

  ScheduleConfig config_;
  ArxivCalendar calendar_;
  TimeZone zone_;  // the zone of run_hour
};

}  // namespace paperbot
