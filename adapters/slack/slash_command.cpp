#include "adapters/slack/slash_command.hpp"

#include "adapters/slack/inbound_json.hpp"

#include <boost/json.hpp>

namespace paperbot::slack {
namespace {

constexpr std::string_view kStep = "parse slash command";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> decode_component(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      decoded += ' ';
    } else if (c != '%') {
      decoded += c;
    } else {
      const int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return make_error(std::string(kStep), "bad percent-encoding at byte " + std::to_string(i));
      }
      decoded += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return decoded;
}

// The checks both transports share: without a command and a user there is nothing to answer.
Result<SlashCommand> checked(SlashCommand command) {
  if (command.command.empty() || command.user_id.empty()) {
    return make_error(std::string(kStep), "the request names no command or no user_id");
  }
  return command;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> decode_form(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> fields;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view field = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (field.empty()) continue;

    const std::size_t equals = field.find('=');
    auto name = decode_component(field.substr(0, equals));
    if (!name) return name.error();
    auto value = decode_component(equals == std::string_view::npos ? std::string_view{}
                                                                   : field.substr(equals + 1));
    if (!value) return value.error();
    fields.emplace_back(std::move(*name), std::move(*value));
  }
  return fields;
}

Result<SlashCommand> parse_slash_command_form(std::string_view body) {
  auto fields = decode_form(body);
  if (!fields) return fields.error();

  SlashCommand command;
  for (auto& [name, value] : *fields) {
    if (name == "command")
      command.command = std::move(value);
    else if (name == "text")
      command.text = std::move(value);
    else if (name == "user_id")
      command.user_id = std::move(value);
    else if (name == "channel_id")
      command.channel_id = std::move(value);
    else if (name == "response_url")
      command.response_url = std::move(value);
    else if (name == "trigger_id")
      command.trigger_id = std::move(value);
    else if (name == "team_id")
      command.team_id = std::move(value);
  }
  return checked(std::move(command));
}

Result<SlashCommand> parse_slash_command_value(const boost::json::value& payload) {
  if (!payload.is_object()) {
    return make_error(std::string(kStep), "the payload is not a JSON object");
  }
  const boost::json::object& object = payload.get_object();
  SlashCommand command;
  command.command = detail::string_field(object, "command");
  command.text = detail::string_field(object, "text");
  command.user_id = detail::string_field(object, "user_id");
  command.channel_id = detail::string_field(object, "channel_id");
  command.response_url = detail::string_field(object, "response_url");
  command.trigger_id = detail::string_field(object, "trigger_id");
  command.team_id = detail::string_field(object, "team_id");
  return checked(std::move(command));
}

}  // namespace paperbot::slack
