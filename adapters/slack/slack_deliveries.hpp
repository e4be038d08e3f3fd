// A day's digest as the outbox's deliveries for one Slack audience: the header message (split in
// parts when long), then one message per paper, in rank order, each a reply in the header's
// thread unless the audience posts papers in the channel; then, when the digest has papers just
// below the bar, a labelled message with those papers in its own thread. Alerts for the admin
// channel too.
//
// Deliveries are identified by (audience, date, kind, paper, part), so building the same day
// again and enqueueing it adds only what is new: a re-score that moves a paper in adds its one
// message and nothing else.
#pragma once

#include "core/common/date.hpp"
#include "core/common/digest.hpp"
#include "core/store/outbox_records.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot {

struct SlackDigestOptions {
  std::size_t header_titles = 10;  // titles listed in the header; 0 lists every paper
  bool threaded = true;            // papers as replies under the header
  std::string cutoffs;             // "relevance 7, novelty 6", for the just-below-the-bar label
};

// The kind of the message that opens the thread of the papers just below the bar.
inline constexpr std::string_view kBelowBarKind = "below_bar";

// The deliveries of `digest` for `audience` ("slack:C123"). A digest without papers still has
// its header, which says so.
std::vector<Delivery> slack_digest_deliveries(const std::string& audience, const Digest& digest,
                                              const SlackDigestOptions& options);

// A one-message alert for the admins, e.g. a feed that never changed. `kind` distinguishes
// alerts of the same day ("alert:feed"), so each is posted once.
Delivery slack_alert_delivery(const std::string& admin_audience, Date date, const std::string& kind,
                              const std::string& text);

}  // namespace paperbot
