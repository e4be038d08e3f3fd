// Events API bodies, read into plain structs: what Slack POSTs to the events endpoint in HTTP
// mode, and the payload of an `events_api` envelope in Socket Mode. Parsing only: verify the
// request signature (request_signing.hpp) first, deduplicate on event_id and acknowledge
// elsewhere.
//
// Errors and ignoring. A body that is not JSON, or lacks what its type requires (an
// event_callback without event_id or event, a reaction without item.ts), is an Error whose step
// is "parse Slack event". A well-formed body the bot has no use for (an unknown type, a message
// in a channel, a message edit, anything the bot itself wrote or reacted) is an Ignored value
// that says why, so that the caller can acknowledge it and log at debug level.
//
// Pure functions, safe from any thread. Text is returned as Slack wrote it: `&`, `<` and `>`
// stay escaped as `&amp;`, `&lt;` and `&gt;`, and mentions stay `<@U123>` or `<@U123|name>`.
#pragma once

#include "core/common/result.hpp"

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace paperbot::slack {

// A well-formed payload the bot does not act on.
struct Ignored {
  std::string type;    // the payload's or event's type: "message", "team_join", ...
  std::string reason;  // "message outside a direct message", "the bot's own message", ...
};

struct UrlVerification {
  std::string challenge;  // answer it, unchanged, with HTTP 200
};

struct AppRateLimited {
  std::string team_id;
  std::int64_t minute_rate_limited = 0;  // Unix seconds of the minute events were dropped
};

// reaction_added or reaction_removed on a message.
struct ReactionEvent {
  bool added = true;       // false for reaction_removed
  std::string user;        // who reacted
  std::string reaction;    // the short name as sent: "+1::skin-tone-3"; see normalise_reaction
  std::string channel;     // item.channel
  std::string message_ts;  // item.ts: with channel, names the message reacted to
  std::string item_user;   // the message's author; empty when Slack omits it
  std::string event_ts;
};

// A mention of the bot in a channel (app_mention).
struct MentionEvent {
  std::string user;
  std::string text;  // without the leading mention of the bot, trimmed
  std::string channel;
  std::string ts;
  std::string thread_ts;  // empty when not in a thread
};

// A person's message in the bot's direct-message channel (message with channel_type "im").
struct DirectMessage {
  std::string user;
  std::string text;  // trimmed
  std::string channel;
  std::string ts;
  std::string thread_ts;  // empty when not in a thread
};

using InnerEvent = std::variant<ReactionEvent, MentionEvent, DirectMessage, Ignored>;

struct EventCallback {
  std::string event_id;  // the same on Slack's retries: deduplicate on it
  std::string team_id;
  std::int64_t event_time = 0;  // Unix seconds
  InnerEvent event;
};

using EventsApiBody = std::variant<UrlVerification, EventCallback, AppRateLimited, Ignored>;

// `bot_user_id` is the bot's own user id (auth.test's user_id). Events written by it are
// Ignored, and only a leading mention of it is stripped from app_mention text. When it is empty,
// the bot's own messages are still dropped by their bot_id, and any leading mention is stripped.
Result<EventsApiBody> parse_events_api_body(std::string_view body, std::string_view bot_user_id);
Result<EventsApiBody> parse_events_api_value(const boost::json::value& body,
                                             std::string_view bot_user_id);

// One inner event (the `event` object of an event_callback) on its own.
Result<InnerEvent> parse_inner_event(std::string_view json, std::string_view bot_user_id);
Result<InnerEvent> parse_inner_event_value(const boost::json::value& event,
                                           std::string_view bot_user_id);

// What a reaction means as feedback.
enum class Vote { kNone, kUp, kDown };

// "+1" and "thumbsup" are kUp, "-1" and "thumbsdown" kDown, with any "::skin-tone-N" suffix and
// surrounding colons; anything else is kNone.
Vote normalise_reaction(std::string_view reaction);

}  // namespace paperbot::slack
