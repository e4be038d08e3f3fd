#include "adapters/slack/event_dedupe.hpp"

#include <algorithm>

namespace paperbot::slack {

EventDedupe::EventDedupe(std::chrono::seconds ttl, std::size_t capacity)
    : ttl_(ttl), capacity_(std::max<std::size_t>(capacity, 1)) {}

bool EventDedupe::first_sighting(std::string_view event_id, Clock::time_point now) {
  forget_expired(now);

  std::string id(event_id);
  if (seen_.contains(id)) {
    return false;
  }

  // Past capacity the oldest id goes first: it is the one least likely to be retried.
  while (seen_.size() >= capacity_) {
    seen_.erase(by_age_.front().second);
    by_age_.pop_front();
  }
  seen_.insert(id);
  by_age_.emplace_back(now, std::move(id));
  return true;
}

void EventDedupe::forget_expired(Clock::time_point now) {
  while (!by_age_.empty() && now - by_age_.front().first > ttl_) {
    seen_.erase(by_age_.front().second);
    by_age_.pop_front();
  }
}

}  // namespace paperbot::slack
