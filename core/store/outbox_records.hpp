// What the outbox and the feedback tables hold, as the store reads and writes them. Plain values:
// the dispatcher that sends deliveries is core/delivery/outbox.hpp.
#pragma once

#include "core/common/date.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace paperbot {

enum class DeliveryStatus { kPending, kSent, kFailed };

// One message to one audience. The identity of a delivery is (audience, date, kind, paper_id,
// part): enqueueing the same identity again adds nothing, so a day rendered twice is sent once.
struct Delivery {
  // Set by the caller when enqueueing.
  std::string audience;  // "slack:C123", "email:reader@example.org"
  Date date;             // the announcement the message belongs to
  std::string kind;      // "header", "paper", "alert", ...
  std::optional<std::string> paper_id;
  int part = 0;         // a message split in several: 0, 1, ... in posting order
  std::string payload;  // the rendered message, as the sink expects it (JSON for Slack)
  // The kind of the message this one replies to, in the same audience and date (part 0 of it,
  // no paper): "header" for a paper posted under the day's header. Empty: a top-level message.
  std::optional<std::string> thread_key;
  // The paper's scores when the message was rendered; empty for an author match or no paper.
  std::optional<int> relevance;
  std::optional<int> novelty;
  std::optional<int> rank_score;

  // Kept by the store; ignored when enqueueing.
  std::int64_t id = 0;
  DeliveryStatus status = DeliveryStatus::kPending;
  int attempts = 0;         // failed sends and failed history checks so far
  std::string last_error;   // the latest failure, for `status` and the log
  bool sending = false;     // a send was started and its outcome never recorded
  std::string external_id;  // Slack's ts, once sent
  std::string posted_channel;
  std::string created_at;  // ISO 8601 UTC
  std::string sent_at;     // ISO 8601 UTC, once sent
};

// A paper's message as it was posted: what a reaction on (channel, ts) is about.
struct PostedPaper {
  std::string audience;
  std::string paper_id;
  Date date;
  std::optional<int> relevance;
  std::optional<int> novelty;
  std::optional<int> rank_score;
};

// One person's 👍 (+1) or 👎 (-1) on a posted paper.
struct Feedback {
  std::string audience;
  std::string paper_id;
  Date date;           // the announcement the paper was posted for
  std::string person;  // Slack user id, or the e-mail recipient
  int vote = 1;        // +1 or -1
  std::string source;  // "slack", "email"
};

struct FeedbackCounts {
  int up = 0;
  int down = 0;
};

}  // namespace paperbot
