// Remembers which Events API event_ids were already handed off, so that Slack's retries of a
// delivery (same event_id, up to about five minutes later) are acknowledged but not acted on twice.
//
// In memory only: ids are forgotten after `ttl` and, beyond `capacity`, oldest first, so memory
// stays bounded under a flood. A restart forgets everything; handlers must be idempotent anyway,
// since Slack delivers at least once.
//
// Thread safety: none. One EventDedupe is used from one thread (the listener's I/O thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace paperbot::slack {

class EventDedupe {
 public:
  using Clock = std::chrono::steady_clock;

  EventDedupe(std::chrono::seconds ttl, std::size_t capacity);

  // True the first time `event_id` is seen within the TTL, and records it; false for a repeat.
  bool first_sighting(std::string_view event_id, Clock::time_point now);

  std::size_t size() const { return seen_.size(); }

 private:
  void forget_expired(Clock::time_point now);

  std::chrono::seconds ttl_;
  std::size_t capacity_;
  std::unordered_set<std::string> seen_;
  std::deque<std::pair<Clock::time_point, std::string>> by_age_;  // oldest first
};

}  // namespace paperbot::slack
