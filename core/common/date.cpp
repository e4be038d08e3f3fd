#include "core/common/date.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace paperbot {
namespace {

std::optional<int> to_int(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<Date> make_date(int year, int month, int day) {
  Date date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace

std::string format_iso_date(Date date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::string format_iso_timestamp(std::chrono::sys_seconds time) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::hh_mm_ss clock{time - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02dZ", format_iso_date(Date{day}).c_str(),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

std::string format_us_date(Date date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02u/%02u/%04d", static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(date.year()));
  return buffer;
}

std::optional<Date> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto year = to_int(text.substr(0, 4));
  auto month = to_int(text.substr(5, 2));
  auto day = to_int(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  return make_date(*year, *month, *day);
}

std::optional<Date> parse_iso_timestamp_date(std::string_view text) {
  return text.size() < 10 ? std::nullopt : parse_iso_date(text.substr(0, 10));
}

std::optional<Date> parse_rfc822_date(std::string_view text) {
  // "[Wed, ]29 Jan 2025 00:00:00 -0500": the date as written is the date in that offset.
  if (auto comma = text.find(','); comma != std::string_view::npos) text.remove_prefix(comma + 1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);

  std::array<std::string_view, 3> fields;
  for (auto& field : fields) {
    std::size_t end = text.find(' ');
    field = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = 0;
  for (std::size_t k = 0; k < kMonths.size(); ++k) {
    if (fields[1] == kMonths[k]) month = static_cast<int>(k) + 1;
  }
  auto day = to_int(fields[0]);
  auto year = to_int(fields[2]);
  if (month == 0 || !day || !year) return std::nullopt;
  return make_date(*year, month, *day);
}

}  // namespace paperbot
