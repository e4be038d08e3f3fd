#include "core/schedule/arxiv_calendar.hpp"

#include <array>

namespace paperbot {
namespace {

using std::chrono::Friday;
using std::chrono::Monday;
using std::chrono::Sunday;
using std::chrono::weekday;

constexpr Date ymd(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
}

// From ../shared/data/arxiv/announcement_schedule.json (arXiv's availability page). The 2025
// list is as published before December 2025; later additions go in [SCHEDULE] extra_holidays.
constexpr std::array<Date, 15> kBuiltInHolidays = {
    ymd(2025, 1, 1),   ymd(2025, 1, 20),  ymd(2025, 6, 19),  ymd(2025, 7, 6),   ymd(2025, 9, 1),
    ymd(2025, 11, 27), ymd(2026, 1, 1),   ymd(2026, 1, 19),  ymd(2026, 6, 19),  ymd(2026, 7, 3),
    ymd(2026, 9, 7),   ymd(2026, 11, 26), ymd(2026, 12, 25), ymd(2026, 12, 29), ymd(2026, 12, 31),
};

// The hour of the day, Eastern, at which each mailing's submissions close.
constexpr std::chrono::hours kSubmissionDeadline{14};

weekday weekday_of(Date date) {
  return weekday{std::chrono::sys_days{date}};
}

}  // namespace

Date add_days(Date date, int days) {
  return Date{std::chrono::sys_days{date} + std::chrono::days{days}};
}

Result<ArxivCalendar> ArxivCalendar::create(const std::vector<Date>& extra_holidays) {
  auto eastern = TimeZone::us_eastern();
  if (!eastern) return eastern.error();

  std::set<Date> holidays(kBuiltInHolidays.begin(), kBuiltInHolidays.end());
  holidays.insert(extra_holidays.begin(), extra_holidays.end());
  return ArxivCalendar(*eastern, std::move(holidays));
}

std::span<const Date> ArxivCalendar::built_in_holidays() {
  return kBuiltInHolidays;
}

bool ArxivCalendar::is_holiday(Date mailing_day) const {
  return holidays_.contains(mailing_day);
}

bool ArxivCalendar::is_announcement_date(Date feed_date) const {
  // Feeds of Monday to Friday carry the mailing of the evening before (Sunday to Thursday).
  weekday day = weekday_of(feed_date);
  bool weekday_feed =
      day.c_encoding() >= Monday.c_encoding() && day.c_encoding() <= Friday.c_encoding();
  return weekday_feed && !is_holiday(add_days(feed_date, -1));
}

Date ArxivCalendar::next_announcement_date(Date after) const {
  // Ends: every week has five feed days, and the holidays are finitely many.
  Date date = add_days(after, 1);
  while (!is_announcement_date(date)) date = add_days(date, 1);
  return date;
}

Date ArxivCalendar::previous_announcement_date(Date date) const {
  Date earlier = add_days(date, -1);
  while (!is_announcement_date(earlier)) earlier = add_days(earlier, -1);
  return earlier;
}

std::vector<Date> ArxivCalendar::announcement_dates_between(Date from, Date to) const {
  std::vector<Date> dates;
  for (Date date = from; date <= to; date = add_days(date, 1)) {
    if (is_announcement_date(date)) dates.push_back(date);
  }
  return dates;
}

std::chrono::sys_seconds ArxivCalendar::submission_deadline(Date mailing_day) const {
  // Sunday's mailing carries what came in until Friday 14:00; the others close the same day.
  Date closing_day = weekday_of(mailing_day) == Sunday ? add_days(mailing_day, -2) : mailing_day;
  return eastern_.to_utc(closing_day, kSubmissionDeadline);
}

Result<SubmissionWindow> ArxivCalendar::submission_window(Date feed_date) const {
  if (!is_announcement_date(feed_date)) {
    return make_error("compute submission window",
                      format_iso_date(feed_date) + " is not an arXiv announcement date");
  }

  // The window opens where the last mailing that happened closed, so a deferred mailing's
  // submissions fall into this one.
  Date mailing_day = add_days(feed_date, -1);
  Date previous_mailing_day = add_days(previous_announcement_date(feed_date), -1);
  return SubmissionWindow{submission_deadline(previous_mailing_day),
                          submission_deadline(mailing_day)};
}

std::chrono::sys_seconds ArxivCalendar::feed_change(Date feed_date) const {
  return eastern_.to_utc(feed_date, TimeOfDay{0});
}

Date ArxivCalendar::feed_date_at(std::chrono::sys_seconds instant) const {
  return eastern_.to_local(instant).date;
}

}  // namespace paperbot
