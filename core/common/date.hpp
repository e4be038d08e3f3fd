// Announcement dates. An announcement is named by its calendar date in US Eastern time, the date
// of the feed's pubDate, not the clock of the machine.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace paperbot {

using Date = std::chrono::year_month_day;

// "2025-01-29"
std::string format_iso_date(Date date);
std::optional<Date> parse_iso_date(std::string_view text);

// "01/29/2025", as the reference digest titles its Markdown.
std::string format_us_date(Date date);

// The calendar date written in an RFC 822 date as used by RSS pubDate
// ("Wed, 29 Jan 2025 00:00:00 -0500"), taken in the offset the string gives.
std::optional<Date> parse_rfc822_date(std::string_view text);

// "2025-01-29T18:59:59Z": a time as the store writes it, so that the two compare as text.
std::string format_iso_timestamp(std::chrono::sys_seconds time);

// The date part of an ISO 8601 timestamp ("2025-01-29T18:59:59Z").
std::optional<Date> parse_iso_timestamp_date(std::string_view text);

}  // namespace paperbot
