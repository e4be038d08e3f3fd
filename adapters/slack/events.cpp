#include "adapters/slack/events.hpp"

#include "adapters/slack/inbound_json.hpp"
#include "core/common/text.hpp"

#include <boost/json.hpp>

namespace paperbot::slack {
namespace {

namespace json = boost::json;
using detail::object_field;
using detail::string_field;

constexpr std::string_view kStep = "parse Slack event";

Error event_error(std::string message) {
  return make_error(std::string(kStep), std::move(message));
}

// "<@U0LAN0Z89> is it..." -> "is it...". Only a mention at the start is the address to the bot;
// one later in the text is part of the command (`authors add <@U123|name>`) and stays.
std::string strip_leading_mention(std::string_view text, std::string_view bot_user_id) {
  std::string_view rest = trim(text);
  if (rest.substr(0, 2) != "<@") return std::string(rest);
  const std::size_t close = rest.find('>');
  if (close == std::string_view::npos) return std::string(rest);

  const std::string_view inside = rest.substr(2, close - 2);
  const std::string_view user = inside.substr(0, inside.find('|'));
  if (!bot_user_id.empty() && user != bot_user_id) return std::string(rest);
  return std::string(trim(rest.substr(close + 1)));
}

Result<InnerEvent> parse_reaction(const json::object& event, bool added,
                                  std::string_view bot_user_id) {
  ReactionEvent reaction;
  reaction.added = added;
  reaction.user = string_field(event, "user");
  reaction.reaction = string_field(event, "reaction");
  reaction.item_user = string_field(event, "item_user");
  reaction.event_ts = string_field(event, "event_ts");
  const std::string type = string_field(event, "type");

  // Slack sends reactions on files no more, but an item of another type names no message.
  const json::object* item = object_field(event, "item");
  if (item == nullptr) return event_error(type + " has no item");
  const std::string item_type = string_field(*item, "type");
  if (!item_type.empty() && item_type != "message") {
    return InnerEvent{Ignored{type, "reaction on a " + item_type + ", not a message"}};
  }
  reaction.channel = string_field(*item, "channel");
  reaction.message_ts = string_field(*item, "ts");

  if (reaction.user.empty() || reaction.reaction.empty() || reaction.channel.empty() ||
      reaction.message_ts.empty()) {
    return event_error(type + " lacks user, reaction, item.channel or item.ts");
  }
  if (!bot_user_id.empty() && reaction.user == bot_user_id) {
    return InnerEvent{Ignored{type, "the bot's own reaction"}};
  }
  return InnerEvent{std::move(reaction)};
}

// Why a message-like event is not a person talking to the bot, or "" when it is.
std::string_view reason_to_ignore(const json::object& event, std::string_view bot_user_id) {
  if (detail::field(event, "subtype") != nullptr) return "message with a subtype (edit, bot, ...)";
  if (const json::value* bot_id = detail::field(event, "bot_id");
      bot_id != nullptr && !bot_id->is_null()) {
    return "message from a bot";
  }
  if (!bot_user_id.empty() && string_field(event, "user") == bot_user_id) {
    return "the bot's own message";
  }
  return {};
}

Result<InnerEvent> parse_mention(const json::object& event, std::string_view bot_user_id) {
  if (auto reason = reason_to_ignore(event, bot_user_id); !reason.empty()) {
    return InnerEvent{Ignored{"app_mention", std::string(reason)}};
  }
  MentionEvent mention;
  mention.user = string_field(event, "user");
  mention.text = strip_leading_mention(string_field(event, "text"), bot_user_id);
  mention.channel = string_field(event, "channel");
  mention.ts = string_field(event, "ts");
  mention.thread_ts = string_field(event, "thread_ts");
  if (mention.user.empty() || mention.channel.empty() || mention.ts.empty()) {
    return event_error("app_mention lacks user, channel or ts");
  }
  return InnerEvent{std::move(mention)};
}

Result<InnerEvent> parse_message(const json::object& event, std::string_view bot_user_id) {
  if (auto reason = reason_to_ignore(event, bot_user_id); !reason.empty()) {
    return InnerEvent{Ignored{"message", std::string(reason)}};
  }

  // Channel messages arrive when the app subscribes to them; only direct messages are commands
  // (a mention in a channel comes as app_mention as well).
  if (string_field(event, "channel_type") != "im") {
    return InnerEvent{Ignored{"message", "message outside a direct message"}};
  }
  DirectMessage message;
  message.user = string_field(event, "user");
  message.text = std::string(trim(string_field(event, "text")));
  message.channel = string_field(event, "channel");
  message.ts = string_field(event, "ts");
  message.thread_ts = string_field(event, "thread_ts");
  if (message.user.empty() || message.channel.empty() || message.ts.empty()) {
    return event_error("direct message lacks user, channel or ts");
  }
  return InnerEvent{std::move(message)};
}

Result<EventsApiBody> parse_event_callback(const json::object& body, std::string_view bot_user_id) {
  EventCallback callback;
  callback.event_id = string_field(body, "event_id");
  callback.team_id = string_field(body, "team_id");
  callback.event_time = detail::integer_field(body, "event_time");
  if (callback.event_id.empty()) return event_error("event_callback without event_id");

  const json::value* event = detail::field(body, "event");
  if (event == nullptr) return event_error("event_callback without event");
  auto inner = parse_inner_event_value(*event, bot_user_id);
  if (!inner) return inner.error();
  callback.event = std::move(*inner);
  return EventsApiBody{std::move(callback)};
}

Result<json::value> parse_json(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return event_error("not JSON: " + ec.message());
  return value;
}

}  // namespace

Result<InnerEvent> parse_inner_event_value(const json::value& value, std::string_view bot_user_id) {
  if (!value.is_object()) return event_error("the event is not a JSON object");
  const json::object& event = value.get_object();
  const std::string type = string_field(event, "type");
  if (type.empty()) return event_error("the event has no type");

  if (type == "reaction_added") return parse_reaction(event, true, bot_user_id);
  if (type == "reaction_removed") return parse_reaction(event, false, bot_user_id);
  if (type == "app_mention") return parse_mention(event, bot_user_id);
  if (type == "message") return parse_message(event, bot_user_id);
  return InnerEvent{Ignored{type, "event type not handled"}};
}

Result<InnerEvent> parse_inner_event(std::string_view json_text, std::string_view bot_user_id) {
  auto value = parse_json(json_text);
  if (!value) return value.error();
  return parse_inner_event_value(*value, bot_user_id);
}

Result<EventsApiBody> parse_events_api_value(const json::value& value,
                                             std::string_view bot_user_id) {
  if (!value.is_object()) return event_error("the body is not a JSON object");
  const json::object& body = value.get_object();
  const std::string type = string_field(body, "type");

  if (type == "url_verification") {
    std::string challenge = string_field(body, "challenge");
    if (challenge.empty()) return event_error("url_verification without challenge");
    return EventsApiBody{UrlVerification{std::move(challenge)}};
  }
  if (type == "event_callback") return parse_event_callback(body, bot_user_id);
  if (type == "app_rate_limited") {
    return EventsApiBody{AppRateLimited{string_field(body, "team_id"),
                                        detail::integer_field(body, "minute_rate_limited")}};
  }
  if (type.empty()) return event_error("the body has no type");
  return EventsApiBody{Ignored{type, "body type not handled"}};
}

Result<EventsApiBody> parse_events_api_body(std::string_view body, std::string_view bot_user_id) {
  auto value = parse_json(body);
  if (!value) return value.error();
  return parse_events_api_value(*value, bot_user_id);
}

Vote normalise_reaction(std::string_view reaction) {
  std::string_view name = trim(reaction);
  if (name.size() >= 2 && name.front() == ':' && name.back() == ':') {
    name = name.substr(1, name.size() - 2);
  }
  if (const std::size_t tone = name.find("::skin-tone-"); tone != std::string_view::npos) {
    name = name.substr(0, tone);
  }
  if (name == "+1" || name == "thumbsup") return Vote::kUp;
  if (name == "-1" || name == "thumbsdown") return Vote::kDown;
  return Vote::kNone;
}

}  // namespace paperbot::slack
