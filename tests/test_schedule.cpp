#include "core/config/config.hpp"
#include "core/schedule/api_query.hpp"
#include "core/schedule/arxiv_calendar.hpp"
#include "core/schedule/scheduler.hpp"
#include "core/schedule/time_zone.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

// Dates print as 2025-01-29 in failed checks.
namespace Catch {
template <>
struct StringMaker<paperbot::Date> {
  static std::string convert(const paperbot::Date& date) { return paperbot::format_iso_date(date); }
};
}  // namespace Catch

namespace {

using namespace std::chrono_literals;
using paperbot::ArxivCalendar;
using paperbot::Date;
using paperbot::RetryDecision;
using paperbot::RunHistory;
using paperbot::ScheduleConfig;
using paperbot::Scheduler;
using paperbot::SubmissionWindow;
using paperbot::TimeZone;
using std::chrono::sys_seconds;

Date ymd(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
}

// An instant given in UTC.
sys_seconds utc(int year, unsigned month, unsigned day, int hour, int minute = 0) {
  return std::chrono::sys_days{ymd(year, month, day)} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

ArxivCalendar calendar(const std::vector<Date>& extra_holidays = {}) {
  auto made = ArxivCalendar::create(extra_holidays);
  INFO((made ? std::string() : made.error().to_string()));
  REQUIRE(made.has_value());
  return *made;
}

Scheduler scheduler(const ScheduleConfig& config = {}) {
  auto made = Scheduler::create(config);
  INFO((made ? std::string() : made.error().to_string()));
  REQUIRE(made.has_value());
  return *made;
}

SubmissionWindow window_of(const ArxivCalendar& arxiv, Date feed_date) {
  auto window = arxiv.submission_window(feed_date);
  INFO((window ? std::string() : window.error().to_string()));
  REQUIRE(window.has_value());
  return *window;
}

std::string iso(Date date) {
  return paperbot::format_iso_date(date);
}

TEST_CASE("feed dates of a week are Monday to Friday", "[schedule][calendar]") {
  ArxivCalendar arxiv = calendar();
  // 2025-01-27 is a Monday; the Sunday 2025-02-02 closes the week.
  for (unsigned day = 27; day <= 31; ++day) CHECK(arxiv.is_announcement_date(ymd(2025, 1, day)));
  CHECK_FALSE(arxiv.is_announcement_date(ymd(2025, 2, 1)));
  CHECK_FALSE(arxiv.is_announcement_date(ymd(2025, 2, 2)));

  CHECK(arxiv.announcement_dates_between(ymd(2025, 1, 27), ymd(2025, 2, 2)) ==
        std::vector<Date>{ymd(2025, 1, 27), ymd(2025, 1, 28), ymd(2025, 1, 29), ymd(2025, 1, 30),
                          ymd(2025, 1, 31)});
  CHECK(arxiv.announcement_dates_between(ymd(2025, 2, 2), ymd(2025, 1, 27)).empty());
  CHECK(arxiv.next_announcement_date(ymd(2025, 1, 31)) == ymd(2025, 2, 3));
  CHECK(arxiv.previous_announcement_date(ymd(2025, 2, 3)) == ymd(2025, 1, 31));
  CHECK(arxiv.next_announcement_date(ymd(2025, 1, 28)) == ymd(2025, 1, 29));
}

TEST_CASE("a holiday empties the feed of the next day", "[schedule][calendar]") {
  ArxivCalendar arxiv = calendar();

  // Monday 2025-01-20 (MLK day): Sunday's mailing is the Monday feed; no mailing Monday evening.
  CHECK(arxiv.is_announcement_date(ymd(2025, 1, 20)));
  CHECK_FALSE(arxiv.is_announcement_date(ymd(2025, 1, 21)));
  CHECK(arxiv.next_announcement_date(ymd(2025, 1, 20)) == ymd(2025, 1, 22));
  CHECK(arxiv.previous_announcement_date(ymd(2025, 1, 22)) == ymd(2025, 1, 20));
  // Sunday 2025-07-06: no Sunday mailing, so no Monday feed.
  CHECK_FALSE(arxiv.is_announcement_date(ymd(2025, 7, 7)));
}

TEST_CASE("the 2026 holidays", "[schedule][calendar]") {
  ArxivCalendar arxiv = calendar();
  CHECK(arxiv.is_holiday(ymd(2026, 11, 26)));
  CHECK_FALSE(arxiv.is_holiday(ymd(2026, 11, 27)));

  // Thursday 2026-01-01, Monday 2026-01-19, Monday 2026-09-07, Thanksgiving 2026-11-26.
  CHECK_FALSE(arxiv.is_announcement_date(ymd(2026, 1, 2)));
  CHECK(arxiv.is_announcement_date(ymd(2026, 1, 19)));
  CHECK_FALSE(arxiv.is_announcement_date(ymd(2026, 1, 20)));
  CHECK_FALSE(arxiv.is_announcement_date(ymd(2026, 9, 8)));
  CHECK(arxiv.is_announcement_date(ymd(2026, 11, 26)));
  CHECK(arxiv.next_announcement_date(ymd(2026, 11, 26)) == ymd(2026, 11, 30));
  // Fridays 2026-06-19 and 2026-07-03 have no mailing anyway: the next Monday's feed is there.
  CHECK(arxiv.is_announcement_date(ymd(2026, 7, 3)));
  CHECK(arxiv.is_announcement_date(ymd(2026, 7, 6)));

  // The year's end: no mailing Tuesday 29 and Thursday 31 December.
  CHECK(arxiv.announcement_dates_between(ymd(2026, 12, 24), ymd(2027, 1, 5)) ==
        std::vector<Date>{ymd(2026, 12, 24), ymd(2026, 12, 25), ymd(2026, 12, 28),
                          ymd(2026, 12, 29), ymd(2026, 12, 31), ymd(2027, 1, 4), ymd(2027, 1, 5)});
}

TEST_CASE("the built-in holidays are those of announcement_schedule.json", "[schedule][data]") {
  PAPERBOT_SHARED_DATA_FILE(schedule, "arxiv/announcement_schedule.json");
  std::string json = paperbot::testing::read_file(schedule);

  std::regex quoted_date("\"(\\d{4}-\\d{2}-\\d{2})\"");
  std::vector<std::string> listed;
  for (auto it = std::sregex_iterator(json.begin(), json.end(), quoted_date);
       it != std::sregex_iterator(); ++it) {
    listed.push_back((*it)[1]);
  }
  std::vector<std::string> built_in;
  for (Date date : ArxivCalendar::built_in_holidays()) built_in.push_back(iso(date));
  std::sort(listed.begin(), listed.end());
  CHECK(built_in == listed);
}

TEST_CASE("real feeds are dated on announcement dates", "[schedule][data]") {
  ArxivCalendar arxiv = calendar();
  for (const char* file :
       {"arxiv/days/2025-01-28.cs.LG+cs.AI.rss.xml", "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml",
        "arxiv/days/2026-04-21.cs.CV.rss.xml", "arxiv/rss2/real-2026-09-24-4-items.xml"}) {
    PAPERBOT_SHARED_DATA_FILE(feed, file);
    std::string xml = paperbot::testing::read_file(feed);
    auto start = xml.find("<pubDate>");
    REQUIRE(start != std::string::npos);
    auto date = paperbot::parse_rfc822_date(xml.substr(start + 9, 31));
    REQUIRE(date.has_value());
    INFO(file);
    CHECK(arxiv.is_announcement_date(*date));
  }
}

TEST_CASE("extra holidays from config: the empty feed of 2025-12-31", "[schedule][data]") {
  PAPERBOT_SHARED_DATA_FILE(feed, "arxiv/rss2/real-empty-holiday-2025-12-31.xml");
  std::string xml = paperbot::testing::read_file(feed);
  CHECK(xml.find("<item>") == std::string::npos);

  // The 2025 list predates December; the empty Wednesday feed means Tuesday's mailing was
  // deferred, which an operator adds to [SCHEDULE] extra_holidays.
  CHECK(calendar().is_announcement_date(ymd(2025, 12, 31)));
  ArxivCalendar updated = calendar({ymd(2025, 12, 30)});
  CHECK_FALSE(updated.is_announcement_date(ymd(2025, 12, 31)));
  CHECK(updated.next_announcement_date(ymd(2025, 12, 30)) == ymd(2026, 1, 1));
}

TEST_CASE("submission windows", "[schedule][window]") {
  ArxivCalendar arxiv = calendar();

  // Wednesday's feed: Monday 14:00 to Tuesday 14:00 Eastern (EST, UTC-5).
  CHECK(window_of(arxiv, ymd(2025, 1, 29)) ==
        SubmissionWindow{utc(2025, 1, 27, 19), utc(2025, 1, 28, 19)});
  // Monday's feed (mailed Sunday): Thursday 14:00 to Friday 14:00.
  CHECK(window_of(arxiv, ymd(2025, 2, 3)) ==
        SubmissionWindow{utc(2025, 1, 30, 19), utc(2025, 1, 31, 19)});
  // Tuesday's feed (mailed Monday): Friday 14:00 to Monday 14:00.
  CHECK(window_of(arxiv, ymd(2025, 2, 4)) ==
        SubmissionWindow{utc(2025, 1, 31, 19), utc(2025, 2, 3, 19)});
  // Summer: 14:00 EDT is 18:00 UTC.
  CHECK(window_of(arxiv, ymd(2025, 6, 3)) ==
        SubmissionWindow{utc(2025, 5, 30, 18), utc(2025, 6, 2, 18)});
  // Across the switch to daylight time (Sunday 2025-03-09): opens in EST, closes in EDT.
  CHECK(window_of(arxiv, ymd(2025, 3, 11)) ==
        SubmissionWindow{utc(2025, 3, 7, 19), utc(2025, 3, 10, 18)});
}

TEST_CASE("a holiday merges its window into the next mailing", "[schedule][window]") {
  ArxivCalendar arxiv = calendar();
  // No mailing Monday 2025-01-20: Wednesday's feed carries Friday 14:00 to Tuesday 14:00.
  CHECK(window_of(arxiv, ymd(2025, 1, 22)) ==
        SubmissionWindow{utc(2025, 1, 17, 19), utc(2025, 1, 21, 19)});
  // No mailing Thanksgiving 2026-11-26: Monday's feed carries Wednesday 14:00 to Friday 14:00.
  CHECK(window_of(arxiv, ymd(2026, 11, 30)) ==
        SubmissionWindow{utc(2026, 11, 25, 19), utc(2026, 11, 27, 19)});

  auto none = arxiv.submission_window(ymd(2025, 1, 21));
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().message == "2025-01-21 is not an arXiv announcement date");
}

TEST_CASE("the API query for a submission window", "[schedule][query]") {
  SubmissionWindow window = window_of(calendar(), ymd(2025, 1, 29));

  auto query = paperbot::submission_window_query({"cs.LG", "cs.AI"}, window, {0, 100});
  REQUIRE(query.has_value());
  CHECK(*query ==
        "search_query=%28cat:cs.LG+OR+cat:cs.AI%29+AND+submittedDate:[202501271900+TO+"
        "202501281900]&sortBy=submittedDate&sortOrder=ascending&start=0&max_results=100");

  auto single = paperbot::submission_window_query({"hep-th"}, window, {2000, 2000});
  REQUIRE(single.has_value());
  CHECK(*single ==
        "search_query=cat:hep-th+AND+submittedDate:[202501271900+TO+202501281900]"
        "&sortBy=submittedDate&sortOrder=ascending&start=2000&max_results=2000");
}

TEST_CASE("the API query refuses what the API would reject", "[schedule][query]") {
  SubmissionWindow window{utc(2025, 1, 27, 19), utc(2025, 1, 28, 19)};
  CHECK_FALSE(paperbot::submission_window_query({}, window, {}).has_value());
  auto injected = paperbot::submission_window_query({"cs.LG&max_results=5"}, window, {});
  REQUIRE_FALSE(injected.has_value());
  CHECK(injected.error().step == "build arXiv API query");
  CHECK_FALSE(paperbot::submission_window_query({"cs.LG"}, window, {0, 2001}).has_value());
  CHECK_FALSE(paperbot::submission_window_query({"cs.LG"}, window, {29500, 1000}).has_value());
  CHECK_FALSE(paperbot::submission_window_query({"cs.LG"}, window, {-1, 10}).has_value());
}

TEST_CASE("time zones follow daylight saving time", "[schedule][tz]") {
  auto eastern = TimeZone::us_eastern();
  REQUIRE(eastern.has_value());
  CHECK(eastern->utc_offset(utc(2025, 1, 15, 12)) == -5h);
  CHECK(eastern->utc_offset(utc(2025, 7, 15, 12)) == -4h);
  CHECK(eastern->to_utc(ymd(2025, 7, 15), 14h) == utc(2025, 7, 15, 18));
  CHECK(eastern->to_local(utc(2025, 7, 16, 3, 30)) ==
        paperbot::LocalTime{ymd(2025, 7, 15), 23h + 30min});

  // 02:30 does not exist on 2026-03-08: the instant of the jump. 01:30 happens twice on
  // 2026-11-01: the first time, still daylight time.
  CHECK(eastern->to_utc(ymd(2026, 3, 8), 2h + 30min) == utc(2026, 3, 8, 7));
  CHECK(eastern->to_utc(ymd(2026, 11, 1), 1h + 30min) == utc(2026, 11, 1, 5, 30));

  auto unknown = TimeZone::find("Mars/Olympus_Mons");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().message.find("Mars/Olympus_Mons") != std::string::npos);
}

TEST_CASE("the run hour converts across the switches of 2026", "[schedule][tz]") {
  Scheduler daemon = scheduler();                                 // 01:00 America/New_York
  CHECK(daemon.run_time(ymd(2026, 3, 6)) == utc(2026, 3, 6, 6));  // Friday, EST
  CHECK(daemon.run_time(ymd(2026, 3, 9)) == utc(2026, 3, 9, 5));  // Monday, EDT
  CHECK(daemon.run_time(ymd(2026, 10, 30)) == utc(2026, 10, 30, 5));
  CHECK(daemon.run_time(ymd(2026, 11, 2)) == utc(2026, 11, 2, 6));
  CHECK(daemon.run_time(ymd(2025, 7, 15)) == utc(2025, 7, 15, 5));
}

TEST_CASE("the run hour in another time zone comes after the feed changes", "[schedule][tz]") {
  ScheduleConfig config;
  config.time_zone = "Europe/Berlin";

  // The feed of 2025-01-29 appears at 06:00 in Berlin: 07:00 the same day, 01:00 the next.
  config.run_hour = 7;
  CHECK(scheduler(config).run_time(ymd(2025, 1, 29)) == utc(2025, 1, 29, 6));
  config.run_hour = 1;
  CHECK(scheduler(config).run_time(ymd(2025, 1, 29)) == utc(2025, 1, 30, 0));

  config.time_zone = "Mars/Olympus_Mons";
  CHECK_FALSE(Scheduler::create(config).has_value());
}

TEST_CASE("the next run after a Friday evening is Monday's feed", "[schedule][next]") {
  Scheduler daemon = scheduler();
  RunHistory history{{ymd(2025, 1, 31)}, ymd(2025, 1, 31), {}};

  // Friday 2025-01-31 22:00 Eastern. Sunday evening's mailing is the feed dated Monday.
  auto decision = daemon.decide(utc(2025, 2, 1, 3), history);
  CHECK(decision.catch_up.missed.empty());
  CHECK(decision.next == paperbot::NextRun{utc(2025, 2, 3, 6), ymd(2025, 2, 3)});
}

TEST_CASE("the next run skips holidays", "[schedule][next]") {
  Scheduler daemon = scheduler();

  // Monday 2025-01-20 processed; no mailing that evening, so the next feed is Wednesday's.
  RunHistory mlk{{ymd(2025, 1, 17), ymd(2025, 1, 20)}, ymd(2025, 1, 6), {}};
  CHECK(daemon.decide(utc(2025, 1, 20, 12), mlk).next ==
        paperbot::NextRun{utc(2025, 1, 22, 6), ymd(2025, 1, 22)});

  // Thanksgiving 2026: from Thursday to Monday.
  RunHistory thanksgiving{{ymd(2026, 11, 26)}, ymd(2026, 11, 2), {}};
  CHECK(daemon.decide(utc(2026, 11, 26, 15), thanksgiving).next ==
        paperbot::NextRun{utc(2026, 11, 30, 6), ymd(2026, 11, 30)});
}

TEST_CASE("today's feed is due at once until processed or given up", "[schedule][next]") {
  Scheduler daemon = scheduler();
  sys_seconds three_am = utc(2025, 1, 29, 8);  // Wednesday 03:00 Eastern
  RunHistory history{{ymd(2025, 1, 28)}, ymd(2025, 1, 6), {}};

  auto due = daemon.decide(three_am, history).next;
  CHECK(due == paperbot::NextRun{utc(2025, 1, 29, 6), ymd(2025, 1, 29)});
  CHECK(due.at <= three_am);

  // Before 01:00 Eastern it waits for the run hour.
  CHECK(daemon.decide(utc(2025, 1, 29, 5, 30), history).next.at == utc(2025, 1, 29, 6));

  history.feed_given_up.insert(ymd(2025, 1, 29));
  CHECK(daemon.decide(three_am, history).next.announcement == ymd(2025, 1, 30));
  history.feed_given_up.clear();
  history.processed.insert(ymd(2025, 1, 29));
  CHECK(daemon.decide(three_am, history).next.announcement == ymd(2025, 1, 30));
}

TEST_CASE("catching up after five days of downtime", "[schedule][catch-up]") {
  // Down from Tuesday 2025-01-28 after its run to Monday 2025-02-03 03:00 Eastern.
  sys_seconds back = utc(2025, 2, 3, 8);
  RunHistory history{{ymd(2025, 1, 27), ymd(2025, 1, 28)}, ymd(2025, 1, 6), {}};

  auto decision = scheduler().decide(back, history);
  CHECK(decision.catch_up.missed ==
        std::vector<Date>{ymd(2025, 1, 29), ymd(2025, 1, 30), ymd(2025, 1, 31)});
  // Monday's feed is live: it is read, not caught up.
  CHECK(decision.next == paperbot::NextRun{utc(2025, 2, 3, 6), ymd(2025, 2, 3)});

  // Only catch_up_days back: from Friday 2025-01-31.
  ScheduleConfig short_memory;
  short_memory.catch_up_days = 3;
  CHECK(scheduler(short_memory).decide(back, history).catch_up.missed ==
        std::vector<Date>{ymd(2025, 1, 31)});
  short_memory.catch_up_days = 0;
  CHECK(scheduler(short_memory).decide(back, history).catch_up.missed.empty());

  // A day processed in between is not fetched again.
  history.processed.insert(ymd(2025, 1, 30));
  CHECK(scheduler().decide(back, history).catch_up.missed ==
        std::vector<Date>{ymd(2025, 1, 29), ymd(2025, 1, 31)});
}

TEST_CASE("catching up skips holidays and a new store's past", "[schedule][catch-up]") {
  Scheduler daemon = scheduler();
  // Down over MLK day 2025: Tuesday 2025-01-21 had no feed.
  RunHistory history{{ymd(2025, 1, 16), ymd(2025, 1, 17)}, ymd(2025, 1, 6), {}};
  CHECK(daemon.decide(utc(2025, 1, 23, 8), history).catch_up.missed ==
        std::vector<Date>{ymd(2025, 1, 20), ymd(2025, 1, 22)});

  // Nothing before the first processed announcement, and nothing at all for a new store.
  history.first_processed = ymd(2025, 1, 22);
  history.processed = {ymd(2025, 1, 22)};
  CHECK(daemon.decide(utc(2025, 1, 23, 8), history).catch_up.missed.empty());
  CHECK(daemon.decide(utc(2025, 1, 23, 8), RunHistory{}).catch_up.missed.empty());

  // A feed given up on is caught up once it is gone.
  RunHistory given_up{{ymd(2025, 1, 28)}, ymd(2025, 1, 28), {ymd(2025, 1, 29)}};
  CHECK(daemon.decide(utc(2025, 1, 30, 8), given_up).catch_up.missed ==
        std::vector<Date>{ymd(2025, 1, 29)});
}

TEST_CASE("a feed not yet updated is read again, then the admins are alerted",
          "[schedule][retry]") {
  Scheduler daemon = scheduler();  // every 30 minutes, 12 times
  Date day = ymd(2025, 1, 29);
  sys_seconds first = daemon.run_time(day);

  CHECK(daemon.after_not_yet_updated(day, 1, first) ==
        RetryDecision{RetryDecision::Action::kRetry, first + 30min});
  CHECK(daemon.after_not_yet_updated(day, 12, first + 330min).action ==
        RetryDecision::Action::kRetry);
  CHECK(daemon.after_not_yet_updated(day, 13, first + 360min).action ==
        RetryDecision::Action::kAlert);

  // 23:45 Eastern: the next read would find Thursday's feed.
  CHECK(daemon.after_not_yet_updated(day, 2, utc(2025, 1, 30, 4, 45)).action ==
        RetryDecision::Action::kAlert);

  ScheduleConfig impatient;
  impatient.max_retries = 0;
  CHECK(scheduler(impatient).after_not_yet_updated(day, 1, first).action ==
        RetryDecision::Action::kAlert);
}

// Config: [SCHEDULE] as config.ini gives it.
struct IniFolder {
  paperbot::testing::TempDir dir;

  paperbot::Result<paperbot::Config> load(std::string_view ini) {
    std::ofstream(dir.path() / "config.ini", std::ios::binary) << ini;
    return paperbot::load_config(dir.path());
  }
};

TEST_CASE("[SCHEDULE] in config.ini", "[schedule][config]") {
  IniFolder folder;
  auto config = folder.load(
      "[SCHEDULE]\nrun_hour = 7\ntime_zone = Europe/Berlin\nretry_minutes = 15\n"
      "max_retries = 4\nextra_holidays = 2025-12-31, 2025-12-30,2025-12-31\ncatch_up_days = 3\n");
  INFO((config ? std::string() : config.error().to_string()));
  REQUIRE(config.has_value());
  CHECK(config->schedule.run_hour == 7);
  CHECK(config->schedule.time_zone == "Europe/Berlin");
  CHECK(config->schedule.retry_minutes == 15);
  CHECK(config->schedule.max_retries == 4);
  CHECK(config->schedule.extra_holidays == std::vector<Date>{ymd(2025, 12, 30), ymd(2025, 12, 31)});
  CHECK(config->schedule.catch_up_days == 3);
  for (const auto& notice : config->notices)
    CHECK(notice.message.find("SCHEDULE") == std::string::npos);
}

TEST_CASE("an invalid [SCHEDULE] value is an error naming the key", "[schedule][config]") {
  IniFolder folder;
  auto zone = folder.load("[SCHEDULE]\ntime_zone = Mars/Olympus_Mons\n");
  REQUIRE_FALSE(zone.has_value());
  CHECK(zone.error().message.find("[SCHEDULE] time_zone = 'Mars/Olympus_Mons': expected a time "
                                  "zone") != std::string::npos);

  auto hour = folder.load("[SCHEDULE]\nrun_hour = 24\n");
  REQUIRE_FALSE(hour.has_value());
  CHECK(hour.error().message.find("[SCHEDULE] run_hour") != std::string::npos);

  auto holiday = folder.load("[SCHEDULE]\nextra_holidays = 2025-12-30, 31/12/2025\n");
  REQUIRE_FALSE(holiday.has_value());
  CHECK(holiday.error().message.find("'31/12/2025' is not one") != std::string::npos);
}

TEST_CASE("the example config's [SCHEDULE] is the defaults", "[schedule][config]") {
  auto example = std::filesystem::path(__FILE__).parent_path().parent_path() / "config";
  auto loaded = paperbot::load_config(example);
  INFO((loaded ? std::string() : loaded.error().to_string()));
  REQUIRE(loaded.has_value());
  CHECK(loaded->schedule == paperbot::default_config().schedule);
  CHECK(loaded->schedule == ScheduleConfig{});
}

}  // namespace
