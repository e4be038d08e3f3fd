#include "bot/health.hpp"

#include <set>

namespace paperbot {
namespace {

// Enough to name "two announcements in a row" and a little more, without walking years back.
constexpr int kMaxCounted = 10;

bool processed(const DayRecord& day) {
  return day.status == "done" || day.status == "empty";
}

// What the store says of a day that is not processed, in words.
std::string day_state(const std::vector<DayRecord>& days, Date date) {
  for (const DayRecord& day : days) {
    if (day.date != date) continue;
    if (day.status == "given_up") return "its feed never showed it";
    if (day.status == "waiting") return "its feed was not updated yet";
    return "its status is " + day.status;
  }
  return "it is not recorded";
}

// The first announcement expected: the first one processed, or the first due at or after
// `watching_since`, whichever is older; none when neither is known.
std::optional<Date> first_expected(const Scheduler& scheduler, const std::set<Date>& done,
                                   std::optional<std::chrono::sys_seconds> watching_since) {
  std::optional<Date> first;
  if (!done.empty()) first = *done.begin();
  if (watching_since) {
    const ArxivCalendar& calendar = scheduler.calendar();
    Date due = calendar.previous_announcement_date(calendar.feed_date_at(*watching_since));
    while (scheduler.run_time(due) < *watching_since) due = calendar.next_announcement_date(due);
    if (!first || due < *first) first = due;
  }
  return first;
}

std::string missing_summary(const std::vector<DayRecord>& days, const std::set<Date>& done,
                            Date expected, int unprocessed) {
  return "the announcement of " + format_iso_date(expected) + " is not processed " +
         std::to_string(kHealthGrace.count()) + " hours after its run was due (" +
         day_state(days, expected) + "); " + std::to_string(unprocessed) +
         (unprocessed == kMaxCounted ? " or more" : "") + " announcement(s) in a row are missing" +
         (done.empty() ? std::string(", and none was ever processed")
                       : ", the last processed is " + format_iso_date(*done.rbegin()));
}

}  // namespace

Date expected_announcement(const Scheduler& scheduler, std::chrono::sys_seconds now,
                           std::chrono::seconds grace) {
  const ArxivCalendar& calendar = scheduler.calendar();
  const std::chrono::sys_seconds cutoff = now - grace;
  // The feed date at `cutoff` or the day after (a run hour east of New York) may already be due.
  Date candidate = calendar.next_announcement_date(calendar.feed_date_at(cutoff));
  while (scheduler.run_time(candidate) > cutoff) {
    candidate = calendar.previous_announcement_date(candidate);
  }
  return candidate;
}

Health assess_health(const Scheduler& scheduler, const std::vector<DayRecord>& days,
                     const std::vector<LatestRun>& runs, std::chrono::sys_seconds now,
                     std::optional<std::chrono::sys_seconds> watching_since) {
  std::set<Date> done;
  for (const DayRecord& day : days) {
    if (processed(day)) done.insert(day.date);
  }

  Health health;
  const std::optional<Date> first = first_expected(scheduler, done, watching_since);
  const Date expected = expected_announcement(scheduler, now);
  if (first && expected >= *first) {
    // Count back from the expected announcement to the last processed one.
    health.expected = expected;
    for (Date date = expected;
         date >= *first && !done.contains(date) && health.unprocessed < kMaxCounted;
         date = scheduler.calendar().previous_announcement_date(date)) {
      ++health.unprocessed;
    }
    if (health.unprocessed > 0) {
      health.ok = false;
      health.summary = missing_summary(days, done, expected, health.unprocessed);
      return health;
    }
  }

  for (const LatestRun& run : runs) {
    if (run.status != "failed") continue;
    health.ok = false;
    health.summary =
        "the latest run of " + run.audience + ", for " + format_iso_date(run.date) + ", failed";
    return health;
  }

  // The newest day processed: the one expected, or one processed before it was counted due.
  std::optional<Date> latest = health.expected;
  if (!done.empty() && (!latest || *done.rbegin() > *latest)) latest = *done.rbegin();
  health.summary = latest ? "ok: the announcement of " + format_iso_date(*latest) + " is processed"
                          : std::string(
                                "ok: the daemon has processed no announcement yet, and "
                                "none is overdue");
  return health;
}

Result<Health> check_health(Store& store, const Scheduler& scheduler, std::chrono::sys_seconds now,
                            std::optional<std::chrono::sys_seconds> watching_since) {
  // The history needed goes back to the first processed day; a month shows any gap worth naming.
  const Date today{std::chrono::floor<std::chrono::days>(now)};
  auto days = store.days_since(add_days(today, -31));
  if (!days) return days.error();
  auto all_days = days->empty() ? store.days_since(Date{std::chrono::year{1970} / 1 / 1}) : days;
  if (!all_days) return all_days.error();
  auto runs = store.latest_runs();
  if (!runs) return runs.error();
  return assess_health(scheduler, *all_days, *runs, now, watching_since);
}

}  // namespace paperbot
