// A time zone of the tz database (America/New_York, Europe/Berlin, ...), for turning wall-clock
// times into UTC instants and back with the zone's daylight-saving rules.
//
// The rules come from the system's tz database (/usr/share/zoneinfo, Debian's tzdata) through
// Howard Hinnant's date library, so that they are the ones the operating system uses and are kept
// up to date by the distribution rather than by this code.
//
// A TimeZone is a small handle to an entry of the database, which lives until the process ends.
// It is cheap to copy and safe to use from any thread.
#pragma once

#include "core/common/date.hpp"
#include "core/common/result.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace paperbot {

// A time of day as minutes after midnight, 0 to 1439.
using TimeOfDay = std::chrono::minutes;

// A wall-clock reading in some zone.
struct LocalTime {
  Date date;
  std::chrono::seconds time_of_day{0};  // since local midnight

  bool operator==(const LocalTime&) const = default;
};

class TimeZone {
 public:
  // The zone named `name` ("America/New_York"). An unknown name, or a system without a tz
  // database, is an Error of the step "find time zone" that names the zone.
  static Result<TimeZone> find(std::string_view name);

  // The zone arXiv keeps its schedule in. Fails only when the system has no tz database.
  static Result<TimeZone> us_eastern();

  std::string name() const;

  // The UTC instant of `date` at `time` on the zone's wall clock.
  //  - A time the clocks skip (02:30 on the day daylight saving starts) is the instant the
  //    clocks jump (03:00 daylight time), so that a run scheduled then happens, a little early.
  //  - A time the clocks show twice (01:30 on the day daylight saving ends) is the first one,
  //    so that a run happens once, at the earlier moment.
  std::chrono::sys_seconds to_utc(Date date, TimeOfDay time) const;

  // The wall-clock date and time at `instant`.
  LocalTime to_local(std::chrono::sys_seconds instant) const;

  // Local time minus UTC at `instant`: -5 h for New York in January, -4 h in July.
  std::chrono::seconds utc_offset(std::chrono::sys_seconds instant) const;

 private:
  explicit TimeZone(const date::time_zone* zone) : zone_(zone) {}

  const date::time_zone* zone_;  // owned by the date library's database; never null
};

}  // namespace paperbot
