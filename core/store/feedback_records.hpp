// What the cutoff learner reads and writes in the store: the papers each audience was shown, with
// the scores they had and the votes they drew, and one record per audience and day of what the
// learner did with the cutoffs. Plain values; the Store reads and writes them
// (store_feedback.cpp).
#pragma once

#include "core/common/date.hpp"

#include <optional>
#include <string>

namespace paperbot {

// A paper shown to an audience on an announcement day: posted in the digest, or posted "just
// below the bar" to find out whether the bar is too high.
struct Exposure {
  std::string audience;
  Date date;
  std::string paper_id;
  int relevance = 0;
  int novelty = 0;
  int rank_score = 0;
  bool below_bar = false;

  bool operator==(const Exposure&) const = default;
};

// An exposure with the votes on the paper in that audience, each person counted once per vote.
// No votes at all is silence, which the learner does not read as dislike.
struct ExposureOutcome {
  Exposure exposure;
  int up = 0;
  int down = 0;
};

// What the learner did with an audience's cutoffs on one announcement day.
struct CutoffTuning {
  std::string audience;
  Date date;
  int relevance_before = 0;
  int novelty_before = 0;
  int relevance_after = 0;
  int novelty_after = 0;
  std::string reason;   // one line for people, with its numbers
  bool undone = false;  // the move was taken back with `undo`
  bool moved() const {
    return relevance_after != relevance_before || novelty_after != novelty_before;
  }
  std::string at;  // ISO 8601 UTC; filled by the store
};

// An admin's lock on a scope's cutoffs.
struct CutoffLock {
  std::string person;
  std::string at;  // ISO 8601 UTC
};

}  // namespace paperbot
