// arXiv's announcement calendar: which days have an announcement, and which submissions each one
// carries.
//
// Words. An announcement is named by its feed date: the date of the RSS feed's pubDate, in US
// Eastern time. arXiv mails Sunday to Thursday at 20:00 Eastern, and the feed regenerated at the
// following midnight carries that mailing: Sunday evening's mailing is Monday's feed, ...,
// Thursday evening's is Friday's. So feed dates are Monday to Friday, and the feeds of Saturday
// and Sunday are empty.
//
// Holidays. arXiv lists the days on which it defers a mailing ("On Deferred Mailings" in
// https://info.arxiv.org/help/availability.html; 2023 lists "Thrs 23 November", Thanksgiving). A
// holiday is the day of the evening mailing that does not happen, so the feed dated the day
// AFTER the holiday is empty, and the deferred submissions go out with the next mailing. The 2025
// list holds Sunday 2025-07-06, which empties Monday 7 July; the 2026 list holds Fridays
// (2026-07-03, 2026-12-25), evenings without a mailing anyway, which change nothing.
//
// An ArxivCalendar is immutable once built and safe to share between threads.
#pragma once

#include "core/common/date.hpp"
#include "core/common/result.hpp"
#include "core/schedule/time_zone.hpp"

#include <chrono>
#include <set>
#include <span>
#include <vector>

namespace paperbot {

// An interval of submission times, in UTC, from `from` up to `to`.
struct SubmissionWindow {
  std::chrono::sys_seconds from;
  std::chrono::sys_seconds to;

  bool operator==(const SubmissionWindow&) const = default;
};

class ArxivCalendar {
 public:
  // The built-in holidays plus `extra_holidays` (days of deferred mailings that arXiv announced
  // after this code was written, from [SCHEDULE] extra_holidays). Fails only when the system has
  // no tz database entry for America/New_York.
  static Result<ArxivCalendar> create(const std::vector<Date>& extra_holidays = {});

  // The holidays arXiv published for 2025 and 2026, as mailing days.
  static std::span<const Date> built_in_holidays();

  // Whether `mailing_day` is a day of deferred mailing.
  bool is_holiday(Date mailing_day) const;

  // Whether a feed dated `feed_date` carries an announcement: a Monday to Friday whose previous
  // evening is not a holiday.
  bool is_announcement_date(Date feed_date) const;

  // The first announcement date strictly after `after`, and the last one strictly before `date`.
  Date next_announcement_date(Date after) const;
  Date previous_announcement_date(Date date) const;

  // The announcement dates from `from` to `to`, both included, oldest first (for catching up
  // after downtime). Empty when `to` is before `from`.
  std::vector<Date> announcement_dates_between(Date from, Date to) const;

  // The submissions an announcement carries, in UTC, from the deadline (14:00 Eastern) of the
  // previous mailing that happened to the deadline of this announcement's mailing:
  //   feed of Wednesday: Monday 14:00 to Tuesday 14:00 (mailed Tuesday 20:00)
  //   feed of Monday:    Thursday 14:00 to Friday 14:00 (mailed Sunday 20:00)
  //   feed of Tuesday:   Friday 14:00 to Monday 14:00 (mailed Monday 20:00)
  // A holiday merges its window into the next mailing's. An error when `feed_date` is not an
  // announcement date.
  //
  // An approximation when used to query the arXiv API, which has no "announced on" field, only
  // submittedDate: a paper held in moderation, or replaced, appears in a later announcement than
  // its submission time says, and a paper submitted in the boundary minute may match two windows.
  Result<SubmissionWindow> submission_window(Date feed_date) const;

  // The instant the feed dated `feed_date` appears: midnight Eastern at the start of that day.
  std::chrono::sys_seconds feed_change(Date feed_date) const;

  // The date of the feed shown at `instant`: the calendar date in US Eastern time.
  Date feed_date_at(std::chrono::sys_seconds instant) const;

  const TimeZone& eastern() const { return eastern_; }

 private:
  ArxivCalendar(TimeZone eastern, std::set<Date> holidays)
      : eastern_(eastern), holidays_(std::move(holidays)) {}

  // The instant submissions close for the mailing made on `mailing_day`.
  std::chrono::sys_seconds submission_deadline(Date mailing_day) const;

  TimeZone eastern_;
  std::set<Date> holidays_;  // mailing days
};

// `date` moved by `days` calendar days (negative: back).
Date add_days(Date date, int days);

}  // namespace paperbot
