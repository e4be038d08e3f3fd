// Socket Mode frames, read into plain structs, and the acknowledgement frame. Parsing only: the
// WebSocket client that receives the frames and sends the acks lives elsewhere.
//
// Every Envelope returned carries its envelope_id and must be acknowledged within 3 s, even when
// its payload is Ignored (an interactive payload, a malformed events_api payload): Slack retries
// unacknowledged envelopes. A frame that is not JSON, or an envelope without an envelope_id, is
// an Error whose step is "parse Socket Mode frame".
//
// Pure functions, safe from any thread.
#pragma once

#include "adapters/slack/events.hpp"
#include "adapters/slack/slash_command.hpp"
#include "core/common/result.hpp"

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace paperbot::slack {

// The first frame on a new connection; the socket is usable from here on.
struct Hello {
  int num_connections = 0;
  std::string app_id;
  std::int64_t approximate_connection_time = 0;  // seconds until Slack recycles the socket
};

// Slack will close this socket: open a replacement (apps.connections.open) and switch to it.
struct Disconnect {
  std::string reason;  // "warning", "refresh_requested", "too_many_websockets", ...
};

enum class EnvelopeType { kEventsApi, kSlashCommands, kInteractive, kOther };

// The payload of an envelope the bot does not parse (interactive, or a type Slack adds later),
// kept as JSON for logging or a later handler.
struct RawPayload {
  std::string type;  // the payload's own type ("shortcut", "block_actions"), or ""
  std::string json;  // the payload serialised
};

// kEventsApi -> EventsApiBody; kSlashCommands -> SlashCommand; kInteractive and kOther ->
// RawPayload; a payload of a known type that fails to parse -> Ignored, with the reason.
using EnvelopePayload = std::variant<EventsApiBody, SlashCommand, RawPayload, Ignored>;

struct Envelope {
  std::string envelope_id;
  EnvelopeType type = EnvelopeType::kOther;
  std::string type_name;  // as sent: "events_api", "slash_commands", "interactive", ...
  bool accepts_response_payload = false;  // a reply may ride on the ack (slash commands)
  int retry_attempt = 0;                  // events_api only; 0 on first delivery
  std::string retry_reason;               // events_api only; "" on first delivery
  EnvelopePayload payload;
};

using SocketFrame = std::variant<Hello, Disconnect, Envelope, Ignored>;

// Reads one text frame. `bot_user_id` is passed to the Events API parser (see events.hpp).
Result<SocketFrame> parse_socket_frame(std::string_view text, std::string_view bot_user_id);

// The acknowledgement of an envelope: {"envelope_id":"..."}.
std::string socket_ack(std::string_view envelope_id);

// The acknowledgement carrying an immediate reply, when accepts_response_payload was true:
// {"envelope_id":"...","payload":{...}} (payload: response_type, text, blocks, ...).
std::string socket_ack(std::string_view envelope_id, const boost::json::object& payload);

}  // namespace paperbot::slack
