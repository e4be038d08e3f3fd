#include "adapters/slack/slack_sink.hpp"

#include "core/common/date.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cstdint>
#include <utility>

namespace paperbot {
namespace json = boost::json;

namespace {

constexpr std::string_view kSlackPrefix = "slack:";

SendError to_send_error(const SlackError& error) {
  SendError out;
  out.message = error.error.to_string();
  out.fix = error.fix;
  if (error.needs_person) {
    out.kind = SendFailure::kNeedsPerson;
  } else if (error.retryable) {
    out.kind = SendFailure::kTransient;
  } else {
    out.kind = SendFailure::kPermanent;
  }
  return out;
}

SendError permanent(std::string message) {
  return SendError{SendFailure::kPermanent, std::move(message), ""};
}

std::optional<std::string> string_field(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->get_string());
}

// Slack may hand a number back as any JSON number type; a string is accepted too, since a
// payload could have been written by hand.
std::optional<std::int64_t> integer_field(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
  if (value->is_double()) return static_cast<std::int64_t>(value->get_double());
  if (value->is_string()) {
    const json::string& text = value->get_string();
    std::int64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size()) return number;
  }
  return std::nullopt;
}

// "2025-01-30T12:34:56Z" as the store writes created_at; empty when it is not that.
std::optional<std::chrono::sys_seconds> parse_created_at(std::string_view text) {
  if (text.size() < 19 || text[10] != 'T' || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  auto date = parse_iso_date(text.substr(0, 10));
  if (!date) return std::nullopt;
  int parts[3] = {};
  for (int index = 0; index < 3; ++index) {
    const char* begin = text.data() + 11 + 3 * index;
    auto [end, ec] = std::from_chars(begin, begin + 2, parts[index]);
    if (ec != std::errc() || end != begin + 2) return std::nullopt;
  }
  return std::chrono::sys_days(*date) + std::chrono::hours(parts[0]) +
         std::chrono::minutes(parts[1]) + std::chrono::seconds(parts[2]);
}

}  // namespace

std::string slack_payload(const SlackMessage& message) {
  json::object payload{{"text", message.text}};
  if (!message.blocks_json.empty()) {
    boost::system::error_code ec;
    json::value blocks = json::parse(message.blocks_json, ec);
    // Blocks that are not JSON are kept as they are, so that the post fails as invalid_blocks
    // where the person reading the log can see it, rather than silently losing them here.
    payload["blocks"] = ec ? json::value(message.blocks_json) : std::move(blocks);
  }
  return json::serialize(payload);
}

Result<SlackMessage> parse_slack_payload(std::string_view payload) {
  const std::string step = "read Slack payload";
  boost::system::error_code ec;
  json::value parsed = json::parse(payload, ec);
  if (ec || !parsed.is_object()) return make_error(step, "not a JSON object");
  const json::object& object = parsed.get_object();

  SlackMessage message;
  if (const json::value* text = object.if_contains("text")) {
    if (!text->is_string()) return make_error(step, "\"text\" is not a string");
    message.text = std::string(text->get_string());
  }
  if (const json::value* blocks = object.if_contains("blocks")) {
    if (blocks->is_string()) {
      message.blocks_json = std::string(blocks->get_string());
    } else if (blocks->is_array()) {
      message.blocks_json = json::serialize(*blocks);
    } else {
      return make_error(step, "\"blocks\" is not an array");
    }
  }
  if (message.text.empty() && message.blocks_json.empty())
    return make_error(step, "neither text nor blocks");
  return message;
}

std::optional<std::string> slack_channel_of(std::string_view audience) {
  if (!audience.starts_with(kSlackPrefix) || audience.size() == kSlackPrefix.size())
    return std::nullopt;
  return std::string(audience.substr(kSlackPrefix.size()));
}

json::object delivery_metadata(const Delivery& delivery) {
  json::object payload{{"delivery_id", delivery.id},
                       {"audience", delivery.audience},
                       {"date", format_iso_date(delivery.date)},
                       {"kind", delivery.kind},
                       {"part", delivery.part}};
  // Left out rather than null: Slack's event_payload takes strings, numbers and booleans.
  if (delivery.paper_id) payload["paper_id"] = *delivery.paper_id;
  return payload;
}

bool names_delivery(const SlackMetadata& metadata, const Delivery& delivery) {
  if (metadata.event_type != kDeliveryEventType) return false;
  const json::object& payload = metadata.payload;
  return string_field(payload, "audience") == delivery.audience &&
         string_field(payload, "date") == format_iso_date(delivery.date) &&
         string_field(payload, "kind") == delivery.kind &&
         string_field(payload, "paper_id") == delivery.paper_id &&
         integer_field(payload, "part") == delivery.part;
}

SlackMessageSink::SlackMessageSink(SlackWebApi& api, SlackSinkOptions options)
    : api_(api), options_(std::move(options)) {}

SendResult<Sent> SlackMessageSink::send(const Delivery& delivery,
                                        const std::optional<std::string>& thread_parent) {
  auto channel = slack_channel_of(delivery.audience);
  if (!channel) return permanent("not a Slack audience: " + delivery.audience);
  auto message = parse_slack_payload(delivery.payload);
  if (!message) return permanent(message.error().to_string());

  SlackMetadata metadata{std::string(kDeliveryEventType), delivery_metadata(delivery)};
  auto posted = api_.post_message(*channel, *message, thread_parent, metadata);
  if (!posted) return to_send_error(posted.error());
  return Sent{posted->channel, posted->ts};
}

SendResult<std::optional<Sent>> SlackMessageSink::find_already_sent(
    const Delivery& delivery, const std::optional<std::string>& thread_parent) {
  auto channel = slack_channel_of(delivery.audience);
  if (!channel) return permanent("not a Slack audience: " + delivery.audience);

  const std::string oldest = oldest_ts(delivery);
  auto page = thread_parent ? api_.conversations_replies(*channel, *thread_parent, oldest,
                                                         options_.replies_limit)
                            : api_.conversations_history(*channel, oldest, options_.history_limit);
  if (!page) return to_send_error(page.error());

  for (const SlackHistoryMessage& message : page->messages) {
    // In a thread's page the parent comes first; it names another delivery, but a reply must
    // still be under this parent to be the one looked for.
    if (thread_parent && message.ts != *thread_parent && message.thread_ts != *thread_parent)
      continue;
    if (message.metadata && names_delivery(*message.metadata, delivery))
      return std::optional<Sent>(Sent{*channel, message.ts});
  }
  return std::optional<Sent>();
}

std::string SlackMessageSink::oldest_ts(const Delivery& delivery) const {
  if (!options_.history_margin) return {};
  auto created = parse_created_at(delivery.created_at);
  // Without a creation time the newest messages are read: the lookup follows a recent send.
  if (!created) return {};
  const auto oldest = *created - *options_.history_margin;
  return std::to_string(oldest.time_since_epoch().count()) + ".000000";
}

}  // namespace paperbot
