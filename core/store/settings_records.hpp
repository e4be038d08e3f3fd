// What the long-running daemon keeps in the store besides papers and runs: the settings people
// make in chat (per scope, with a history that can be undone), the announcement days it has
// processed, and the Slack events it has already handled. Plus the read-only views of papers,
// scores and deliveries that the chat commands answer from. Plain values; the Store reads and
// writes them (store_settings.cpp, store_lookups.cpp).
#pragma once

#include "core/common/criteria.hpp"
#include "core/common/date.hpp"
#include "core/common/paper.hpp"
#include "core/store/outbox_records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot {

// The scope of the chat settings that every audience inherits. Any other scope is an audience
// id ("slack:C0123").
inline constexpr std::string_view kGlobalScope = "global";

// The settings made in chat for one scope, on top of the config. A field left unset inherits
// (from the global scope, then the config), so a scope nobody touched is all defaults.
struct ScopeSettings {
  std::optional<std::int64_t> criteria_id;  // a criteria version (Store::criteria_version)
  std::optional<std::vector<FollowedAuthor>> authors;  // the whole list when set
  std::optional<int> relevance_cutoff;
  std::optional<int> novelty_cutoff;
  std::optional<int> top_n;
  bool paused = false;  // no daily digest; kept outside the history

  bool operator==(const ScopeSettings&) const = default;
};

// One change of a scope's settings, as `history` lists it.
struct SettingsChange {
  std::int64_t id = 0;
  std::string scope;
  std::string what;     // "criteria", "authors" or "cutoffs"
  std::string summary;  // for people: "relevance 7 -> 8"
  std::string person;   // Slack user id
  std::string at;       // ISO 8601 UTC
  bool undone = false;
  std::string undone_at;  // ISO 8601 UTC; empty while not undone
};

// An announcement day the daemon dealt with. The status is the daemon's word; the store keeps any.
// Those the scheduler reads: "done" (processed), "empty" (no announcement that day), "given_up"
// (the feed never changed within the retries; the day is left to the catch-up through the API).
struct DayRecord {
  Date date;
  std::string status;
  bool late = false;       // processed through the catch-up after its feed was gone
  int stale_reads = 0;     // reads of the feed that still showed an older announcement
  std::string updated_at;  // ISO 8601 UTC; left empty when saving, the store's clock fills it

  bool operator==(const DayRecord&) const = default;
};

// A score as the store keeps it, with when it was given.
struct RecordedScore {
  std::string paper_id;
  int version = 1;
  std::int64_t criteria_id = 0;
  Score score;            // score.scorer names who gave it
  std::string scored_at;  // ISO 8601 UTC
};

// One message of one paper to one audience, as `why` reports it.
struct PaperDelivery {
  Date date;  // the announcement it was posted for
  DeliveryStatus status = DeliveryStatus::kPending;
  std::string sent_at;           // ISO 8601 UTC; empty until sent
  std::optional<int> relevance;  // the scores when it was rendered
  std::optional<int> novelty;
};

}  // namespace paperbot
