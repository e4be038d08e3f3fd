// Slash command requests, read into a plain struct: the form body Slack POSTs in HTTP mode
// (application/x-www-form-urlencoded) and the JSON payload of a `slash_commands` envelope in
// Socket Mode carry the same fields. Verify the request signature on the raw body first.
//
// Pure functions, safe from any thread. A body that cannot be decoded, or names no command or
// user, is an Error whose step is "parse slash command".
#pragma once

#include "core/common/result.hpp"

#include <boost/json/fwd.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paperbot::slack {

struct SlashCommand {
  std::string command;       // "/papers"
  std::string text;          // everything after the command, possibly empty
  std::string user_id;       // who typed it
  std::string channel_id;    // where: answer and apply the command there
  std::string response_url;  // for up to 5 delayed answers within 30 minutes
  std::string trigger_id;    // for opening a modal, valid for 3 s
  std::string team_id;
};

// Decodes application/x-www-form-urlencoded: fields split on '&', name and value on the first
// '=', '+' as space, %XX as the byte XX. Fails on a '%' not followed by two hex digits.
// Fields keep their order; empty fields ("a=1&&b=2") are skipped.
Result<std::vector<std::pair<std::string, std::string>>> decode_form(std::string_view body);

Result<SlashCommand> parse_slash_command_form(std::string_view body);

// The `payload` object of a Socket Mode `slash_commands` envelope.
Result<SlashCommand> parse_slash_command_value(const boost::json::value& payload);

}  // namespace paperbot::slack
