#include "core/schedule/time_zone.hpp"

#include <date/tz.h>

#include <exception>

namespace paperbot {
namespace {

constexpr std::string_view kEasternName = "America/New_York";

// std::chrono and the date library count days from the same epoch, so a day number carries over.
date::local_days to_local_days(Date day) {
  return date::local_days{std::chrono::sys_days{day}.time_since_epoch()};
}

}  // namespace

Result<TimeZone> TimeZone::find(std::string_view name) {
  // The library reports an unknown zone, and a missing or unreadable database, by throwing.
  try {
    return TimeZone(date::locate_zone(name));
  } catch (const std::exception& failure) {
    return make_error("find time zone", "'" + std::string(name) +
                                            "' is not a time zone of the system's tz database "
                                            "(/usr/share/zoneinfo): " +
                                            failure.what());
  }
}

Result<TimeZone> TimeZone::us_eastern() {
  return find(kEasternName);
}

std::string TimeZone::name() const {
  return std::string(zone_->name());
}

std::chrono::sys_seconds TimeZone::to_utc(Date day, TimeOfDay time) const {
  date::local_seconds wall{to_local_days(day) + time};
  // choose::earliest picks the first of two readings; for a skipped reading both choices give
  // the instant of the jump, and neither throws.
  return zone_->to_sys(wall, date::choose::earliest);
}

LocalTime TimeZone::to_local(std::chrono::sys_seconds instant) const {
  date::local_seconds wall = zone_->to_local(instant);
  date::local_days day = std::chrono::floor<std::chrono::days>(wall);
  Date calendar_day{std::chrono::sys_days{day.time_since_epoch()}};
  return LocalTime{calendar_day, wall - day};
}

std::chrono::seconds TimeZone::utc_offset(std::chrono::sys_seconds instant) const {
  return zone_->get_info(instant).offset;
}

}  // namespace paperbot
