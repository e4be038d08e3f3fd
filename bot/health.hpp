// Whether the daemon keeps up with arXiv, for /healthz and for the runner's alarms.
//
// The announcement "expected" at a time is the latest one whose run was due (Scheduler::run_time)
// at least kHealthGrace earlier: by then it should be recorded in the store's days as "done" or
// "empty" (on time or through the catch-up). Healthy means: that day is recorded, and the latest
// run of every audience did not fail. Announcements before the first day the store ever
// processed are not expected, as the scheduler never catches them up, nor those due before
// `watching_since` (when the daemon started); a store that processed nothing is healthy until an
// announcement due after that start is missing, unless a run failed.
//
// Thread safety: assess_health() is pure; check_health() runs on the store's thread.
#pragma once

#include "core/common/date.hpp"
#include "core/common/result.hpp"
#include "core/schedule/scheduler.hpp"
#include "core/store/store.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace paperbot {

// How long after its scheduled run an announcement may still be in the works (feed retries,
// scoring, a failure retried every few minutes) before it counts as missing.
inline constexpr std::chrono::hours kHealthGrace{6};

struct Health {
  bool ok = true;
  std::string summary;           // one line for an operator: "ok: ..." or what is wrong
  std::optional<Date> expected;  // the announcement expected by now; none before the first
  // Expected announcements in a row, newest first, that are not recorded as processed.
  int unprocessed = 0;
};

// The latest announcement whose run was due at or before `now - grace`.
Date expected_announcement(const Scheduler& scheduler, std::chrono::sys_seconds now,
                           std::chrono::seconds grace = kHealthGrace);

Health assess_health(const Scheduler& scheduler, const std::vector<DayRecord>& days,
                     const std::vector<LatestRun>& runs, std::chrono::sys_seconds now,
                     std::optional<std::chrono::sys_seconds> watching_since = std::nullopt);

// Reads the days and the latest runs from `store`, then assesses them.
Result<Health> check_health(Store& store, const Scheduler& scheduler, std::chrono::sys_seconds now,
                            std::optional<std::chrono::sys_seconds> watching_since = std::nullopt);

}  // namespace paperbot
