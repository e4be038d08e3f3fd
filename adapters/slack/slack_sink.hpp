// The outbox's sink for Slack audiences: posts a delivery through SlackWebApi and finds it again
// in the channel's history after a crash.
//
// Payload format: a Slack delivery's payload is the JSON object {"text": "...", "blocks": [...]}
// (`blocks` left out when the message has none), written by slack_payload and read by
// parse_slack_payload. The blocks are kept as a JSON array, not a string, so that the stored
// payload reads as the message Slack will get.
//
// Identity: every post carries Slack message metadata of event_type "paperbot_delivery" whose
// event_payload names the delivery: {"delivery_id", "audience", "date", "kind", "paper_id"
// (left out when none), "part"}. find_already_sent matches on the identity (audience, date, kind,
// paper_id, part), which the store keeps unique; delivery_id is there for a person reading the
// channel's metadata.
//
// Lookups read one page: the thread of the parent (a reply), or the channel's newest top-level
// messages posted since a little before the delivery was created (the options say how much).
// A message beyond that page is not found, and would be posted again.
//
// Thread safety: as SlackWebApi, one thread at a time; `api` must outlive the sink.
#pragma once

#include "adapters/slack/block_kit.hpp"
#include "adapters/slack/web_api.hpp"
#include "core/common/result.hpp"
#include "core/delivery/message_sink.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace paperbot {

inline constexpr std::string_view kDeliveryEventType = "paperbot_delivery";

// The payload of a Slack delivery: {"text": ..., "blocks": [...]}.
std::string slack_payload(const SlackMessage& message);

// The message in a payload written by slack_payload. `text` may be missing when there are blocks.
Result<SlackMessage> parse_slack_payload(std::string_view payload);

// The channel id of a Slack audience ("slack:C123" -> "C123"); empty for any other audience.
std::optional<std::string> slack_channel_of(std::string_view audience);

// The metadata event_payload that names `delivery`.
boost::json::object delivery_metadata(const Delivery& delivery);

// Whether `metadata` was attached to the message of `delivery` (same identity).
bool names_delivery(const SlackMetadata& metadata, const Delivery& delivery);

struct SlackSinkOptions {
  // How long before a delivery was created its message may carry a ts: Slack's clock and ours
  // can differ. Empty: read the channel's newest messages whatever their age (the fake Slack of
  // the tests stamps its messages in January 2025).
  std::optional<std::chrono::seconds> history_margin = std::chrono::minutes(10);
  std::size_t history_limit = 200;  // top-level messages read in one lookup
  std::size_t replies_limit = 200;  // thread messages read in one lookup (a day's papers fit)
};

class SlackMessageSink : public MessageSink {
 public:
  explicit SlackMessageSink(SlackWebApi& api, SlackSinkOptions options = {});

  SendResult<Sent> send(const Delivery& delivery,
                        const std::optional<std::string>& thread_parent) override;

  SendResult<std::optional<Sent>> find_already_sent(
      const Delivery& delivery, const std::optional<std::string>& thread_parent) override;

 private:
  // The `oldest` argument of a history lookup for `delivery`; empty reads the newest messages.
  std::string oldest_ts(const Delivery& delivery) const;

  SlackWebApi& api_;
  SlackSinkOptions options_;
};

}  // namespace paperbot
