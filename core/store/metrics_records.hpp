// What the operator's views read from the store (store_metrics.cpp): totals grouped by audience
// and status for the daemon's /metrics, and the scores of one day for its page. Plain values.
//
// E-mail deliveries are kept per reader ("email:<list>:<address>"); the totals name the list only
// ("email:<list>"), so that no address leaves the store through them.
#pragma once

#include "core/common/date.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace paperbot {

// Runs of one audience that ended with one status ("done", "failed", "empty").
struct RunOutcomeCount {
  std::string audience;
  std::string status;
  std::int64_t runs = 0;
};

// What the runs of one audience handled, summed over all its runs.
struct RunTotals {
  std::string audience;
  std::int64_t fetched = 0;
  std::int64_t scored = 0;
  std::int64_t cached = 0;
  std::int64_t selected = 0;
};

// What one scorer billed, over all time.
struct ScorerSpending {
  std::string scorer;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  double dollars = 0;  // priced models only
};

// Deliveries of one audience in one status ("pending", "sent", "failed").
struct DeliveryCount {
  std::string audience;  // "slack:C0123", "email:<list>", "slack:<admin channel>"
  std::string status;
  std::int64_t deliveries = 0;
};

// Votes of one kind (1 or -1) in one audience.
struct VoteCount {
  std::string audience;
  int vote = 0;
  std::int64_t votes = 0;
};

struct StoreTotals {
  std::vector<RunOutcomeCount> runs;
  std::vector<RunTotals> handled;
  std::vector<ScorerSpending> spending;
  std::vector<DeliveryCount> deliveries;
  std::vector<VoteCount> feedback;
};

// The latest run of an audience.
struct LatestRun {
  std::string audience;
  Date date;
  std::string status;
};

// One paper's score on a day, under one criteria version.
struct DayScore {
  std::string paper_id;
  int relevance = 0;
  int novelty = 0;
};

}  // namespace paperbot
