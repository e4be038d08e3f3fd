#include "core/email/envelope.hpp"

#include "core/common/text.hpp"
#include "core/email/address.hpp"

#include <map>
#include <vector>

namespace paperbot::email {
namespace {

constexpr std::string_view kStep = "read message";

// The header fields of a message, names lower-cased, continuation lines joined to their field.
std::map<std::string, std::vector<std::string>> header_fields(std::string_view message) {
  std::map<std::string, std::vector<std::string>> fields;
  std::string* current = nullptr;
  for (std::size_t at = 0; at < message.size();) {
    std::size_t end = message.find('\n', at);
    if (end == std::string_view::npos) end = message.size();
    std::string_view line = message.substr(at, end - at);
    at = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the blank line that ends the headers

    if ((line.front() == ' ' || line.front() == '\t') && current != nullptr) {
      *current += line;
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      current = nullptr;
      continue;
    }
    auto& values = fields[ascii_lower(trim(line.substr(0, colon)))];
    values.emplace_back(line.substr(colon + 1));
    current = &values.back();
  }
  return fields;
}

// The one address of a mailbox header value: "addr", or "phrase <addr>" where the phrase may
// hold quoted strings. Empty when the value names no address or more than one.
std::optional<std::string> single_address(std::string_view value) {
  value = trim(value);
  bool quoted = false;
  int angles = 0;
  std::size_t open = std::string_view::npos;
  std::size_t close = std::string_view::npos;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (quoted) {
      if (c == '\\') ++i;
      if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    if (c == ',') return std::nullopt;  // a list of addresses
    if (c == '<') {
      ++angles;
      open = i;
    }
    if (c == '>') close = i;
  }
  if (angles > 1) return std::nullopt;
  if (angles == 0) return std::string(value);
  if (close == std::string_view::npos || close < open || close + 1 != value.size())
    return std::nullopt;
  return std::string(value.substr(open + 1, close - open - 1));
}

Result<std::string> field_value(const std::map<std::string, std::vector<std::string>>& fields,
                                const std::string& name, std::string_view shown_name) {
  auto found = fields.find(name);
  if (found == fields.end())
    return make_error(std::string(kStep), "the message has no " + std::string(shown_name));
  if (found->second.size() > 1)
    return make_error(std::string(kStep),
                      "the message has more than one " + std::string(shown_name));
  return std::string(trim(found->second.front()));
}

Result<std::string> mailbox_address(const std::map<std::string, std::vector<std::string>>& fields,
                                    const std::string& name, std::string_view shown_name) {
  auto value = field_value(fields, name, shown_name);
  if (!value) return value.error();
  auto address = single_address(*value);
  if (!address)
    return make_error(std::string(kStep), std::string(shown_name) + " must name one address");
  if (auto problem = address_problem(*address))
    return make_error(std::string(kStep), std::string(shown_name) + " address " + *problem);
  return *address;
}

}  // namespace

std::string email_audience(std::string_view list, std::string_view address) {
  return std::string(kEmailAudiencePrefix) + std::string(list) + ":" + std::string(address);
}

std::optional<EmailAudience> parse_email_audience(std::string_view audience) {
  if (!audience.starts_with(kEmailAudiencePrefix)) return std::nullopt;
  audience.remove_prefix(kEmailAudiencePrefix.size());
  std::size_t colon = audience.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  EmailAudience parsed{std::string(audience.substr(0, colon)),
                       std::string(audience.substr(colon + 1))};
  if (address_problem(parsed.address)) return std::nullopt;
  return parsed;
}

Result<Envelope> read_envelope(std::string_view message) {
  const auto fields = header_fields(message);
  Envelope envelope;

  auto from = mailbox_address(fields, "from", "From");
  if (!from) return from.error();
  envelope.from = std::move(*from);
  auto to = mailbox_address(fields, "to", "To");
  if (!to) return to.error();
  envelope.to = std::move(*to);

  auto id = field_value(fields, "message-id", "Message-ID");
  if (!id) return id.error();
  std::string_view bare = *id;
  if (bare.size() < 3 || bare.front() != '<' || bare.back() != '>')
    return make_error(std::string(kStep), "the Message-ID is not in angle brackets");
  envelope.message_id = std::string(bare.substr(1, bare.size() - 2));
  return envelope;
}

}  // namespace paperbot::email
