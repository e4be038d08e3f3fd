#include "core/schedule/scheduler.hpp"

#include <algorithm>

namespace paperbot {

Result<Scheduler> Scheduler::create(const ScheduleConfig& config) {
  auto zone = TimeZone::find(config.time_zone);
  if (!zone) return zone.error();
  auto calendar = ArxivCalendar::create(config.extra_holidays);
  if (!calendar) return calendar.error();
  return Scheduler(config, std::move(*calendar), *zone);
}

std::chrono::sys_seconds Scheduler::run_time(Date announcement) const {
  // The run hour on the local date the feed appears; if that hour came before the feed (a zone
  // east of New York), the same hour a day later.
  std::chrono::sys_seconds feed_appears = calendar_.feed_change(announcement);
  Date local_date = zone_.to_local(feed_appears).date;
  TimeOfDay run_at = std::chrono::hours{config_.run_hour};
  std::chrono::sys_seconds at = zone_.to_utc(local_date, run_at);
  if (at < feed_appears) at = zone_.to_utc(add_days(local_date, 1), run_at);
  return at;
}

ScheduleDecision Scheduler::decide(std::chrono::sys_seconds now, const RunHistory& history) const {
  ScheduleDecision decision;
  Date today = calendar_.feed_date_at(now);

  // Missed: announcements before today's feed, within catch_up_days, not processed, and not
  // older than the store itself.
  if (config_.catch_up_days > 0 && history.first_processed) {
    Date from = std::max(add_days(today, -config_.catch_up_days), *history.first_processed);
    for (Date date : calendar_.announcement_dates_between(from, add_days(today, -1))) {
      if (!history.processed.contains(date)) decision.catch_up.missed.push_back(date);
    }
  }

  // Today's feed while it is still to do; otherwise the next announcement's.
  bool today_pending = calendar_.is_announcement_date(today) &&
                       !history.processed.contains(today) && !history.feed_given_up.contains(today);
  Date next = today_pending ? today : calendar_.next_announcement_date(today);
  decision.next = NextRun{run_time(next), next};
  return decision;
}

RetryDecision Scheduler::after_not_yet_updated(Date announcement, int stale_reads,
                                               std::chrono::sys_seconds now) const {
  constexpr RetryDecision kAlert{RetryDecision::Action::kAlert, {}};
  if (stale_reads > config_.max_retries) return kAlert;

  // A read after the feed has moved on would find another day's feed: give up on the feed and
  // leave the day to the catch-up.
  std::chrono::sys_seconds again = now + std::chrono::minutes{config_.retry_minutes};
  if (again >= calendar_.feed_change(add_days(announcement, 1))) return kAlert;
  return RetryDecision{RetryDecision::Action::kRetry, again};
}

}  // namespace paperbot
