#include "adapters/slack/socket_mode.hpp"

#include "adapters/slack/inbound_json.hpp"

#include <boost/json.hpp>

namespace paperbot::slack {
namespace {

namespace json = boost::json;
using detail::string_field;

constexpr std::string_view kStep = "parse Socket Mode frame";

EnvelopeType envelope_type(std::string_view name) {
  if (name == "events_api") return EnvelopeType::kEventsApi;
  if (name == "slash_commands") return EnvelopeType::kSlashCommands;
  if (name == "interactive") return EnvelopeType::kInteractive;
  return EnvelopeType::kOther;
}

EnvelopePayload read_payload(const Envelope& envelope, const json::value* payload,
                             std::string_view bot_user_id) {
  if (payload == nullptr) return Ignored{envelope.type_name, "envelope without payload"};

  switch (envelope.type) {
    case EnvelopeType::kEventsApi: {
      auto body = parse_events_api_value(*payload, bot_user_id);
      if (!body) return Ignored{envelope.type_name, body.error().to_string()};
      return std::move(*body);
    }
    case EnvelopeType::kSlashCommands: {
      auto command = parse_slash_command_value(*payload);
      if (!command) return Ignored{envelope.type_name, command.error().to_string()};
      return std::move(*command);
    }
    case EnvelopeType::kInteractive:
    case EnvelopeType::kOther: break;
  }
  std::string type = payload->is_object() ? string_field(payload->get_object(), "type") : "";
  return RawPayload{std::move(type), json::serialize(*payload)};
}

Result<SocketFrame> parse_envelope(const json::object& frame, std::string_view bot_user_id) {
  Envelope envelope;
  envelope.envelope_id = string_field(frame, "envelope_id");
  if (envelope.envelope_id.empty()) return make_error(std::string(kStep), "empty envelope_id");
  envelope.type_name = string_field(frame, "type");
  envelope.type = envelope_type(envelope.type_name);
  envelope.accepts_response_payload = detail::bool_field(frame, "accepts_response_payload");
  envelope.retry_attempt = static_cast<int>(detail::integer_field(frame, "retry_attempt"));
  envelope.retry_reason = string_field(frame, "retry_reason");
  envelope.payload = read_payload(envelope, detail::field(frame, "payload"), bot_user_id);
  return SocketFrame{std::move(envelope)};
}

std::string ack_text(std::string_view envelope_id, const json::object* payload) {
  json::object ack;
  ack["envelope_id"] = json::string_view(envelope_id.data(), envelope_id.size());
  if (payload != nullptr) ack["payload"] = *payload;
  return json::serialize(ack);
}

}  // namespace

Result<SocketFrame> parse_socket_frame(std::string_view text, std::string_view bot_user_id) {
  boost::system::error_code ec;
  json::value value = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return make_error(std::string(kStep), "not JSON: " + ec.message());
  if (!value.is_object()) return make_error(std::string(kStep), "the frame is not a JSON object");
  const json::object& frame = value.get_object();

  // Envelopes are told apart by their id: their type names the payload, not the frame.
  if (frame.contains("envelope_id")) return parse_envelope(frame, bot_user_id);

  const std::string type = string_field(frame, "type");
  if (type == "hello") {
    Hello hello;
    hello.num_connections = static_cast<int>(detail::integer_field(frame, "num_connections"));
    if (const json::object* info = detail::object_field(frame, "connection_info")) {
      hello.app_id = string_field(*info, "app_id");
    }
    if (const json::object* debug = detail::object_field(frame, "debug_info")) {
      hello.approximate_connection_time =
          detail::integer_field(*debug, "approximate_connection_time");
    }
    return SocketFrame{std::move(hello)};
  }
  if (type == "disconnect") return SocketFrame{Disconnect{string_field(frame, "reason")}};
  return SocketFrame{Ignored{type, "frame type not handled"}};
}

std::string socket_ack(std::string_view envelope_id) {
  return ack_text(envelope_id, nullptr);
}

std::string socket_ack(std::string_view envelope_id, const boost::json::object& payload) {
  return ack_text(envelope_id, &payload);
}

}  // namespace paperbot::slack
